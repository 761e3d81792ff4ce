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
 * The math of one training step of the lesson's network, on weights given as operands: the
 * multilayer perceptron's forward pass ({@code xW + b} and a ReLU per hidden layer, a linear
 * output), the mean softmax cross-entropy and its gradients, and gradient descent's update {@code w
 * - grad * rate}. Python's {@code optimizer.minimize(cost)} on the notebook's graph, written once
 * for every in-graph training loop: {@link UnrolledTraining} (applying the gradients to the
 * network's own variables, bit for bit as {@link Mlp}'s train op does), {@code
 * train.WhileLoopTraining} and the benchmark's {@code bench.CompiledTraining} (carrying the updated
 * weights as values).
 *
 * <p>Only networks without dropout: the in-graph loops refuse them.
 *
 * @param cost the batch's mean softmax cross-entropy, a float32 scalar
 * @param weights the weights the step read, in {@link Mlp.Network#variables()}'s order: the layers'
 *     weights {@code [in, out]}, then their biases {@code [out]}
 * @param gradients {@code d cost / d weights}, one per weight, in the same order
 */
public record DescentStep(
    Operand<TFloat32> cost, List<Operand<TFloat32>> weights, List<Operand<TFloat32>> gradients) {

  /**
   * Copies the lists.
   *
   * @param cost the batch's mean cross-entropy
   * @param weights the weights read; copied
   * @param gradients one per weight; copied
   */
  public DescentStep {
    weights = List.copyOf(weights);
    gradients = List.copyOf(gradients);
  }

  /**
   * Adds one step's forward pass, cost and gradients to {@code tf}'s scope (the gradients under
   * {@code gradients/}).
   *
   * @param tf the scope the ops are created in
   * @param x the batch's images, float32 {@code [batch, rows * columns]}
   * @param y the batch's one-hot labels, float32 {@code [batch, 10]}
   * @param weights the layers' weights then their biases, as {@link Mlp.Network#variables()} orders
   *     them
   * @param biasAdd {@code BiasAdd} instead of {@code Add} for {@code xW + b} (a benchmark lever;
   *     the lesson's graph uses {@code Add})
   * @return the step's cost and gradients
   */
  public static DescentStep build(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> y,
      List<Operand<TFloat32>> weights,
      boolean biasAdd) {
    int layers = weights.size() / 2;
    Operand<TFloat32> layer = x;
    for (int i = 0; i < layers; i++) {
      Operand<TFloat32> w = weights.get(i);
      Operand<TFloat32> b = weights.get(layers + i);
      layer =
          biasAdd ? tf.nn.biasAdd(tf.linalg.matMul(layer, w), b) : Layers.linear(tf, layer, w, b);
      if (i < layers - 1) {
        layer = Layers.relu(tf, layer);
      }
    }
    Operand<TFloat32> cost =
        tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(layer, y).loss(), tf.constant(0));
    Gradients grads = tf.withSubScope("gradients").gradients(cost, weights);
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      gradients.add(grads.dy(i).expect(TFloat32.class));
    }
    return new DescentStep(cost, weights, gradients);
  }

  /**
   * The ops that compute the gradients, for a control dependency: every update of a step waits for
   * every gradient, as {@code GradientDescent.minimize} makes it wait.
   *
   * @return one op per gradient
   */
  public List<Op> gradientOps() {
    List<Op> ops = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      Output<TFloat32> out = g.asOutput();
      ops.add(out::op);
    }
    return ops;
  }

  /**
   * Gradient descent's update on values, {@code ApplyGradientDescent}'s own arithmetic: {@code w -
   * grad * rate} for every weight, for a loop that carries the weights to its next step as values
   * (as {@code lax.scan} carries them).
   *
   * @param tf the scope the ops are created in
   * @param learningRate the rate, float32
   * @return the updated weights, in the order of {@link #weights()}
   */
  public List<Operand<TFloat32>> descended(Ops tf, float learningRate) {
    Operand<TFloat32> rate = tf.constant(learningRate);
    List<Operand<TFloat32>> next = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      next.add(tf.math.sub(weights.get(i), tf.math.mul(gradients.get(i), rate)));
    }
    return next;
  }
}
