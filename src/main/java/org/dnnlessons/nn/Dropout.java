package org.dnnlessons.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Dropout with the lesson's {@code keep_prob} semantics: Python's {@code tf.nn.dropout(x,
 * keep_prob)} from TensorFlow 1.x, built from the ops that {@code tf.compat.v1.nn.dropout} builds
 * in TensorFlow 2.x, so the same seeds drop the same units in Java and Python.
 *
 * <p>Each unit is kept with probability {@code keep_prob} and then scaled by {@code 1/keep_prob},
 * so the expected value of every unit is unchanged; dropped units become 0. Feed {@code 0.5} while
 * training and {@code 1.0} (keep everything) while testing.
 *
 * <p><b>keep_prob versus rate.</b> TensorFlow 2's {@code tf.nn.dropout} and Keras take {@code
 * rate}, the probability of <em>dropping</em> a unit: {@code rate = 1 - keep_prob}. This class
 * speaks the lesson's language, {@code keep_prob}, and computes {@code rate} in the graph exactly
 * as Python does.
 *
 * <p>The ops, for a {@code keep_prob} tensor: {@code rate = 1 - keep_prob}; {@code scaled = x / (1
 * - rate)}; {@code mask = RandomUniform(shape(x)) >= rate}; {@code out = where(mask, scaled, 0)}.
 */
public final class Dropout {

  private Dropout() {}

  /**
   * Applies dropout with a {@code keep_prob} tensor, typically a placeholder.
   *
   * @param g the graph, for the random seed
   * @param scope where to create the ops
   * @param x the activations to drop
   * @param keepProb a float32 scalar in (0, 1]: the probability of keeping each unit
   * @param seed the op-level seed, or {@code null} for Python's default
   * @return a tensor shaped like {@code x}
   */
  public static Operand<TFloat32> apply(
      ModelGraph g, Ops scope, Operand<TFloat32> x, Operand<TFloat32> keepProb, Long seed) {
    if (!keepProb.shape().isUnknown() && keepProb.shape().numDimensions() != 0) {
      throw new IllegalArgumentException(
          "keep_prob must be a scalar, found shape " + keepProb.shape());
    }
    // Python computes `rate = 1. - keep_prob` before entering the dropout name scope.
    Operand<TFloat32> rate = scope.withName("sub").math.sub(scope.constant(1.0f), keepProb);
    Ops s = scope.withSubScope("dropout");
    Operand<TFloat32> one = s.constant(1.0f);
    Operand<TFloat32> scaled = s.math.realDiv(x, s.math.sub(one, rate));
    return keepWhere(g, s, x, scaled, rate, seed);
  }

  /**
   * Applies dropout with a {@code keep_prob} known while building the graph.
   *
   * @param keepProb the probability of keeping each unit, in (0, 1]; {@code 1.0} returns {@code x}
   *     unchanged (it still consumes a seed, as Python does)
   * @param g the model graph, which hands out the op's seeds
   * @param scope where to create the ops
   * @param x the float32 activations to drop
   * @param seed the op-level seed, or {@code null} for Python's {@code seed=None}
   * @return {@code x} with each element kept with probability {@code keepProb} and scaled by {@code
   *     1 / keepProb}, else 0; Python's {@code tf.nn.dropout(x, keep_prob, seed=seed)}
   * @throws IllegalArgumentException when {@code keepProb} is outside (0, 1]
   */
  public static Operand<TFloat32> apply(
      ModelGraph g, Ops scope, Operand<TFloat32> x, double keepProb, Long seed) {
    checkKeepProb(keepProb);
    double rate = 1.0 - keepProb;
    if (rate == 0) {
      g.nextOpSeed(seed);
      return x;
    }
    Ops s = scope.withSubScope("dropout");
    Operand<TFloat32> scaled = s.math.mul(x, s.constant((float) (1.0 / (1.0 - rate))));
    return keepWhere(g, s, x, scaled, s.constant((float) rate), seed);
  }

  /**
   * Checks a {@code keep_prob} value.
   *
   * @param keepProb the probability of keeping each unit
   * @throws IllegalArgumentException when it is outside (0, 1]
   */
  public static void checkKeepProb(double keepProb) {
    if (!(keepProb > 0 && keepProb <= 1)) {
      throw new IllegalArgumentException(
          "keep_prob must be in (0, 1] (the probability of keeping a unit), found " + keepProb);
    }
    Float32Range.checkPositive("keep_prob", keepProb);
    if (Float.isInfinite((float) (1 / keepProb))) {
      // kept units are scaled by 1 / keep_prob, in float32 too
      throw new IllegalArgumentException(
          "keep_prob "
              + keepProb
              + " scales kept units by 1/keep_prob, which is infinity in float32;"
              + " the smallest keep_prob is "
              + (1 / (double) Float.MAX_VALUE));
    }
  }

  private static Operand<TFloat32> keepWhere(
      ModelGraph g,
      Ops s,
      Operand<TFloat32> x,
      Operand<TFloat32> scaled,
      Operand<TFloat32> rate,
      Long seed) {
    OpSeed seeds = g.nextOpSeed(seed);
    Operand<TFloat32> uniform =
        s.withSubScope("random_uniform")
            .random
            .randomUniform(
                s.shape(x),
                TFloat32.class,
                RandomUniform.seed(seeds.seed()),
                RandomUniform.seed2(seeds.seed2()));
    Operand<TBool> keepMask = s.math.greaterEqual(uniform, rate);
    return s.select(keepMask, scaled, s.constant(0.0f));
  }
}
