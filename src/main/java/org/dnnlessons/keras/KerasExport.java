package org.dnnlessons.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.files.FilePublisher;
import org.dnnlessons.nn.Mlp;

/**
 * Writes the lesson's MLP as Keras 3 files, in Java (HDF5 through jHDF's writer, the archive with
 * {@code java.util.zip}): no Python is involved.
 *
 * <p>The Keras model is the Sequential
 *
 * <pre>{@code
 * keras.Sequential([
 *     keras.Input((28, 28, 1)),                          # the lesson's x; (N,) when not 784 pixels
 *     keras.layers.Flatten(),
 *     keras.layers.Dense(256, activation="relu", name="hidden_layer"),   # one per hidden layer
 *     keras.layers.Dense(10, name="out")])               # linear: the lesson's logits
 * }</pre>
 *
 * <p>so {@code model(x)} gives the lesson's {@code logits} and {@code keras.ops.softmax(model(x))}
 * its {@code probabilities}. {@link Format#KERAS} writes the {@code .keras} archive {@code
 * keras.models.load_model(path)} opens with no code; {@link Format#WEIGHTS_H5} writes the weights
 * alone, which {@code model.load_weights(path)} reads into that Sequential built in Python. Files
 * are written under a temporary name in the target directory and renamed, so a failed export leaves
 * no partial file.
 */
public final class KerasExport {

  /** What {@link #write} writes. */
  public enum Format {
    /**
     * A {@code .keras} archive: {@code config.json}, {@code model.weights.h5}, {@code
     * metadata.json}.
     */
    KERAS,
    /** A Keras 3 weights file, as {@code model.save_weights("m.weights.h5")} writes it. */
    WEIGHTS_H5
  }

  /** The Keras version whose file layout is written (Keras 3, as TensorFlow 2.21 ships it). */
  static final String KERAS_VERSION = "3.15.1";

  private KerasExport() {}

  /**
   * Writes {@code weights} to {@code out}.
   *
   * @param weights the lesson-named weights, from {@link MlpWeights#read}
   * @param out the file to write; its directory is created; an existing file is replaced
   * @throws IOException when the file cannot be written (nothing is left at {@code out} then)
   */
  public static void write(MlpWeights weights, Path out, Format format) throws IOException {
    if (format == Format.WEIGHTS_H5) {
      FilePublisher.publishFile(out, h5 -> writeWeightsH5(weights, h5));
      return;
    }
    // the HDF5 weights go into the archive from a scratch file beside it, never in /tmp
    try (FilePublisher.Scratch h5 = FilePublisher.scratch(out, ".weights.h5")) {
      try {
        writeWeightsH5(weights, h5.path());
      } catch (IOException e) {
        throw FilePublisher.failed(out, e);
      }
      FilePublisher.publish(out, archive -> writeArchive(weights, h5.path(), archive));
    }
  }

  private static void writeWeightsH5(MlpWeights weights, Path h5) throws IOException {
    try {
      writeWeightsH5Unchecked(weights, h5);
    } catch (RuntimeException e) {
      // jHDF reports write failures as unchecked HdfException
      throw new IOException("cannot write the HDF5 weights: " + e.getMessage(), e);
    }
  }

  private static void writeWeightsH5Unchecked(MlpWeights weights, Path h5) {
    List<String> scopes = scopes(weights);
    WritableHdfFile file = HdfFile.write(h5);
    boolean closed = false;
    try {
      WritableGroup layers = file.putGroup("layers");
      for (int i = 0; i < scopes.size(); i++) {
        // Keras names each layer's group by its class, numbered per class: dense, dense_1, ...
        WritableGroup vars = layers.putGroup(i == 0 ? "dense" : "dense_" + i).putGroup("vars");
        CheckpointTensor kernel = weights.tensors().get(scopes.get(i) + "/weights");
        CheckpointTensor bias = weights.tensors().get(scopes.get(i) + "/biases");
        vars.putDataset("0", matrix(kernel));
        vars.putDataset("1", bias.floats());
      }
      file.close(); // jHDF writes the whole file here
      closed = true;
    } finally {
      if (!closed) {
        closeChannel(file);
      }
    }
  }

  /**
   * Closes the file channel of a {@link WritableHdfFile} whose {@code close()} failed: jHDF 0.9.4's
   * {@code close()} writes the file and, when that throws (a full disk), never closes its channel,
   * so the deleted temporary file would keep its disk space until the channel is collected.
   */
  private static void closeChannel(WritableHdfFile file) {
    try {
      java.lang.reflect.Field f = WritableHdfFile.class.getDeclaredField("fileChannel");
      f.setAccessible(true);
      ((java.nio.channels.FileChannel) f.get(file)).close();
    } catch (ReflectiveOperationException | RuntimeException | IOException e) {
      // another jHDF version: the channel is closed when collected
    }
  }

