package org.dnnlessons.keras;

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
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.nn.Mlp;
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
 * <p>The model must be a stack of Dense layers (ReLU hidden layers, a linear or softmax output
 * layer of 10 units, any widths), optionally after {@code InputLayer}/{@code Flatten}, with {@code
 * Dropout} anywhere (the identity at inference). Its Dense layers map in order onto {@code
 * hidden_layer/weights} [inputs, units], {@code hidden_layer/biases} [units], {@code
 * hidden_layer_2/...}, ..., {@code out/weights} [units, 10] and {@code out/biases} [10]: a Keras
 * kernel is the lesson's weights matrix as is ({@code x @ kernel + bias}, row-major). With a
 * softmax output, the lesson's {@code logits} are the output layer's values before the softmax.
 * Anything else (a {@code Conv2D}, a {@code tanh} activation, a nested model) is a {@link
 * CheckpointException} whose one-line message names the layer. Only {@code .keras} files say which
 * activations a model uses; SavedModels are checked for the ops they compute; TF2 checkpoints and
 * {@code .weights.h5} files hold only weights, so their hidden layers are taken to be ReLU.
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
 * @param hidden the hidden layers' widths, in order (at least one)
 * @param tensors every weight and bias by lesson name, in the order {@code hidden_layer/weights},
 *     {@code hidden_layer/biases}, ..., {@code out/weights}, {@code out/biases}; each float32, its
 *     {@link CheckpointTensor#info()} named with the lesson name
 * @param sourceNames for each lesson name, the name the file gives the tensor (a checkpoint key, a
 *     Keras variable path, an HDF5 dataset path)
 */
public record MlpWeights(
    Path source,
    MlpWeights.Format format,
    List<Integer> hidden,
    Map<String, CheckpointTensor> tensors,
    Map<String, String> sourceNames) {

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
    KERAS_ARCHIVE
  }

  /** Copies the collections, keeping their order. */
  public MlpWeights {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(format, "format");
    hidden = List.copyOf(hidden);
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    sourceNames = Collections.unmodifiableMap(new LinkedHashMap<>(sourceNames));
  }

  /**
   * Reads the lesson-named weights from any supported path (see the class comment). Pure Java: no
   * native TensorFlow is loaded.
   *
   * @param path a checkpoint prefix or directory, a SavedModel directory, a {@code .weights.h5} or
   *     {@code .h5} file, or a {@code .keras} archive
   * @throws CheckpointException with a one-line reason naming the file: missing or corrupt files,
   *     sizes beyond the readers' bounds, a model that is not a stack of Dense layers (naming the
   *     layer), a V2 checkpoint without the lesson's names
   */
  public static MlpWeights read(Path path) throws CheckpointException {
    Objects.requireNonNull(path, "path");
    if (SavedModelLayers.isSavedModel(path)) {
      return SavedModelLayers.weights(path);
    }
    if (!Files.exists(path) && hasKerasSuffix(path)) {
      throw new CheckpointException(path, CheckpointException.NO_OFFSET, "no such file");
    }
    if (Files.isRegularFile(path)) {
      if (KerasFiles.isZip(path)) {
        return KerasFiles.readArchive(path);
      }
      if (KerasFiles.isHdf5(path)) {
        return KerasFiles.readWeightsH5(path);
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
      return DenseStack.map(
          reader.prefix(), Format.TF2_CHECKPOINT, ObjectGraphModel.layers(reader, null));
    }
    return lessonCheckpoint(reader, Format.LESSON_CHECKPOINT);
  }

  /**
   * True when {@link #read(Path)} would read {@code path} as one of Keras's forms rather than as a
   * checkpoint with the lesson's names. Cheap: looks at file names, magic bytes and the index.
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

  static MlpWeights lessonCheckpoint(CheckpointReader reader, Format format)
      throws CheckpointException {
    List<Integer> hidden = new ArrayList<>();
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; reader.contains(Mlp.hiddenScope(i) + "/weights"); i++) {
      long[] shape = reader.info(Mlp.hiddenScope(i) + "/weights").shape();
      if (shape.length != 2) {
        throw new CheckpointException(
            reader.prefix(),
            CheckpointException.NO_OFFSET,
            Mlp.hiddenScope(i)
                + "/weights has shape "
                + java.util.Arrays.toString(shape)
                + ", expected [inputs, units]");
      }
      hidden.add(Math.toIntExact(shape[1]));
    }
    if (hidden.isEmpty() || !reader.contains("out/weights")) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "no hidden_layer/weights and out/weights: not a checkpoint of the lesson's MLP"
              + " (nor of a Keras model: it has no object graph)");
    }
    List<String> scopes = new ArrayList<>();
    for (int i = 0; i < hidden.size(); i++) {
      scopes.add(Mlp.hiddenScope(i));
    }
    scopes.add("out");
    for (String scope : scopes) {
      for (String name : List.of(scope + "/weights", scope + "/biases")) {
        tensors.put(name, reader.read(name));
        names.put(name, name);
      }
    }
    return new MlpWeights(reader.prefix(), format, hidden, tensors, names);
  }

  /**
   * The current values of a built network's variables, as {@code train --export-keras} hands them
   * to {@link KerasExport}; its {@link #source()} is {@code <session>}.
   *
   * @param session a session whose variables are initialized or restored
   * @param net the network built by {@link Mlp#build}
   */
  public static MlpWeights of(Session session, Mlp.Network net) {
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
    List<Integer> hidden = new ArrayList<>();
    for (int i = 0; tensors.containsKey(Mlp.hiddenScope(i) + "/weights"); i++) {
      hidden.add(Math.toIntExact(tensors.get(Mlp.hiddenScope(i) + "/weights").info().shape()[1]));
    }
    // lesson order: each layer's weights, then its biases
    Map<String, CheckpointTensor> ordered = new LinkedHashMap<>();
    for (int i = 0; i <= hidden.size(); i++) {
      String scope = i == hidden.size() ? "out" : Mlp.hiddenScope(i);
      ordered.put(scope + "/weights", tensors.get(scope + "/weights"));
      ordered.put(scope + "/biases", tensors.get(scope + "/biases"));
    }
    return new MlpWeights(Path.of("<session>"), Format.LESSON_CHECKPOINT, hidden, ordered, names);
  }

  /**
   * Assigns these weights to the network's variables, in one run, instead of running its
   * initializer; nothing is assigned unless every variable has a tensor of its shape.
   *
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
