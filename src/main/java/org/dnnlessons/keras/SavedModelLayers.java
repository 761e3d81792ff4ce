package org.dnnlessons.keras;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * The layers of a Keras model saved as a SavedModel directory ({@code model.export(dir)} or {@code
 * tf.saved_model.save(model, dir)}): the variables from {@code variables/variables}, found through
 * the object graph (see {@link ObjectGraphModel}); {@code saved_model.pb} gives the variables'
 * names and the ops the model computes, so a model with an activation other than ReLU (and softmax)
 * is refused.
 */
final class SavedModelLayers {

  /** The SavedModel's graph file. */
  static final String SAVED_MODEL_PB = "saved_model.pb";

  /** {@code saved_model.pb} files larger than this are refused (Keras MLPs' are under 1 MB). */
  static final long MAX_SAVED_MODEL_BYTES = 256L << 20;

  /** Activation ops the lesson's MLP does not compute; a SavedModel that runs one is refused. */
  private static final Set<String> OTHER_ACTIVATIONS =
      Set.of(
          "Tanh",
          "Sigmoid",
          "Elu",
          "Selu",
          "Softplus",
          "Softsign",
          "LeakyRelu",
          "Relu6",
          "Erf",
          "Conv2D",
          "Conv3D",
          "DepthwiseConv2dNative",
          "MaxPool",
          "AvgPool");

  private SavedModelLayers() {}

  /** True when {@code dir} is a SavedModel directory. */
  static boolean isSavedModel(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(SAVED_MODEL_PB));
  }

  static List<KerasLayer> read(Path dir) throws CheckpointException {
    Path pb = dir.resolve(SAVED_MODEL_PB);
    SavedModel model = parse(pb);
    MetaGraphDef meta = null;
    for (MetaGraphDef m : model.getMetaGraphsList()) {
      if (m.hasObjectGraphDef()) {
        meta = m;
        break;
      }
    }
    if (meta == null) {
      throw new CheckpointException(
          pb,
          CheckpointException.NO_OFFSET,
          "no meta graph with an object graph: a TensorFlow 1 SavedModel, not a Keras model's");
    }
    Set<String> refused = new TreeSet<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      if (OTHER_ACTIVATIONS.contains(n.getOp())) {
        refused.add(n.getOp());
      }
    }
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      for (NodeDef n : f.getNodeDefList()) {
        if (OTHER_ACTIVATIONS.contains(n.getOp())) {
          refused.add(n.getOp());
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new CheckpointException(
          pb,
          CheckpointException.NO_OFFSET,
          "the model computes "
              + String.join(", ", refused)
              + "; the lesson's MLP is Dense layers with relu (softmax at the output)");
    }
    CheckpointReader reader = CheckpointReader.open(dir.resolve("variables").resolve("variables"));
    if (!ObjectGraphModel.hasObjectGraph(reader)) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "no "
              + ObjectGraphModel.OBJECT_GRAPH_KEY
              + " entry: the variables carry no object graph");
    }
    return ObjectGraphModel.layers(reader, meta.getObjectGraphDef());
  }

  private static SavedModel parse(Path pb) throws CheckpointException {
    ReadLimits limits = ReadLimits.forHeap();
    byte[] bytes = BoundedHdf5.readFile(pb, Math.min(MAX_SAVED_MODEL_BYTES, limits.fileBytes()));
    ProtoLimits.check(
        pb, SAVED_MODEL_PB, bytes, SavedModel.getDescriptor(), limits.protoMessages());
    try {
      return SavedModel.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(
          pb, CheckpointException.NO_OFFSET, "not a SavedModel proto: " + e.getMessage(), e);
    }
  }
}
