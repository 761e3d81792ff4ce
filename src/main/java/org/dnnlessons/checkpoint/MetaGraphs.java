package org.dnnlessons.checkpoint;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.VariableDef;

/**
 * Builds the {@code MetaGraphDef} written beside a checkpoint as {@code prefix.meta}: the whole
 * graph, the saver's op names ({@code SaverDef}) and the {@code variables} and {@code
 * trainable_variables} collections, which is what Python's {@code
 * tf.compat.v1.train.import_meta_graph(path)} needs to rebuild the graph and return a Saver whose
 * {@code restore} works.
 */
final class MetaGraphs {

  /** The TensorFlow version of the runtime TensorFlow Java 1.1.0 embeds. */
  static final String TENSORFLOW_VERSION = "2.18.0";

  private MetaGraphs() {}

  static MetaGraphDef export(Graph graph, SaverDef saverDef, List<Output<?>> variables) {
    CollectionDef.BytesList.Builder vars = CollectionDef.BytesList.newBuilder();
    for (Output<?> v : variables) {
      VariableDef def = variableDef(graph, v);
      if (def != null) {
        vars.addValue(def.toByteString());
      }
    }
    MetaGraphDef.Builder meta =
        MetaGraphDef.newBuilder()
            .setMetaInfoDef(
                MetaGraphDef.MetaInfoDef.newBuilder()
                    .setTensorflowVersion(TENSORFLOW_VERSION)
                    .setTensorflowGitVersion("dnn-lessons (TensorFlow Java 1.1.0)"))
            .setGraphDef(graph.toGraphDef())
            .setSaverDef(saverDef);
    if (vars.getValueCount() > 0) {
      CollectionDef collection = CollectionDef.newBuilder().setBytesList(vars).build();
      meta.putCollectionDef("variables", collection);
      meta.putCollectionDef("trainable_variables", collection);
    }
    return meta.build();
  }

  /**
   * The {@code VariableDef} of a variable laid out as {@code tf.Variable} lays it out ({@code
   * name}, {@code name/Assign}, {@code name/read}), or {@code null} for another layout.
   */
  private static VariableDef variableDef(Graph graph, Output<?> variable) {
    String name = variable.op().name();
    GraphOperation assign = graph.operation(name + "/Assign");
    GraphOperation read = graph.operation(name + "/read");
    if (assign == null || read == null || assign.numInputs() < 2) {
      return null;
    }
    return VariableDef.newBuilder()
        .setVariableName(name + ":0")
        .setInitializerName(assign.name())
        .setSnapshotName(read.name() + ":0")
        .setInitialValueName(assign.input(1).op().name() + ":" + assign.input(1).index())
        .setTrainable(true)
        .build();
  }
}
