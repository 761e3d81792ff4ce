package org.dnnlessons.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * The two building blocks of the lesson's networks: the linear function {@code xW + b} and the ReLU
 * activation.
 */
public final class Layers {

  private Layers() {}

  /**
   * Python's {@code tf.add(tf.matmul(x, weights), biases)}: a {@code MatMul} followed by an {@code
   * Add} that broadcasts {@code biases} over the rows.
   *
   * @param scope where to create the ops
   * @param x inputs, shape {@code [batch, in]}
   * @param weights shape {@code [in, out]}
   * @param biases shape {@code [out]}
   * @param <T> the numeric element type (float32 in the lesson)
   * @return shape {@code [batch, out]}
   */
  public static <T extends TNumber> Operand<T> linear(
      Ops scope, Operand<T> x, Operand<T> weights, Operand<T> biases) {
    checkLinearShapes(x, weights, biases);
    return scope.math.add(scope.linalg.matMul(x, weights), biases);
  }

  /**
   * Python's {@code tf.nn.relu(features)}: {@code max(features, 0)} element by element; it lets
   * positive values through and turns negative ones into 0.
   *
   * @param <T> the numeric element type (float32 in the lesson)
   * @param scope where to create the op
   * @param features any shape
   * @return the same shape and dtype as {@code features}
   */
  public static <T extends TNumber> Operand<T> relu(Ops scope, Operand<T> features) {
    return scope.nn.relu(features);
  }

  private static void checkLinearShapes(Operand<?> x, Operand<?> weights, Operand<?> biases) {
    var xs = x.shape();
    var ws = weights.shape();
    var bs = biases.shape();
    if (!ws.isUnknown() && ws.numDimensions() != 2) {
      throw new IllegalArgumentException("weights must be a matrix [in, out], found shape " + ws);
    }
    if (!xs.isUnknown() && xs.numDimensions() != 2) {
      throw new IllegalArgumentException(
          "inputs must be a matrix [batch, in], found shape " + xs + "; reshape them first");
    }
    if (!xs.isUnknown()
        && !ws.isUnknown()
        && xs.size(1) >= 0
        && ws.size(0) >= 0
        && xs.size(1) != ws.size(0)) {
      throw new IllegalArgumentException(
          "inputs have "
              + xs.size(1)
              + " features but weights expect "
              + ws.size(0)
              + " (inputs "
              + xs
              + ", weights "
              + ws
              + ")");
    }
    if (!bs.isUnknown()
        && !ws.isUnknown()
        && ws.size(1) >= 0
        && (bs.numDimensions() != 1 || bs.size(0) != ws.size(1))) {
      throw new IllegalArgumentException(
          "biases must have shape [" + ws.size(1) + "] to match weights " + ws + ", found " + bs);
    }
  }
}