  private static float[][] matrix(CheckpointTensor t) {
    long[] shape = t.info().shape();
    int rows = Math.toIntExact(shape[0]);
    int columns = Math.toIntExact(shape[1]);
    float[] flat = t.floats();
    float[][] m = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * columns, m[r], 0, columns);
    }
    return m;
  }

  private static List<String> scopes(MlpWeights weights) {
    List<String> scopes = new ArrayList<>();
    for (int i = 0; i < weights.hidden().size(); i++) {
      scopes.add(Mlp.hiddenScope(i));
    }
    scopes.add("out");
    return scopes;
  }

  private static void writeArchive(MlpWeights weights, Path h5, OutputStream file)
      throws IOException {
    Gson gson = new GsonBuilder().serializeNulls().create();
    try (ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry(KerasFiles.METADATA_ENTRY));
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("keras_version", KERAS_VERSION);
      metadata.put(
          "date_saved",
          LocalDateTime.now()
              .format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss", Locale.ROOT)));
      zip.write(gson.toJson(metadata).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(KerasFiles.CONFIG_ENTRY));
      zip.write(gson.toJson(config(weights)).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(KerasFiles.WEIGHTS_ENTRY));
      Files.copy(h5, zip);
      zip.closeEntry();
    }
  }

  /** {@code config.json}: the Sequential of the class comment, as Keras 3 serializes it. */
  private static Map<String, Object> config(MlpWeights weights) {
    long inputs = weights.tensors().get("hidden_layer/weights").info().shape()[0];
    boolean image = inputs == 28 * 28;
    List<Object> inputShape = image ? shape(null, 28, 28, 1) : shape(null, (int) inputs);
    List<Object> layers = new ArrayList<>();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("batch_shape", inputShape);
    input.put("dtype", "float32");
    input.put("sparse", false);
    input.put("name", "x");
    layers.add(layer("InputLayer", input, null));
    if (image) {
      Map<String, Object> flatten = new LinkedHashMap<>();
      flatten.put("name", "x_flat");
      flatten.put("trainable", true);
      flatten.put("dtype", "float32");
      flatten.put("data_format", "channels_last");
      layers.add(layer("Flatten", flatten, inputShape));
    }
    long previous = inputs;
    List<String> scopes = scopes(weights);
    for (int i = 0; i < scopes.size(); i++) {
      boolean output = i == scopes.size() - 1;
      long units = weights.tensors().get(scopes.get(i) + "/biases").info().shape()[0];
      Map<String, Object> dense = new LinkedHashMap<>();
      dense.put("name", scopes.get(i));
      dense.put("trainable", true);
      dense.put("dtype", "float32");
      dense.put("units", units);
      dense.put("activation", output ? "linear" : "relu");
      dense.put("use_bias", true);
      dense.put("kernel_initializer", initializer("GlorotUniform"));
      dense.put("bias_initializer", initializer("Zeros"));
      dense.put("kernel_regularizer", null);
      dense.put("bias_regularizer", null);
      dense.put("kernel_constraint", null);
      dense.put("bias_constraint", null);
      layers.add(layer("Dense", dense, shape(null, (int) previous)));
      previous = units;
    }
    Map<String, Object> sequential = new LinkedHashMap<>();
    sequential.put("name", "lesson_mlp");
    sequential.put("trainable", true);
    sequential.put("dtype", "float32");
    sequential.put("layers", layers);
    sequential.put("build_input_shape", inputShape);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("module", "keras");
    model.put("class_name", "Sequential");
    model.put("config", sequential);
    model.put("registered_name", null);
    model.put("build_config", Map.of("input_shape", inputShape));
    return model;
  }

  private static Map<String, Object> layer(
      String className, Map<String, Object> config, List<Object> buildInputShape) {
    Map<String, Object> layer = new LinkedHashMap<>();
    layer.put("module", "keras.layers");
    layer.put("class_name", className);
    layer.put("config", config);
    layer.put("registered_name", null);
    if (buildInputShape != null) {
      layer.put("build_config", Map.of("input_shape", buildInputShape));
    }
    return layer;
  }

  private static Map<String, Object> initializer(String className) {
    Map<String, Object> init = new LinkedHashMap<>();
    init.put("module", "keras.initializers");
    init.put("class_name", className);
    init.put("config", Map.of());
    init.put("registered_name", null);
    return init;
  }

  private static List<Object> shape(Object... dims) {
    List<Object> out = new ArrayList<>();
    for (Object d : dims) {
      out.add(d);
    }
    return out;
  }
}
