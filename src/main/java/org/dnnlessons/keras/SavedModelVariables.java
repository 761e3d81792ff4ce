package org.dnnlessons.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject.SerializedTensor;

/**
 * The variables of a SavedModel directory as Python names them: {@code [v.name for v in
 * tf.saved_model.load(dir).variables]} without the {@code :0} ({@code sequential/dense/kernel}),
 * from {@code saved_model.pb}'s object graph; a variable it names nothing (a TensorFlow 1
 * SavedModel, such as the product's own {@code train --export DIR}) keeps its checkpoint key, as
 * {@code tf.train.list_variables(dir + "/variables/variables")} shows it. What {@code inspect}
 * lists for a SavedModel.
 */
public final class SavedModelVariables {

  private SavedModelVariables() {}

  /**
   * True when {@code dir} is a SavedModel directory.
   *
   * @param dir any path
   * @return true when {@code dir} is a directory holding {@code saved_model.pb}
   */
  public static boolean accepts(Path dir) {
    return SavedModelLayers.isSavedModel(dir);
  }

  /**
   * Every variable with its values, in the order of the variables bundle (Python's names where the
   * object graph gives them); the object graph itself is left out.
   *
   * @param dir a SavedModel directory ({@code tf.saved_model.save}'s or {@code train --export}'s)
   * @return one tensor per variable with its dtype, shape and values; Python's name where the
   *     object graph gives one, else the checkpoint key
   * @throws CheckpointException one line naming the file when {@code saved_model.pb} or the
   *     variables bundle is missing, corrupt or beyond the readers' bounds
   */
  public static List<CheckpointTensor> read(Path dir) throws CheckpointException {
    Path pb = dir.resolve(SavedModelLayers.SAVED_MODEL_PB);
    MetaGraphDef meta = SavedModelLayers.serving(pb, SavedModelLayers.parse(pb));
    CheckpointReader reader = CheckpointReader.open(dir.resolve("variables").resolve("variables"));
    Map<String, String> names = new HashMap<>();
    if (meta.hasObjectGraphDef() && ObjectGraphModel.hasObjectGraph(reader)) {
      TrackableObjectGraph graph = ObjectGraphModel.parse(reader);
      List<SavedObject> saved = meta.getObjectGraphDef().getNodesList();
      for (int id = 0; id < graph.getNodesCount() && id < saved.size(); id++) {
        if (!saved.get(id).hasVariable() || saved.get(id).getVariable().getName().isEmpty()) {
          continue;
        }
        for (SerializedTensor a : graph.getNodes(id).getAttributesList()) {
          if (a.getName().equals("VARIABLE_VALUE")) {
            names.put(a.getCheckpointKey(), saved.get(id).getVariable().getName());
          }
        }
      }
    }
    List<CheckpointTensor> out = new ArrayList<>();
    Map<String, List<CheckpointTensor>> listed = new HashMap<>();
    for (TensorInfo info : reader.tensors()) {
      if (info.name().equals(ObjectGraphModel.OBJECT_GRAPH_KEY)) {
        continue;
      }
      CheckpointTensor t = reader.read(info.name());
      String name = names.getOrDefault(info.name(), info.name());
      // Keras's export saves each variable twice (_all_variables/N, variables/N): a copy (same
      // name, shape and values) is left out, but never a variable that only shares its name (a
      // subclassed model's layers are all 'subclassed/kernel', 'subclassed/bias' in Python)
      List<CheckpointTensor> same = listed.computeIfAbsent(name, k -> new ArrayList<>());
      if (same.stream().anyMatch(o -> sameValues(o, t))) {
        continue;
      }
      same.add(t);
      out.add(
          new CheckpointTensor(
              new TensorInfo(name, info.dtype(), info.shape()), t.data(), t.strings()));
    }
    return out;
  }

  private static boolean sameValues(CheckpointTensor a, CheckpointTensor b) {
    return a.info().dtype() == b.info().dtype()
        && Arrays.equals(a.info().shape(), b.info().shape())
        && Arrays.equals(a.data(), b.data())
        && a.strings().size() == b.strings().size();
  }
}
