package org.dnnlessons.checkpoint;

import java.util.Iterator;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operation;
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

  /**
   * The meta graph of {@code graph} with {@code saverDef}; every variable in {@code variables} is
   * registered in the {@code variables} and {@code trainable_variables} collections.
   *
   * @param restoreAssigns the saver's restore {@code Assign} op of each variable, the initializer
   *     recorded for a variable the graph gives none
   */
  static MetaGraphDef export(
      Graph graph, SaverDef saverDef, List<Output<?>> variables, List<Operation> restoreAssigns) {
    CollectionDef.BytesList.Builder vars = CollectionDef.BytesList.newBuilder();
    for (int i = 0; i < variables.size(); i++) {
      vars.addValue(variableDef(graph, variables.get(i), restoreAssigns.get(i)).toByteString());
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
   * The {@code VariableDef} Python's {@code Variable.to_proto} would give: the variable, its
   * initializer and its snapshot. A variable laid out as {@code tf.Variable} lays it out ({@code
   * name}, {@code name/Assign}, {@code name/read}) gets those; one built with plain TensorFlow Java
   * ops gets the {@code Assign} that initializes it (not a saver's restore), any {@code Identity}
   * reading it, else the variable's own output, and, when nothing in the graph initializes it, the
   * saver's restore {@code Assign}.
   */
  private static VariableDef variableDef(Graph graph, Output<?> variable, Operation restoreAssign) {
    String name = variable.op().name();
    Operation initializer = graph.operation(name + "/Assign");
    Operation snapshot = graph.operation(name + "/read");
    Iterator<GraphOperation> ops = graph.operations();
    while (ops.hasNext() && (initializer == null || snapshot == null)) {
      GraphOperation op = ops.next();
      if (op.numInputs() == 0 || !op.input(0).op().name().equals(name)) {
        continue;
      }
      if (initializer == null && op.type().equals("Assign") && isInitializer(op)) {
        initializer = op;
      } else if (snapshot == null && op.type().equals("Identity")) {
        snapshot = op;
      }
    }
    boolean ownInitializer = initializer != null;
    if (!ownInitializer) {
      initializer = restoreAssign;
    }
    VariableDef.Builder def =
        VariableDef.newBuilder()
            .setVariableName(name + ":0")
            .setInitializerName(initializer.name())
            .setSnapshotName(snapshot != null ? snapshot.name() + ":0" : name + ":0")
            .setTrainable(true);
    if (ownInitializer && ((GraphOperation) initializer).numInputs() >= 2) {
      Output<?> value = ((GraphOperation) initializer).input(1);
      def.setInitialValueName(value.op().name() + ":" + value.index());
    }
    return def.build();
  }

  /** False for the {@code Assign} ops of a saver's restore (fed by RestoreV2 or a placeholder). */
  private static boolean isInitializer(GraphOperation assign) {
    if (assign.numInputs() < 2) {
      return false;
    }
    Operation value = assign.input(1).op();
    return !value.type().equals("RestoreV2") && !value.name().contains("/restore_fed/");
  }
}
