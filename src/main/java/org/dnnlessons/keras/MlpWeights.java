package org.dnnlessons.keras;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.FiniteWeights;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * The weights of a multilayer perceptron under the lesson's names, read from any file that holds
 * one: the project's own checkpoints and the four forms Keras 3 saves a model in.
 *
 * <p>{@link #read(Path)} is the one entry point. It accepts:
 *
 * <ul>
 *   <li>a V2 checkpoint of the lesson's MLP (prefix, or directory with a {@code checkpoint} state
 *       file), as {@code train --save} or Python's {@code tf.compat.v1.train.Saver} writes it;
 *   <li>a TensorFlow 2 object-based checkpoint of a Keras model, {@code
 *       tf.train.Checkpoint(model=m).save(prefix)} (prefix or directory): the Dense layers are
 *       found by following the checkpoint's object graph from the model, in layer order; optimizer
 *       slot variables are never read;
 *   <li>a SavedModel directory of a Keras model ({@code m.export(dir)} or {@code
 *       tf.saved_model.save(m, dir)}): {@code saved_model.pb} and {@code variables/variables};
 *   <li>a Keras 3 weights file, {@code m.save_weights("m.weights.h5")} (HDF5);
 *   <li>a Keras 3 archive, {@code m.save("m.keras")} (zip of {@code config.json}, {@code
 *       model.weights.h5}, {@code metadata.json}): {@code config.json} gives the layers, their
 *       units and activations.
 * </ul>
 *
 * <p>What the model computes comes back as a {@link ModelDescription}: from the config of a {@code
 * .keras} archive or a legacy {@code .h5} model ({@code model_config}, Keras 3 and Keras 2 layouts,
 * Sequential and Functional), with every layer of {@link LayerStack#SUPPORTED}; anything else is a
 * {@link CheckpointException} whose one-line message names the layer and its class. The
 * weights-only forms ({@code .weights.h5}, TF2 checkpoints) are described by {@code --config} (a
 * {@code .keras} file or {@code model.to_json()}'s JSON); without it they are read as the lesson's
 * MLP and {@link #notes()} says so. The lesson's checkpoints are described by their {@code .meta}
 * graph when it is there (the activation ops), else by their names (ReLU, as the lesson). The Dense
 * layers' weights map in order onto {@code hidden_layer/weights} [inputs, units], {@code
 * hidden_layer/biases} [units], ..., {@code out/weights} [units, 10] and {@code out/biases} [10]: a
 * Keras kernel is the lesson's weights matrix as is ({@code x @ kernel + bias}, row-major).
 *
 * <pre>{@code
 * MlpWeights w = MlpWeights.read(Path.of("model.keras"));
 * w.hidden();                                         // [256]
 * float[] kernel = w.tensors().get("hidden_layer/weights").floats();   // 784 x 256, row-major
 * try (Graph g = new Graph()) {
 *   Mlp.Network net = Mlp.build(g, Mlp.Options.lesson().withHidden(w.hidden()));
 *   try (Session s = net.model().newSession()) {
 *     w.restore(s, net);                              // instead of running net.init()
 *   }
 * }
 * }</pre>
 *
 * <p>Python counterparts: {@code keras.models.load_model("m.keras")}, {@code
 * m.load_weights("m.weights.h5")}, {@code tf.train.Checkpoint(model=m).restore(prefix)}.
 *
 * @param source the path read
 * @param format which of the forms above it is
 * @param model what the network computes, as the file (or {@code --config}) describes it
 * @param tensors the Dense layers' weights by lesson name, in the order {@code
 *     hidden_layer/weights}, {@code hidden_layer/biases}, ..., {@code out/weights}, {@code
 *     out/biases} (biases absent for {@code use_bias=False}); each float32, its {@link
 *     CheckpointTensor#info()} named with the lesson name
 * @param sourceNames for each lesson name, the name the file gives the tensor (a checkpoint key, a
 *     Keras variable path, an HDF5 dataset path)
 * @param notes lines to print before using the weights: what was assumed (a weights-only file read
 *     as the lesson's MLP) and what was converted (float16 weights widened)
 */
public record MlpWeights(
    Path source,
    MlpWeights.Format format,
    ModelDescription model,
    Map<String, CheckpointTensor> tensors,
    Map<String, String> sourceNames,
    List<String> notes) {

  /** The forms {@link #read(Path)} accepts. */
  public enum Format {
    /** A V2 checkpoint with the lesson's variable names ({@code train --save}, TF1 Saver). */
    LESSON_CHECKPOINT,
    /** {@code tf.train.Checkpoint(model=m).save(prefix)}: a V2 bundle with an object graph. */
    TF2_CHECKPOINT,
    /** {@code m.export(dir)} or {@code tf.saved_model.save(m, dir)}. */
    SAVED_MODEL,
    /** {@code m.save_weights("m.weights.h5")}. */
    KERAS_WEIGHTS_H5,
    /** {@code m.save("m.keras")}. */
    KERAS_ARCHIVE,
    /** {@code m.save("m.h5")}: the legacy HDF5 model, its {@code model_config} and weights. */
    KERAS_H5
  }

  /**
   * Copies the collections, keeping their order.
   *
   * @param source the path read
   * @param format which of the forms it is
   * @param model what the network computes
   * @param tensors the Dense layers' weights by lesson name
   * @param sourceNames for each lesson name, the file's name for the tensor
   * @param notes lines to print before using the weights
   * @throws NullPointerException when {@code source}, {@code format} or {@code model} is null
   */
  public MlpWeights {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(model, "model");
    notes = List.copyOf(notes);
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    sourceNames = Collections.unmodifiableMap(new LinkedHashMap<>(sourceNames));
  }

  /**
   * The widths of the hidden Dense layers ({@link ModelDescription#hidden()}).
   *
   * @return the units of each Dense layer but the output one, in order; empty for a model with no
   *     hidden layer
   */
  public List<Integer> hidden() {
    return model.hidden();
  }

  /**
   * As {@link #read(Path, Path)} without {@code --config}.
   *
   * @param path a checkpoint prefix or directory, a SavedModel directory, a {@code .weights.h5} or
   *     {@code .h5} file, or a {@code .keras} archive
   * @return the weights and the model description the file gives (or the lesson's MLP, with a note,
   *     for a weights-only file)
   * @throws CheckpointException with a one-line reason naming the file, as {@link #read(Path,
   *     Path)}
   */
  public static MlpWeights read(Path path) throws CheckpointException {
    return read(path, null);
  }

  /**
   * Reads the lesson-named weights from any supported path (see the class comment). The files are
   * parsed in Java and TensorFlow's native library is not loaded (the gradient {@code Activation}
   * registers with it is registered when a graph is built).
   *
   * @param path a checkpoint prefix or directory, a SavedModel directory, a {@code .weights.h5} or
   *     {@code .h5} file, or a {@code .keras} archive
   * @param config for the weights-only forms ({@code .weights.h5}, TF2 checkpoints): a {@code
   *     .keras} file or {@code model.to_json()}'s JSON file describing the model; {@code null} to
   *     read them as the lesson's MLP (with a note saying so)
   * @throws CheckpointException with a one-line reason naming the file: missing or corrupt files,
   *     sizes beyond the readers' bounds, a model that is not a stack of Dense layers (naming the
   *     layer), a V2 checkpoint without the lesson's names, a tensor holding NaN or infinite values
   *     ({@link FiniteWeights}: named with the file's name for it, the values counted)
   * @return the weights and the model description the file (or {@code config}) gives
   */
  public static MlpWeights read(Path path, Path config) throws CheckpointException {
    return finite(readAny(path, config));
  }

  private static MlpWeights readAny(Path path, Path config) throws CheckpointException {
    Objects.requireNonNull(path, "path");
    JsonObject modelConfig = config == null ? null : KerasFiles.readModelConfig(config);
    if (SavedModelLayers.isSavedModel(path)) {
      return SavedModelLayers.weights(path, modelConfig);
    }
    if (!Files.exists(path) && hasKerasSuffix(path)) {
      throw new CheckpointException(path, CheckpointException.NO_OFFSET, "no such file");
    }
    if (Files.isRegularFile(path)) {
      if (KerasFiles.isZip(path)) {
        return KerasFiles.readArchive(path);
      }
      if (KerasFiles.isHdf5(path)) {
        return KerasFiles.readHdf5(path, modelConfig);
      }
      if (!Files.isRegularFile(Path.of(path + ".index"))) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "neither a zip (.keras) nor an HDF5 (.weights.h5) file, nor a checkpoint prefix");
      }
    }
    CheckpointReader reader = CheckpointReader.open(path);
    if (!reader.contains("out/weights") && ObjectGraphModel.hasObjectGraph(reader)) {
      return LayerStack.map(
          reader.prefix(),
          Format.TF2_CHECKPOINT,
          "a TF2 checkpoint",
          KerasFiles.withConfig(
              reader.prefix(), modelConfig, ObjectGraphModel.layers(reader, null)));
    }
    if (modelConfig != null) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "--config describes a Keras model, but this is a checkpoint of the lesson's names"
              + " (its graph says its layers)");
    }
    return LessonCheckpoints.read(reader);
  }

  /**
   * Reads a checkpoint by its own keys, as {@code --map OLD=NEW} names them: a {@code tf.Module}
   * MLP's TF2 keys, an Estimator's, tf.keras 2's {@code layer_with_weights-N/kernel/...}. Each
   * {@code NEW} is a lesson name ({@code hidden_layer/weights}, ..., {@code out/biases}), or {@code
   * OLD/=NEW/} maps a scope. A checkpoint holds weights only: the layers are the lesson's MLP with
   * {@code hidden} activations, and {@link #notes()} says so.
   *
   * @param path a checkpoint prefix or directory
   * @param map lesson name (or scope) for each of the checkpoint's keys (or scopes), as {@code
   *     --map OLD=NEW,...} gives them
   * @param hidden the hidden layers' activation ({@code --activation}, default relu)
   * @return the weights under the lesson's names, with a note saying the layers were assumed
   * @throws CheckpointException naming a key the checkpoint lacks, or the lesson names the map
   *     leaves out; a tensor holding NaN or infinite values ({@link FiniteWeights})
   * @throws IllegalArgumentException for a malformed entry or one naming no lesson variable
   */
  public static MlpWeights readMapped(Path path, Map<String, String> map, Activation hidden)
      throws CheckpointException {
    return finite(readMappedAny(path, map, hidden));
  }

  private static MlpWeights readMappedAny(Path path, Map<String, String> map, Activation hidden)
      throws CheckpointException {
    CheckpointReader reader = CheckpointReader.open(path);
    Map<String, String> keyOf = new LinkedHashMap<>(); // lesson name -> key
    for (Map.Entry<String, String> e : map.entrySet()) {
      String old = e.getKey();
      String now = e.getValue();
      if (old.isEmpty() || now.isEmpty() || old.endsWith("/") != now.endsWith("/")) {
        throw new IllegalArgumentException(
            "--map: expected KEY=NAME or OLD_SCOPE/=NEW_SCOPE/, found '" + old + "=" + now + "'");
      }
      if (old.endsWith("/")) {
        for (TensorInfo t : reader.tensors()) {
          if (t.name().startsWith(old)) {
            keyOf.put(now + t.name().substring(old.length()), t.name());
          }
        }
      } else {
        if (!reader.contains(old)) {
          throw new CheckpointException(
              reader.prefix(),
              CheckpointException.NO_OFFSET,
              "--map " + old + "=" + now + ": no key '" + old + "'" + reader.closestNames(old));
        }
        keyOf.put(now, old);
      }
    }
    List<ModelDescription.Layer> layers = new ArrayList<>();
    List<String> scopes = new ArrayList<>();
    for (int i = 0; keyOf.containsKey(Mlp.hiddenScope(i) + "/weights"); i++) {
      scopes.add(Mlp.hiddenScope(i));
    }
    scopes.add("out");
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < scopes.size(); i++) {
      String w = scopes.get(i) + "/weights";
      String b = scopes.get(i) + "/biases";
      if (!keyOf.containsKey(w)) {
        throw new CheckpointException(
            reader.prefix(),
            CheckpointException.NO_OFFSET,
            "--map names no key for " + w + " (it maps " + String.join(", ", keyOf.keySet()) + ")");
      }
      CheckpointTensor kernel = reader.read(keyOf.get(w));
      long[] shape = kernel.info().shape();
      if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE) {
        throw new CheckpointException(
            reader.prefix(),
            CheckpointException.NO_OFFSET,
            "--map: '"
                + keyOf.get(w)
                + "' has shape "
                + kernel.info().compactShape()
                + ", expected [inputs, units] for "
                + w);
      }
      boolean bias = keyOf.containsKey(b);
      boolean output = i == scopes.size() - 1;
      layers.add(
          new ModelDescription.Dense(
              scopes.get(i), (int) shape[1], bias, output ? Activation.LINEAR : hidden));
      tensors.put(w, kernel);
      names.put(w, keyOf.get(w));
      if (bias) {
        tensors.put(b, reader.read(keyOf.get(b)));
        names.put(b, keyOf.get(b));
      }
    }
    Set<String> unknown = new TreeSet<>(keyOf.keySet());
    unknown.removeAll(tensors.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "--map names "
              + unknown
              + ", which are no variables of the lesson's MLP "
              + tensors.keySet());
    }
    ModelDescription model;
    try {
      model = new ModelDescription(1.0, layers);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(reader.prefix(), CheckpointException.NO_OFFSET, e.getMessage());
    }
    // the tensors go through the same dtype checks as a Keras file's
    List<KerasLayer> dense = new ArrayList<>();
    for (int i = 0; i < scopes.size(); i++) {
      List<CheckpointTensor> w = new ArrayList<>();
      w.add(named(tensors.get(scopes.get(i) + "/weights"), names.get(scopes.get(i) + "/weights")));
      if (tensors.containsKey(scopes.get(i) + "/biases")) {
        w.add(named(tensors.get(scopes.get(i) + "/biases"), names.get(scopes.get(i) + "/biases")));
      }
      dense.add(new KerasLayer(scopes.get(i), null, null, w));
    }
    MlpWeights mapped =
        LayerStack.map(
            reader.prefix(), Format.TF2_CHECKPOINT, "a checkpoint read with --map", dense);
    List<String> notes = new ArrayList<>();
    notes.add(
        reader.prefix()
            + ": --map names weights only; read as the lesson's MLP "
            + model.summary()
            + " (pixels/255 in; --activation states the hidden layers')");
    for (String n : mapped.notes()) {
      if (!n.contains("holds weights only")) {
        notes.add(n);
      }
    }
    return new MlpWeights(
        reader.prefix(), Format.TF2_CHECKPOINT, model, mapped.tensors(), names, notes);
  }

  /** Every tensor's values checked by {@link FiniteWeights}, named as the file names it. */
  private static MlpWeights finite(MlpWeights w) throws CheckpointException {
    for (Map.Entry<String, CheckpointTensor> e : w.tensors().entrySet()) {
      FiniteWeights.check(
          w.source(), w.sourceNames().getOrDefault(e.getKey(), e.getKey()), e.getValue().floats());
    }
    return w;
  }

  private static CheckpointTensor named(CheckpointTensor t, String name) {
    return new CheckpointTensor(
        new TensorInfo(name, t.info().dtype(), t.info().shape()), t.data(), t.strings());
  }

  /**
   * True when {@link #read(Path)} would read {@code path} as one of Keras's forms rather than as a
   * checkpoint with the lesson's names. Cheap: looks at file names, magic bytes and the index.
   *
   * @param path any path a user passes as {@code --checkpoint}
   * @return whether it is a SavedModel, a Keras file or a TF2 object-based checkpoint
   */
  public static boolean isKerasForm(Path path) {
    if (SavedModelLayers.isSavedModel(path) || (!Files.exists(path) && hasKerasSuffix(path))) {
      return true;
    }
    if (Files.isRegularFile(path) && (KerasFiles.isZip(path) || KerasFiles.isHdf5(path))) {
      return true;
    }
    try {
      CheckpointReader reader = CheckpointReader.open(path);
      return !reader.contains("out/weights") && ObjectGraphModel.hasObjectGraph(reader);
    } catch (CheckpointException e) {
      return false;
    }
  }

  private static boolean hasKerasSuffix(Path path) {
    String name = String.valueOf(path.getFileName());
    return name.endsWith(".keras") || name.endsWith(".h5");
  }

  /**
   * The current values of a built network's variables, as {@code train --export-keras} hands them
   * to {@link KerasExport}; its {@link #source()} is {@code <session>}.
   *
   * @param session a session whose variables are initialized or restored
   * @param net the network built by {@link Mlp#build}
   * @param model the description it was built from
   * @return the variables' values under the lesson's names, format {@link Format#LESSON_CHECKPOINT}
   */
  public static MlpWeights of(Session session, Mlp.Network net, ModelDescription model) {
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    Session.Runner fetch = session.runner();
    net.variables().forEach(fetch::fetch);
    try (Result values = fetch.run()) {
      for (int i = 0; i < net.variables().size(); i++) {
        String name = net.variables().get(i).name();
        TFloat32 value = (TFloat32) values.get(i);
        float[] floats = Tensors.toArray(value);
        ByteBuffer bytes = ByteBuffer.allocate(floats.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(floats);
        tensors.put(
            name,
            new CheckpointTensor(
                new TensorInfo(name, DataType.DT_FLOAT, value.shape().asArray()),
                bytes.array(),
                List.of()));
        names.put(name, name);
      }
    }
    // lesson order: each layer's weights, then its biases
    Map<String, CheckpointTensor> ordered = new LinkedHashMap<>();
    List<ModelDescription.Dense> dense = model.dense();
    for (int i = 0; i < dense.size(); i++) {
      String scope = ModelDescription.denseScope(i, dense.size());
      ordered.put(scope + "/weights", tensors.get(scope + "/weights"));
      if (dense.get(i).useBias()) {
        ordered.put(scope + "/biases", tensors.get(scope + "/biases"));
      }
    }
    return new MlpWeights(
        Path.of("<session>"), Format.LESSON_CHECKPOINT, model, ordered, names, List.of());
  }

  /**
   * Assigns these weights to the network's variables, in one run, instead of running its
   * initializer; nothing is assigned unless every variable has a tensor of its shape.
   *
   * @param session a session of the network's graph
   * @param net the network built by {@link Mlp#build} from {@link #model()}
   * @throws CheckpointException naming the variable when a tensor is missing or its shape differs
   *     (for example a file whose first Dense layer takes 784 inputs and images of another size)
   */
  public void restore(Session session, Mlp.Network net) throws CheckpointException {
    List<TFloat32> values = new ArrayList<>();
    try {
      Session.Runner run = session.runner();
      for (NamedVariable<TFloat32> v : net.variables()) {
        CheckpointTensor t = tensors.get(v.name());
        if (t == null) {
          throw new CheckpointException(
              source,
              CheckpointException.NO_OFFSET,
              "no tensor for the network's variable '"
                  + v.name()
                  + "' (the file has "
                  + String.join(", ", tensors.keySet())
                  + ")");
        }
        Shape shape = Shape.of(t.info().shape());
        if (!v.shape().equals(shape)) {
          throw new CheckpointException(
              source,
              CheckpointException.NO_OFFSET,
              "shape mismatch for variable '"
                  + v.name()
                  + "' ('"
                  + sourceNames.get(v.name())
                  + "' in the file): the file holds "
                  + shape
                  + ", the network has "
                  + v.shape());
        }
        TFloat32 value = TFloat32.tensorOf(shape, DataBuffers.of(t.floats(), true, false));
        values.add(value);
        // Feeding the initializer's initial value assigns the file's tensor instead
        run.feed(((GraphOperation) v.initializer().op()).input(1), value)
            .addTarget(v.initializer());
      }
      run.run().close();
    } finally {
      values.forEach(TFloat32::close);
    }
  }
}
