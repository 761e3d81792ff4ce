package org.dnnlessons.nn;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The graph of the layers of a {@link ModelDescription} that are not Dense, as Keras 3's TensorFlow
 * backend computes them at inference ({@code model(x, training=False)}), op for op. Their values
 * are constants of the graph.
 */
final class InferenceLayers {

  /** Keras's {@code backend.epsilon()}, Normalization's floor on the standard deviation. */
  static final float KERAS_EPSILON = 1e-7f;

  private InferenceLayers() {}

  /**
   * Adds {@code layer}'s ops after {@code x}.
   *
   * @param x float32 {@code [batch, features]}
   * @param features the number of features {@code x} has
   * @throws IllegalArgumentException when the layer's values have neither 1 nor {@code features}
   *     entries
   */
  static Operand<TFloat32> apply(
      Ops tf, ModelDescription.Layer layer, Operand<TFloat32> x, int features) {
    Ops s = tf.withSubScope(scope(layer));
    if (layer instanceof ModelDescription.Dropout) {
      return x;
    }
    if (layer instanceof ModelDescription.ActivationLayer a) {
      return a.activation().apply(s, x);
    }
    if (layer instanceof ModelDescription.Rescaling r) {
      return s.math.add(
          s.math.mul(x, s.constant((float) r.scale())), s.constant((float) r.offset()));
    }
    if (layer instanceof ModelDescription.Normalization n) {
      return s.math.div(
          s.math.sub(x, values(s, layer, n.mean(), features)),
          s.math.maximum(
              s.math.sqrt(values(s, layer, n.variance(), features)), s.constant(KERAS_EPSILON)));
    }
    if (layer instanceof ModelDescription.BatchNormalization b) {
      return batchNormalization(s, b, x, features);
    }
    if (layer instanceof ModelDescription.PRelu p) {
      Operand<TFloat32> pos = s.nn.relu(x);
      Operand<TFloat32> neg =
          s.math.mul(s.math.neg(values(s, layer, p.alpha(), features)), s.nn.relu(s.math.neg(x)));
      return s.math.add(pos, neg);
    }
    throw new IllegalArgumentException("no inference graph for " + layer.kerasClass());
  }

  /** {@code tf.nn.batch_normalization(x, mean, variance, offset, scale, epsilon)}. */
  private static Operand<TFloat32> batchNormalization(
      Ops s, ModelDescription.BatchNormalization b, Operand<TFloat32> x, int features) {
    Operand<TFloat32> inv =
        s.math.rsqrt(
            s.math.add(
                values(s, b, b.movingVariance(), features), s.constant((float) b.epsilon())));
    if (b.gamma() != null) {
      inv = s.math.mul(inv, values(s, b, b.gamma(), features));
    }
    Operand<TFloat32> meanTimesInv = s.math.mul(values(s, b, b.movingMean(), features), inv);
    Operand<TFloat32> shift =
        b.beta() != null
            ? s.math.sub(values(s, b, b.beta(), features), meanTimesInv)
            : s.math.neg(meanTimesInv);
    return s.math.add(s.math.mul(x, inv), shift);
  }

  private static Operand<TFloat32> values(
      Ops s, ModelDescription.Layer layer, float[] v, int features) {
    if (v.length == 1) {
      return s.constant(v[0]);
    }
    if (v.length != features) {
      throw new IllegalArgumentException(
          "layer "
              + ModelDescription.label(layer)
              + " has "
              + v.length
              + " values per feature, but receives "
              + features
              + " features");
    }
    return s.constant(v);
  }

  private static String scope(ModelDescription.Layer layer) {
    String name = layer.name() == null ? KerasNames.snake(layer.kerasClass()) : layer.name();
    return name.replaceAll("[^A-Za-z0-9_.\\-]", "_").replaceFirst("^[^A-Za-z0-9.]", "L");
  }

  /** Keras's snake-case class names. */
  static final class KerasNames {
    private KerasNames() {}

    static String snake(String name) {
      String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
      return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
  }
}
