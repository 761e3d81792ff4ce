package org.dnnlessons.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * A {@link Saver}'s ops in the graph and its {@code SaverDef}, as Python's {@code
 * BaseSaverBuilder.build} adds them, in a {@code save} name scope ({@code save_1}, ... for a
 * graph's later savers): {@code save/Const} (the file name), {@code save/SaveV2}, {@code
 * save/control_dependency}, {@code save/RestoreV2}, {@code save/Assign_N} and {@code
 * save/restore_all}, which Python's {@code import_meta_graph} uses; and, for Java's own restore,
 * {@code save/restore_fed/value_N} and {@code save/restore_fed/Assign_N}, which Python never runs.
 * Each {@code run...} method runs some of them in a session.
 */
final class SaverOps {

  private final Graph graph;
  private final List<String> keys;
  private final List<Output<?>> variables;
  private final Operand<TString> filename;
  private final Operation saveOp;
  private final List<Operation> assignOps;
  private final List<Output<?>> fedValues;
  private final List<Operation> fedAssignOps;
  private final SaverDef saverDef;

  /**
   * Adds the ops for {@code varList} to {@code graph}.
   *
   * @param varList checkpoint key to {@code VariableV2} output, in key order
   * @param maxToKeep recorded in the {@code SaverDef}
   */
  SaverOps(Graph graph, Map<String, Output<?>> varList, int maxToKeep) {
    this.graph = graph;
    this.keys = List.copyOf(varList.keySet());
    this.variables = List.copyOf(varList.values());
    DataType[] dtypes = dtypes();
    Ops save = Ops.create(graph).withSubScope("save");
    Operand<TString> defaultName =
        save.withSubScope("filename").withName("input").constant("model");
    Operand<TString> filenameInput =
        save.withName("filename").placeholderWithDefault(defaultName, Shape.scalar());
    this.filename = save.withName("Const").placeholderWithDefault(filenameInput, Shape.scalar());
    // "save", or "save_1", "save_2", ... for a graph's second, third, ... Saver, as in Python
    String filenameOp = filename.op().name();
    String scopeName = filenameOp.substring(0, filenameOp.lastIndexOf('/'));
    this.saveOp = bundleOp(save, "SaveV2", scopeName).addInputList(tensors()).build();
    Operand<TString> saveTensor =
        save.withName("control_dependency")
            .withControlDependencies(List.of(asOp(saveOp)))
            .identity(filename);
    GraphOperation restoreOp =
        (GraphOperation) bundleOp(save, "RestoreV2", scopeName).setAttr("dtypes", dtypes).build();
    List<Operation> assigns = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      assigns.add(assign(save, variables.get(i), restoreOp.output(i)));
    }
    this.assignOps = List.copyOf(assigns);
    Operation restoreAll =
        save.withName("restore_all").withControlDependencies(asOps(assignOps)).noOp().op();
    // Java's own restore path (see CheckedRestore): a placeholder and an Assign per variable, fed
    // tensors the pure-Java reader filled; Python never runs these.
    Ops fed = save.withSubScope("restore_fed");
    List<Output<?>> values = new ArrayList<>();
    List<Operation> fedAssigns = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Output<?> value =
          graph
              .opBuilder("Placeholder", fed.scope().makeOpName("value"), fed.scope())
              .setAttr("dtype", dtypes[i])
              .build()
              .output(0);
      values.add(value);
      fedAssigns.add(assign(fed, variables.get(i), value));
    }
    this.fedValues = List.copyOf(values);
    this.fedAssignOps = List.copyOf(fedAssigns);
    this.saverDef = saverDef(saveTensor, restoreAll, maxToKeep);
  }

  /** {@code SaveV2} or {@code RestoreV2} with its file name, tensor names and (empty) slices. */
  private OperationBuilder bundleOp(Ops save, String type, String scopeName) {
    String[] slices = new String[keys.size()];
    Arrays.fill(slices, "");
    Ops inputs = save.withSubScope(type);
    return graph
        .opBuilder(type, scopeName + "/" + type, save.scope())
        .addInput(filename.asOutput())
        .addInput(
            inputs
                .withName("tensor_names")
                .constant(NdArrays.vectorOfObjects(keys.toArray(new String[0])))
                .asOutput())
        .addInput(
            inputs
                .withName("shape_and_slices")
                .constant(NdArrays.vectorOfObjects(slices))
                .asOutput());
  }

  private Operation assign(Ops scope, Output<?> variable, Output<?> value) {
    return graph
        .opBuilder("Assign", scope.scope().makeOpName("Assign"), scope.scope())
        .addInput(variable)
        .addInput(value)
        .setAttr("validate_shape", true)
        .setAttr("use_locking", true)
        .build();
  }

  private SaverDef saverDef(Operand<TString> saveTensor, Operation restoreAll, int maxToKeep) {
    return SaverDef.newBuilder()
        .setFilenameTensorName(filename.asOutput().op().name() + ":0")
        .setSaveTensorName(saveTensor.asOutput().op().name() + ":0")
        .setRestoreOpName(restoreAll.name())
        .setMaxToKeep(maxToKeep)
        .setSharded(false)
        .setKeepCheckpointEveryNHours(10000.0f)
        .setVersion(SaverDef.CheckpointFormatVersion.V2)
        .build();
  }

  private Output<?>[] tensors() {
    return variables.toArray(new Output<?>[0]);
  }

  private DataType[] dtypes() {
    DataType[] dtypes = new DataType[variables.size()];
    for (int i = 0; i < dtypes.length; i++) {
      dtypes[i] = baseType(variables.get(i).dataType());
    }
    return dtypes;
  }

  private static Op asOp(Operation op) {
    return () -> op;
  }

  private static List<Op> asOps(List<Operation> ops) {
    List<Op> out = new ArrayList<>();
    ops.forEach(o -> out.add(asOp(o)));
    return out;
  }

  /** The checkpoint keys, sorted. */
  List<String> keys() {
    return keys;
  }

  /** The variables, in the order of {@link #keys}. */
  List<Output<?>> variables() {
    return variables;
  }

  SaverDef saverDef() {
    return saverDef;
  }

  /** The meta graph: the graph, the {@code SaverDef} and the variable collections. */
  MetaGraphDef metaGraph() {
    return MetaGraphs.export(graph, saverDef, variables, assignOps);
  }

  /** Runs {@code SaveV2}, writing the bundle at {@code prefix} (one shard). */
  void runSaveV2(Session session, String prefix) {
    try (TString file = TString.scalarOf(prefix)) {
      session.runner().feed(filename, file).addTarget(saveOp).run().close();
    }
  }

  /** Runs {@code RestoreV2} and every {@code Assign} in one run: all is read before any assign. */
  void runRestoreV2(Session session, String prefix) {
    try (TString name = TString.scalarOf(prefix)) {
      Session.Runner restore = session.runner().feed(filename, name);
      assignOps.forEach(restore::addTarget);
      restore.run().close();
    }
  }

  /** Assigns {@code values} (in key order) in one run, through {@code save/restore_fed}. */
  void runFedAssigns(Session session, List<Tensor> values) {
    Session.Runner run = session.runner();
    for (int i = 0; i < keys.size(); i++) {
      run.feed(fedValues.get(i), values.get(i));
    }
    fedAssignOps.forEach(run::addTarget);
    run.run().close();
  }

  /** Fetches every variable's value in one run, in key order; the caller closes the result. */
  Result fetchVariables(Session session) {
    Session.Runner fetch = session.runner();
    variables.forEach(fetch::fetch);
    return fetch.run();
  }

  /**
   * Every variable's TensorFlow Java class, in order; {@code null} when a dtype has no fixed
   * element size (strings) or no class (int8, int16, uint32, uint64): then only {@code SaveV2} and
   * {@code RestoreV2} handle the variables.
   */
  List<Class<? extends TType>> fixedSizeTypes() {
    List<Class<? extends TType>> types = new ArrayList<>();
    for (Output<?> v : variables) {
      DataType dtype = baseType(v.dataType());
      Class<? extends TType> type = javaType(dtype);
      if (Dtypes.elementSize(dtype) <= 0 || type == null) {
        return null;
      }
      types.add(type);
    }
    return types;
  }

  /** TensorFlow Java's tensor class for {@code dtype}, or {@code null} when it has none. */
  private static Class<? extends TType> javaType(DataType dtype) {
    try {
      return TensorTypeRegistry.find(dtype).type();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // A VariableV2 output is a reference (DT_FLOAT_REF = DT_FLOAT + 100); checkpoints hold values.
  static DataType baseType(DataType type) {
    int n = type.getNumber();
    return n > 100 ? DataType.forNumber(n - 100) : type;
  }
}
