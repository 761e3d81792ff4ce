package org.dnnlessons.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

/**
 * One gradient-descent step over an explicit list of variables: Python's {@code
 * GradientDescentOptimizer(learning_rate).minimize(cost, var_list=...)}.
 *
 * <p>It takes {@code tf.gradients(cost, variables)} (only these variables: a step counter or a
 * frozen layer is left alone, unlike TensorFlow Java's framework optimizers, which differentiate
 * with respect to every variable in the graph) and applies {@code ApplyGradientDescent} to each.
 *
 * <p><b>Every update waits for every gradient.</b> A variable's read ({@code name/read}) shares the
 * variable's memory, and back-propagation still reads a layer's weights after that layer's own
 * gradient is ready. Python gates each op's gradients together for this reason ({@code
 * gate_gradients=GATE_OP}); TensorFlow Java's symbolic gradients do not, so without the gate an
 * update can overwrite weights that another gradient is still reading: nondeterministic results
 * and, at larger learning rates, NaNs. Here the updates depend on all gradients ({@code
 * GATE_GRAPH}), which computes exactly the same values as Python.
 */
public final class GradientDescentStep {

  private GradientDescentStep() {}

  /**
   * Builds the step; {@code name} is the returned op's name (e.g. {@code train_op}).
   *
   * @param tf where to create the ops ({@code gradients/...}, {@code GradientDescent/...})
   * @param cost the scalar to minimize
   * @param variables the variables to update
   * @param learningRate the step size, positive
   */
  public static Op build(
      Ops tf,
      String name,
      Operand<TFloat32> cost,
      List<NamedVariable<TFloat32>> variables,
      double learningRate) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive, found " + learningRate);
    }
    List<Operand<TFloat32>> reads = new ArrayList<>();
    for (NamedVariable<TFloat32> v : variables) {
      reads.add(v.read());
    }
    Gradients gradients = tf.withSubScope("gradients").gradients(cost, reads);
    List<Op> allGradients = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Output<?> grad = gradients.dy(i);
      allGradients.add(() -> grad.op());
    }
    Ops gd = tf.withSubScope("GradientDescent").withControlDependencies(allGradients);
    Operand<TFloat32> rate = gd.withName("learning_rate").constant((float) learningRate);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Output<TFloat32> grad = gradients.dy(i).expect(TFloat32.class);
      updates.add(gd.train.applyGradientDescent(variables.get(i).variable(), rate, grad));
    }
    return tf.withName(name).withControlDependencies(updates).noOp();
  }
}
