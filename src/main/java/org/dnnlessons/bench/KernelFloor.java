package org.dnnlessons.bench;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * The part of a training step no framework overhead can remove: the lesson's two large products at
 * batch 128 ({@code x W1}, 128x784 by 784x256, and the weight gradient {@code x^T dH}) and the
 * update of {@code W1}, chained as training chains them (each step's product reads the weights the
 * previous update wrote), 8 steps to a run so that the cost of a run hardly counts. Both languages
 * run these very kernels, so Python's step time over this floor bounds any speed-up that keeps the
 * math identical.
 */
final class KernelFloor {

  static final int BATCH = 128;
  private static final int STEPS_PER_RUN = 8;

  private KernelFloor() {}

  /** Seconds per step, per repetition of {@code steps} steps. */
  static Measurement measure(int steps, int reps) throws Exception {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x =
          tf.variable(
              tf.random.randomStandardNormal(
                  tf.constant(new int[] {BATCH, 784}),
                  TFloat32.class,
                  RandomStandardNormal.seed(1L)));
      var w =
          tf.variable(
              tf.math.mul(
                  tf.random.randomStandardNormal(
                      tf.constant(new int[] {784, 256}),
                      TFloat32.class,
                      RandomStandardNormal.seed(2L)),
                  tf.constant(0.01f)));
      Operand<TFloat32> rate = tf.constant(1e-8f);
      List<Op> previous = List.of();
      for (int k = 0; k < STEPS_PER_RUN; k++) {
        Ops step = tf.withControlDependencies(previous);
        Operand<TFloat32> hidden = step.linalg.matMul(x, w);
        // the hidden activations stand in for their gradient: same shape, same product
        Operand<TFloat32> gradient = step.linalg.matMul(x, hidden, MatMul.transposeA(true));
        previous = List.of(step.train.applyGradientDescent(w, rate, gradient));
      }
      Op run = tf.withControlDependencies(previous).noOp();
      try (Session s = new Session(graph)) {
        s.initialize();
        Measurement m =
            Measurement.time(
                1,
                reps,
                () -> {
                  for (int i = 0; i < steps; i += STEPS_PER_RUN) {
                    s.run(run);
                  }
                });
        return new Measurement(
            Arrays.stream(m.seconds()).map(seconds -> seconds / steps).toArray());
      }
    }
  }
}
