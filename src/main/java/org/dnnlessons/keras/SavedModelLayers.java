package org.dnnlessons.keras;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.ProtoLimits;
import org.dnnlessons.savedmodel.ServingGraph;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/**
 * The layers of a Keras model saved as a SavedModel directory ({@code model.export(dir)} or {@code
 * tf.saved_model.save(model, dir)}): the variables from {@code variables/variables}, found through
 * the object graph (see {@link ObjectGraphModel}); {@code saved_model.pb} gives the variables'
 * names and the ops the model computes ({@link ServingGraph}), so a model that computes anything
 * but the lesson's MLP is refused, naming what it computes.
 */
final class SavedModelLayers {

  /** The SavedModel's graph file. */
  static final String SAVED_MODEL_PB = "saved_model.pb";

  /** {@code saved_model.pb} files larger than this are refused (Keras MLPs' are under 1 MB). */
  static final long MAX_SAVED_MODEL_BYTES = 256L << 20;

  private SavedModelLayers() {}

  /** True when {@code dir} is a SavedModel directory. */
  static boolean isSavedModel(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(SAVED_MODEL_PB));
  }

  /**
   * The model description and weights of a SavedModel, for {@code train --init-from} and the
   * readers that build a network from a file ({@code evaluate} and {@code predict} run a SavedModel
   * as itself instead, {@code savedmodel.SavedModelRunner}).
   *
   * <p>The serving signature's graph says what each layer computes ({@link ServingGraph}: every op
   * between input and output accounted for, else refused), and the variables bundle holds the
   * weights, found through the object graph. A Keras model's layers are described from the graph
   * (Dense with its use_bias, each activation, Rescaling, Normalization, BatchNormalization with
   * its epsilon, PReLU); {@code --config} states them instead. The product's own {@code train
   * --export DIR} (a TensorFlow 1 graph whose variables carry the lesson's names) is read as the
   * lesson's checkpoint once its graph is checked to be the lesson's MLP.
   *
   * @param config the layers {@code --config} states, or {@code null}
   */
  static MlpWeights weights(Path dir, JsonObject config) throws CheckpointException {
    Path pb = dir.resolve(SAVED_MODEL_PB);
    MetaGraphDef meta = serving(pb, parse(pb));
    ServingGraph graph = ServingGraph.read(pb, meta, SIGNATURE_KEY);
    CheckpointReader reader = CheckpointReader.open(dir.resolve("variables").resolve("variables"));
    if (!meta.hasObjectGraphDef() || !ObjectGraphModel.hasObjectGraph(reader)) {
      checkLessonMath(pb, graph);
      return LessonCheckpoints.read(reader);
    }
    List<KerasLayer> layers = ObjectGraphModel.layers(reader, meta.getObjectGraphDef());
    if (config != null) {
      return LayerStack.map(
          dir,
          MlpWeights.Format.SAVED_MODEL,
          "a SavedModel's variables",
          KerasFiles.withConfig(dir, config, layers));
    }
    MlpWeights w =
        LayerStack.map(
            dir,
            MlpWeights.Format.SAVED_MODEL,
            "a SavedModel's variables",
            GraphLayers.configure(pb, graph, layers));
    for (ServingGraph.Step s : graph.steps()) {
      if (s instanceof ServingGraph.Cast c
          && (c.to() == DataType.DT_HALF || c.to() == DataType.DT_BFLOAT16)) {
        List<String> notes = new ArrayList<>(w.notes());
        notes.add(
            dir
                + ": the model computes in "
                + (c.to() == DataType.DT_HALF ? "float16" : "bfloat16")
                + " (its graph casts to "
                + c.to().name()
                + "); Java computes the same network in float32, so its numbers differ in the"
                + " last digits");
        return new MlpWeights(
            w.source(), w.format(), w.model(), w.tensors(), w.sourceNames(), notes);
      }
    }
    return w;
  }

  /** The signature {@code evaluate} and {@code predict} run, and this reader reads. */
  static final String SIGNATURE_KEY = "serving_default";

  /** The meta graph tagged {@code serve}, or the only one. */
  static MetaGraphDef serving(Path pb, SavedModel model) throws CheckpointException {
    for (MetaGraphDef m : model.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().contains("serve")) {
        return m;
      }
    }
    if (model.getMetaGraphsCount() == 1) {
      return model.getMetaGraphs(0);
    }
    throw new CheckpointException(
        pb,
        CheckpointException.NO_OFFSET,
        "no meta graph tagged 'serve' among its " + model.getMetaGraphsCount());
  }

  /**
   * The lesson's MLP: an optional Reshape, then (Dense, relu) one or more times, then Dense,
   * optionally softmax.
   */
  private static void checkLessonMath(Path pb, ServingGraph graph) throws CheckpointException {
    List<ServingGraph.Step> steps = new ArrayList<>(graph.steps());
    if (!steps.isEmpty() && steps.get(0) instanceof ServingGraph.Reshape) {
      steps.remove(0);
    }
    if (!steps.isEmpty()
        && steps.get(steps.size() - 1) instanceof ServingGraph.Activation a
        && a.name().equals("softmax")) {
      steps.remove(steps.size() - 1);
    }
    boolean fits = steps.size() >= 3 && steps.size() % 2 == 1;
    for (int i = 0; fits && i < steps.size(); i++) {
      ServingGraph.Step s = steps.get(i);
      fits =
          i % 2 == 0
              ? s instanceof ServingGraph.Dense d && d.bias()
              : s instanceof ServingGraph.Activation a && a.name().equals("relu");
    }
    if (!fits) {
      throw new CheckpointException(
          pb,
          CheckpointException.NO_OFFSET,
          "the serving signature computes "
              + graph.describe()
              + "; the lesson's MLP is Dense layers with relu between them (a softmax after the"
              + " last allowed); evaluate and predict run this SavedModel as it is");
    }
  }

  static SavedModel parse(Path pb) throws CheckpointException {
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
