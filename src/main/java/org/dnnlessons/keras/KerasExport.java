package org.dnnlessons.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.files.FilePublisher;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.ModelDescription;

/**
 * Writes a model description and its weights as Keras 3 files, in Java (HDF5 through jHDF's writer,
 * the archive with {@code java.util.zip}): no Python is involved.
 *
 * <p>The Keras model is a Sequential of the description's layers, for the lesson's MLP
 *
 * <pre>{@code
 * keras.Sequential([
 *     keras.Input((28, 28, 1)),                          # the lesson's x; (N,) when not 784 pixels
 *     keras.layers.Flatten(),                            # after a leading Rescaling, as Keras has it
 *     keras.layers.Dense(256, activation="relu", name="hidden_layer"),   # one per hidden layer
 *     keras.layers.Dense(10, name="out")])               # linear: the lesson's logits
 * }</pre>
 *
 * <p>and for any other description the same with its layers ({@code Rescaling}, {@code
 * Normalization} with its mean and variance in the config, {@code BatchNormalization} and {@code
 * PReLU} with their weights, activation layers, {@code Dropout}) and each Dense layer's activation
 * and {@code use_bias}, so {@code model(x)} gives Java's {@code logits} (or, after a final softmax,
 * its {@code probabilities}). {@link Format#KERAS} writes the {@code .keras} archive {@code
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
   * @param format {@link Format#KERAS} for a {@code .keras} archive ({@code
   *     keras.models.load_model}), {@link Format#WEIGHTS_H5} for a {@code .weights.h5} file ({@code
   *     model.load_weights})
   * @throws IOException when the file cannot be written (nothing is left at {@code out} then)
   */
  public static void write(MlpWeights weights, Path out, Format format) throws IOException {
    if (format == Format.WEIGHTS_H5 && hasNormalization(weights.model())) {
      // the .keras config carries the statistics as the layer's mean and variance; a weights file
      // would have to hold them as the adapted layer's three variables, which this writer does not
      throw new IllegalArgumentException(
          "--format weights-h5 cannot hold a Normalization layer's statistics (an adapted layer"
              + " loads them as 3 variables); --format keras writes them in the model's config");
    }
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

  private static boolean hasNormalization(ModelDescription model) {
    return model.layers().stream().anyMatch(l -> l instanceof ModelDescription.Normalization);
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
    ModelDescription model = weights.model();
    List<ModelDescription.Dense> dense = model.dense();
    Map<String, Integer> used = new HashMap<>();
    WritableHdfFile file = HdfFile.write(h5);
    boolean closed = false;
    try {
      WritableGroup layers = file.putGroup("layers");
      int d = 0;
      for (ModelDescription.Layer l : model.layers()) {
        // Keras numbers groups per class (dense, dense_1, ...) and reads a missing group as a
        // layer without weights, so only layers with weights get one
        String groupName = groupName(used, l.kerasClass());
        boolean hasWeights =
            l instanceof ModelDescription.Dense
                || l instanceof ModelDescription.BatchNormalization
                || l instanceof ModelDescription.PRelu;
        if (!hasWeights) {
          continue;
        }
        WritableGroup vars = layers.putGroup(groupName).putGroup("vars");
        if (l instanceof ModelDescription.Dense layer) {
          String scope = ModelDescription.denseScope(d++, dense.size());
          vars.putDataset("0", matrix(weights.tensors().get(scope + "/weights")));
          if (layer.useBias()) {
            vars.putDataset("1", weights.tensors().get(scope + "/biases").floats());
          }
        } else if (l instanceof ModelDescription.BatchNormalization b) {
          int i = 0;
          if (b.gamma() != null) {
            vars.putDataset(Integer.toString(i++), b.gamma());
          }
          if (b.beta() != null) {
            vars.putDataset(Integer.toString(i++), b.beta());
          }
          vars.putDataset(Integer.toString(i++), b.movingMean());
          vars.putDataset(Integer.toString(i), b.movingVariance());
        } else if (l instanceof ModelDescription.PRelu p) {
          vars.putDataset("0", p.alpha());
        }
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
      Field f = WritableHdfFile.class.getDeclaredField("fileChannel");
      f.setAccessible(true);
      ((FileChannel) f.get(file)).close();
    } catch (ReflectiveOperationException | RuntimeException | IOException e) {
      // another jHDF version: the channel is closed when collected
    }
  }

  /** Keras's group name for the next layer of a class: {@code dense}, {@code dense_1}, ... */
  private static String groupName(Map<String, Integer> used, String kerasClass) {
    String snake = KerasFiles.snakeCase(kerasClass);
    int n = used.merge(snake, 1, Integer::sum) - 1;
    return n == 0 ? snake : snake + "_" + n;
  }

  private static boolean flattens(MlpWeights weights) {
    return inputs(weights) == 28 * 28;
  }

  private static long inputs(MlpWeights weights) {
    String first = ModelDescription.denseScope(0, weights.model().dense().size());
    long units = weights.tensors().get(first + "/weights").info().shape()[0];
    return units;
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
  private static Map<String, Object> config(MlpWeights weights) throws IOException {
    ModelDescription model = weights.model();
    long inputs = inputs(weights);
    boolean image = flattens(weights);
    List<Object> inputShape = image ? shape(null, 28, 28, 1) : shape(null, (int) inputs);
    List<Object> layers = new ArrayList<>();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("batch_shape", inputShape);
    input.put("dtype", "float32");
    input.put("sparse", false);
    input.put("name", "x");
    layers.add(layer("InputLayer", input, null));
    // leading Rescaling layers (elementwise) come before the Flatten, as Keras models have them
    int leading = 0;
    while (leading < model.layers().size()
        && model.layers().get(leading) instanceof ModelDescription.Rescaling) {
      leading++;
    }
    boolean rescalingFirst =
        !model.layers().isEmpty() && model.layers().get(0) instanceof ModelDescription.Rescaling;
    if (!(model.inputScale() == 1.0 || (model.inputScale() == 255.0 && rescalingFirst))) {
      throw new IOException(
          "the model is fed pixels/255 * "
              + model.inputScale()
              + ", which a Keras file does not record (Keras models are fed pixels/255, or raw"
              + " pixels when their first layer is Rescaling)");
    }
    long previous = inputs;
    List<ModelDescription.Dense> dense = model.dense();
    Map<String, Integer> names = new HashMap<>();
    int d = 0;
    int index = 0;
    for (ModelDescription.Layer l : model.layers()) {
      if (image && index++ == leading) {
        Map<String, Object> flatten = base("x_flat");
        flatten.put("data_format", "channels_last");
        layers.add(layer("Flatten", flatten, inputShape));
      }
      String name =
          l instanceof ModelDescription.Dense
              ? ModelDescription.denseScope(d++, dense.size())
              : l.name() != null ? l.name() : KerasFiles.snakeCase(l.kerasClass());
      if (l instanceof ModelDescription.Dense && l.name() != null && !isLessonScope(l.name())) {
        name = l.name();
      }
      int seen = names.merge(name, 1, Integer::sum);
      if (seen > 1) {
        name = name + "_" + (seen - 1);
      }
      Map<String, Object> c = base(name);
      List<Object> in = image && index <= leading ? inputShape : shape(null, (int) previous);
      if (l instanceof ModelDescription.Dense layer) {
        String activation = layer.activation().kerasName();
        if (activation == null) {
          throw new IOException(
              "layer '"
                  + name
                  + "''s activation "
                  + layer.activation()
                  + " has no name in Keras's config");
        }
        c.put("units", layer.units());
        c.put("activation", activation);
        c.put("use_bias", layer.useBias());
        c.put("kernel_initializer", initializer("GlorotUniform"));
        c.put("bias_initializer", initializer("Zeros"));
        c.put("kernel_regularizer", null);
        c.put("bias_regularizer", null);
        c.put("kernel_constraint", null);
        c.put("bias_constraint", null);
        previous = layer.units();
      } else if (l instanceof ModelDescription.ActivationLayer a) {
        Activation act = a.activation();
        switch (a.kerasClass()) {
          case "ReLU" -> {
            c.put("max_value", act.maxValue());
            c.put("negative_slope", act.negativeSlope());
            c.put("threshold", act.threshold());
          }
          case "LeakyReLU" -> c.put("negative_slope", act.negativeSlope());
          case "ELU" -> c.put("alpha", act.negativeSlope());
          case "Softmax" -> c.put("axis", -1);
          default -> {
            String an = act.kerasName();
            if (an == null) {
              throw new IOException(
                  "layer '" + name + "''s activation " + act + " has no name in Keras's config");
            }
            c.put("activation", an);
          }
        }
      } else if (l instanceof ModelDescription.Rescaling r) {
        c.put("scale", r.scale());
        c.put("offset", r.offset());
      } else if (l instanceof ModelDescription.Normalization n) {
        c.put("axis", List.of(-1));
        c.put("invert", false);
        c.put("mean", toList(n.mean()));
        c.put("variance", toList(n.variance()));
      } else if (l instanceof ModelDescription.BatchNormalization b) {
        c.put("axis", -1);
        c.put("momentum", 0.99);
        c.put("epsilon", b.epsilon());
        c.put("center", b.beta() != null);
        c.put("scale", b.gamma() != null);
      } else if (l instanceof ModelDescription.PRelu p) {
        c.put("shared_axes", p.alpha().length == 1 ? List.of(1) : null);
      } else if (l instanceof ModelDescription.Dropout dr) {
        c.put("rate", dr.rate());
        c.put("seed", null);
        c.put("noise_shape", null);
      }
      layers.add(layer(l.kerasClass(), c, in));
    }
    Map<String, Object> sequential = new LinkedHashMap<>();
    sequential.put("name", "lesson_mlp");
    sequential.put("trainable", true);
    sequential.put("dtype", "float32");
    sequential.put("layers", layers);
    sequential.put("build_input_shape", inputShape);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("module", "keras");
    root.put("class_name", "Sequential");
    root.put("config", sequential);
    root.put("registered_name", null);
    root.put("build_config", Map.of("input_shape", inputShape));
    return root;
  }

  private static boolean isLessonScope(String name) {
    return name.equals("out") || name.startsWith("hidden_layer");
  }

  private static Map<String, Object> base(String name) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("trainable", true);
    c.put("dtype", "float32");
    return c;
  }

  private static List<Object> toList(float[] v) {
    List<Object> out = new ArrayList<>();
    for (float f : v) {
      out.add((double) f);
    }
    return out;
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
