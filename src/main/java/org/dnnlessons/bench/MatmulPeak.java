package org.dnnlessons.bench;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What this machine's CPU delivers on a large float32 matrix product (2048 x 2048 x 2048) through
 * the same TensorFlow runtime: the ceiling the training rows are compared with.
 */
final class MatmulPeak {

  static final int N = 2048;

  private MatmulPeak() {}

  /** Seconds per 2048^3 matmul. */
  static Measurement measure(int reps) throws Exception {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> a =
          tf.variable(tf.random.randomUniform(tf.constant(new int[] {N, N}), TFloat32.class));
      var product = tf.linalg.matMul(a, a);
      // reduce to a scalar so the fetch does not dominate
      var total = tf.math.mean(product, tf.constant(new int[] {0, 1}));
      try (Session s = new Session(graph)) {
        return Measurement.time(1, reps, () -> s.runner().fetch(total).run().close());
      }
    }
  }

  /**
   * The ceiling in FLOP/s: the fastest repetition's rate. Other work on the machine only ever slows
   * a repetition down, so the best one is the closest to what the CPU can do (a median collapses
   * when the machine is busy for half the repetitions).
   */
  static double ceiling(Measurement seconds) {
    return flops() / seconds.min();
  }

  /** Floating-point operations of one product. */
  static double flops() {
    return 2.0 * N * N * N;
  }

  /** Floating-point operations of one training step of the lesson's MLP at {@code batch}. */
  static double trainingStepFlops(int batch) {
    double forward = 2.0 * batch * (784 * 256 + 256 * 10);
    double weightGradients = forward;
    double hiddenGradient = 2.0 * batch * 256 * 10;
    return forward + weightGradients + hiddenGradient;
  }
}
