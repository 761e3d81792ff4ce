package org.dnnlessons.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.math.Erfc;
import org.tensorflow.types.TFloat32;

/**
 * The gradient of {@code Erfc}, which TensorFlow's C++ gradient registry lacks (Python registers it
 * in {@code math_grad.py}): {@code dy * (-2 / sqrt(pi)) * exp(-x^2)}, as Python computes it. Keras
 * 3's exact {@code gelu} is built from {@code Erfc}, so training a gelu network needs it.
 */
final class ErfcGradient {

  private static boolean registered;

  private ErfcGradient() {}

  /** Registers the gradient once per process. */
  static synchronized void register() {
    if (registered) {
      return;
    }
    registered = true;
    TensorFlow.registerCustomGradient(
        Erfc.Inputs.class,
        (tf, op, gradInputs) -> {
          @SuppressWarnings("unchecked")
          Operand<TFloat32> x = (Operand<TFloat32>) op.x;
          @SuppressWarnings("unchecked")
          Operand<TFloat32> dy = (Operand<TFloat32>) (Operand<?>) gradInputs.get(0);
          Operand<TFloat32> minusTwoOverRootPi = tf.constant((float) (-2 / Math.sqrt(Math.PI)));
          return List.of(
              tf.math.mul(
                  tf.math.mul(dy, minusTwoOverRootPi),
                  tf.math.exp(tf.math.neg(tf.math.square(x)))));
        });
  }
}
