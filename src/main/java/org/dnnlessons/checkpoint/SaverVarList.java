package org.dnnlessons.checkpoint;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.core.Variable;

/**
 * The variables a {@link Saver} covers, keyed by checkpoint key: Python's {@code
 * saveable_object_util.op_list_to_dict}, for {@code VariableV2} ops.
 */
final class SaverVarList {

  private SaverVarList() {}

  /**
   * The variables a saver built now covers: {@code varList}, or, when it is {@code null}, {@link
   * #allVariables}.
   *
   * @throws IllegalArgumentException for an empty {@code varList}
   */
  static Map<String, Output<?>> resolve(Graph graph, Map<String, Output<?>> varList) {
    if (varList == null) {
      return allVariables(graph);
    }
    if (varList.isEmpty()) {
      throw new IllegalArgumentException("No variables to save: the variable map is empty");
    }
    return varList;
  }

  /**
   * Every {@code VariableV2} of {@code graph}, keyed by op name, sorted: Python's default {@code
   * var_list} (the global variables).
   *
   * @throws IllegalStateException when there is none, as Python's {@code ValueError}
   */
  static Map<String, Output<?>> allVariables(Graph graph) {
    Map<String, Output<?>> vars = new TreeMap<>();
    Iterator<GraphOperation> it = graph.operations();
    while (it.hasNext()) {
      GraphOperation op = it.next();
      if (op.type().equals(Variable.OP_NAME)) {
        vars.put(op.name(), op.output(0));
      }
    }
    if (vars.isEmpty()) {
      throw new IllegalStateException(
          "No variables to save: the graph has no variables (build the Saver after them)");
    }
    return new LinkedHashMap<>(vars);
  }

  /**
   * The given map with each value resolved to its {@code VariableV2} output, sorted by key.
   *
   * @throws IllegalArgumentException when a value is neither a {@code VariableV2} nor its {@code
   *     NAME/read}
   */
  static Map<String, Output<?>> of(Map<String, ? extends Operand<?>> varList) {
    Map<String, Output<?>> copy = new TreeMap<>();
    for (Map.Entry<String, ? extends Operand<?>> e : varList.entrySet()) {
      Output<?> v = variableOutput(e.getValue());
      copy.put(Objects.requireNonNull(e.getKey(), "key"), v);
    }
    return copy;
  }

  private static Output<?> variableOutput(Operand<?> operand) {
    Operand<?> o = operand;
    if (o.op() instanceof GraphOperation read && isVariableRead(read)) {
      o = read.input(0); // a tf.Variable's NAME/read stands for it (nn.NamedVariable is one)
    }
    Operation op = o.op();
    if (!op.type().equals(Variable.OP_NAME)) {
      throw new IllegalArgumentException(
          "Saver covers VariableV2 ops, found '" + op.name() + "' of type " + op.type());
    }
    return o.asOutput();
  }

  /** An {@code Identity} named {@code NAME/read} of the {@code VariableV2} named {@code NAME}. */
  private static boolean isVariableRead(GraphOperation op) {
    if (!op.type().equals("Identity") || op.numInputs() != 1) {
      return false;
    }
    Operation input = op.input(0).op();
    return input.type().equals(Variable.OP_NAME) && op.name().equals(input.name() + "/read");
  }
}
