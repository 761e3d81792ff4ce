package org.dnnlessons.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Initial values for variables, built from the same ops as Python's {@code tf.random_normal},
 * {@code tf.truncated_normal} and {@code tf.zeros}, so equal seeds give equal numbers in both
 * languages.
 *
 * <p>Seeds follow Python's rules (see {@link OpSeed}): pass {@code null} as the op seed to let the
 * graph-level seed of the {@link ModelGraph} decide, as Python does when {@code seed} is omitted.
 */
public final class Initializers {

  /** Python's default mean for the normal initializers. */
  public static final float MEAN_DEFAULT = 0.0f;

  /** Python's default standard deviation for the normal initializers. */
  public static final float STDDEV_DEFAULT = 1.0f;

  private Initializers() {}

  /**
   * Python's {@code tf.random_normal(shape, mean=0.0, stddev=1.0, seed=None)}: float32 values drawn
   * from a normal distribution.
   *
   * @param g the model graph, which hands out the op's seeds
   * @param scope where to create the ops
   * @param shape the fully known static shape, e.g. {@code [784, 256]}
   * @return a float32 operand of {@code shape}, new values each time it runs
   */
  public static Operand<TFloat32> randomNormal(ModelGraph g, Ops scope, Shape shape) {
    return randomNormal(g, scope, shape, MEAN_DEFAULT, STDDEV_DEFAULT, null);
  }

  /**
   * Python's {@code tf.random_normal(shape, mean, stddev, seed=seed)}: {@code RandomStandardNormal
   * * stddev + mean}.
   *
   * @param seed the op-level seed, or {@code null}
   * @param g the model graph, which hands out the op's seeds
   * @param scope where to create the ops
   * @param shape the fully known static shape, e.g. {@code [784, 256]}
   * @param mean the distribution's mean
   * @param stddev the distribution's standard deviation, {@code >= 0}
   * @return a float32 operand of {@code shape}
   */
  public static Operand<TFloat32> randomNormal(
      ModelGraph g, Ops scope, Shape shape, float mean, float stddev, Long seed) {
    return scaled(
        g,
        scope,
        "random_normal",
        shape,
        mean,
        stddev,
        seed,
        (s, shapeTensor, seeds) ->
            s.random.randomStandardNormal(
                shapeTensor,
                TFloat32.class,
                RandomStandardNormal.seed(seeds.seed()),
                RandomStandardNormal.seed2(seeds.seed2())));
  }

  /**
   * Python's {@code tf.truncated_normal(shape, mean=0.0, stddev=1.0, seed=None)}: normal values,
   * redrawn when more than two standard deviations from the mean.
   *
   * @param g the model graph, which hands out the op's seeds
   * @param scope where to create the ops
   * @param shape the fully known static shape, e.g. {@code [784, 256]}
   * @return a float32 operand of {@code shape}, values in (-2, 2)
   */
  public static Operand<TFloat32> truncatedNormal(ModelGraph g, Ops scope, Shape shape) {
    return truncatedNormal(g, scope, shape, MEAN_DEFAULT, STDDEV_DEFAULT, null);
  }

  /**
   * Python's {@code tf.truncated_normal(shape, mean, stddev, seed=seed)}: {@code TruncatedNormal *
   * stddev + mean}.
   *
   * @param seed the op-level seed, or {@code null}
   * @param g the model graph, which hands out the op's seeds
   * @param scope where to create the ops
   * @param shape the fully known static shape, e.g. {@code [784, 256]}
   * @param mean the distribution's mean
   * @param stddev the distribution's standard deviation, {@code >= 0}
   * @return a float32 operand of {@code shape}, values within {@code 2 * stddev} of {@code mean}
   */
  public static Operand<TFloat32> truncatedNormal(
      ModelGraph g, Ops scope, Shape shape, float mean, float stddev, Long seed) {
    return scaled(
        g,
        scope,
        "truncated_normal",
        shape,
        mean,
        stddev,
        seed,
        (s, shapeTensor, seeds) ->
            s.random.truncatedNormal(
                shapeTensor,
                TFloat32.class,
                TruncatedNormal.seed(seeds.seed()),
                TruncatedNormal.seed2(seeds.seed2())));
  }

  /** Draws standard values with the op's seeds. */
  private interface Sampler {
    Operand<TFloat32> sample(Ops scope, Operand<TInt32> shape, OpSeed seeds);
  }

  // Python's layout: name/shape, name/mean, name/stddev, the random op, name/mul, then the add.
  private static Operand<TFloat32> scaled(
      ModelGraph g,
      Ops scope,
      String name,
      Shape shape,
      float mean,
      float stddev,
      Long seed,
      Sampler sampler) {
    checkShape(shape);
    Ops s = scope.withSubScope(name);
    Operand<TInt32> shapeTensor = s.withName("shape").constant(toIntArray(shape));
    Operand<TFloat32> meanTensor = s.withName("mean").constant(mean);
    Operand<TFloat32> stddevTensor = s.withName("stddev").constant(stddev);
    Operand<TFloat32> standard = sampler.sample(s, shapeTensor, g.nextOpSeed(seed));
    return s.withName("value")
        .math
        .add(s.withName("mul").math.mul(standard, stddevTensor), meanTensor);
  }

  /**
   * Python's {@code tf.zeros(shape)}: a float32 tensor of zeros ({@code Fill}, as TF 2.x builds
   * it).
   *
   * @param scope where to create the ops
   * @param shape the fully known static shape, e.g. {@code [256]}
   * @return a float32 operand of {@code shape} holding 0
   */
  public static Operand<TFloat32> zeros(Ops scope, Shape shape) {
    checkShape(shape);
    Ops s = scope.withSubScope("zeros");
    return s.withName("value")
        .fill(
            s.withName("shape_as_tensor").constant(toIntArray(shape)),
            s.withName("Const").constant(0.0f));
  }

  private static void checkShape(Shape shape) {
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException("Initializer shape must be fully known, found " + shape);
    }
    for (long d : shape.asArray()) {
      if (d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Initializer dimension must fit in an int32, found " + d + " in " + shape);
      }
    }
  }

  private static int[] toIntArray(Shape shape) {
    long[] dims = shape.asArray();
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = (int) dims[i];
    }
    return out;
  }
}
