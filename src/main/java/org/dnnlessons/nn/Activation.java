package org.dnnlessons.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * An activation function as Keras 3 names it ({@code keras.activations.get(name)}), with the
 * parameters Keras's activation layers add ({@code ReLU(negative_slope, max_value, threshold)},
 * {@code LeakyReLU(negative_slope)}, {@code ELU(alpha)}), and its TensorFlow graph: the same ops
 * Keras 3's TensorFlow backend runs, in the same order, so float32 values agree with Python's to
 * the last bits the kernels allow.
 *
 * <table>
 *   <caption>Keras 3 name, formula, ops</caption>
 *   <tr><th>{@link Kind}</th><th>Keras</th><th>graph</th></tr>
 *   <tr><td>LINEAR</td><td>{@code linear}, {@code None}</td><td>none</td></tr>
 *   <tr><td>RELU</td><td>{@code relu}; layer {@code ReLU(negative_slope, max_value,
 *       threshold)}</td><td>{@code Relu}; with parameters Keras's {@code ReLU.static_call}</td></tr>
 *   <tr><td>RELU6</td><td>{@code relu6}</td><td>{@code Relu6}</td></tr>
 *   <tr><td>LEAKY_RELU</td><td>{@code leaky_relu} (slope 0.2; the layer's default 0.3)</td>
 *       <td>{@code LeakyRelu(alpha=slope)}</td></tr>
 *   <tr><td>ELU</td><td>{@code elu} (alpha 1)</td><td>{@code Elu}; alpha &ne; 1: {@code
 *       where(x > 0, elu, alpha * elu)}</td></tr>
 *   <tr><td>SELU</td><td>{@code selu}</td><td>{@code Selu}</td></tr>
 *   <tr><td>GELU</td><td>{@code gelu} (exact)</td><td>{@code 0.5 x erfc(-x 0.7071067811865476)}
 *       </td></tr>
 *   <tr><td>GELU_APPROXIMATE</td><td>{@code gelu(x, approximate=True)}</td><td>{@code 0.5 x (1 +
 *       tanh(0.7978845608028654 (x + 0.044715 x^3)))}</td></tr>
 *   <tr><td>SIGMOID, TANH</td><td>{@code sigmoid}, {@code tanh}</td><td>{@code Sigmoid},
 *       {@code Tanh}</td></tr>
 *   <tr><td>HARD_SIGMOID</td><td>{@code hard_sigmoid}</td><td>{@code relu6(x + 3) / 6}</td></tr>
 *   <tr><td>HARD_SILU</td><td>{@code hard_silu}, {@code hard_swish}</td><td>{@code x
 *       hard_sigmoid(x)}</td></tr>
 *   <tr><td>SOFTPLUS, SOFTSIGN</td><td>{@code softplus}, {@code softsign}</td><td>{@code
 *       Softplus}, {@code Softsign}</td></tr>
 *   <tr><td>SILU</td><td>{@code silu}, {@code swish}</td><td>{@code x sigmoid(x)}</td></tr>
 *   <tr><td>MISH</td><td>{@code mish}</td><td>{@code x tanh(softplus(x))}</td></tr>
 *   <tr><td>EXPONENTIAL</td><td>{@code exponential}</td><td>{@code Exp}</td></tr>
 *   <tr><td>SOFTMAX, LOG_SOFTMAX</td><td>{@code softmax}, {@code log_softmax} (last axis)</td>
 *       <td>{@code Softmax}, {@code LogSoftmax}</td></tr>
 * </table>
 *
 * @param kind which function
 * @param negativeSlope {@code LEAKY_RELU}'s slope, or {@code RELU}'s {@code negative_slope}; ELU's
 *     {@code alpha}; otherwise 0
 * @param maxValue {@code RELU}'s {@code max_value}, or {@code null} for none
 * @param threshold {@code RELU}'s {@code threshold}; otherwise 0
 */
public record Activation(Kind kind, double negativeSlope, Double maxValue, double threshold) {

  /** The activation functions Keras 3 names. */
  public enum Kind {
    /** The identity, {@code linear} (or {@code None}). */
    LINEAR,
    /** {@code max(x, 0)}; with parameters Keras's {@code ReLU} layer. */
    RELU,
    /** {@code min(max(x, 0), 6)}, {@code relu6}. */
    RELU6,
    /** {@code x} for {@code x >= 0}, else {@code slope * x}; {@code leaky_relu}. */
    LEAKY_RELU,
    /** {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}; {@code elu}. */
    ELU,
    /** The scaled ELU of Klambauer et al., {@code selu}. */
    SELU,
    /** The exact Gaussian error linear unit, {@code gelu(x, approximate=False)}. */
    GELU,
    /** GELU's tanh approximation, {@code gelu(x, approximate=True)}. */
    GELU_APPROXIMATE,
    /** {@code 1 / (1 + exp(-x))}, {@code sigmoid}. */
    SIGMOID,
    /** {@code relu6(x + 3) / 6}, {@code hard_sigmoid}. */
    HARD_SIGMOID,
    /** The hyperbolic tangent, {@code tanh}. */
    TANH,
    /** {@code log(1 + exp(x))}, {@code softplus}. */
    SOFTPLUS,
    /** {@code x / (1 + |x|)}, {@code softsign}. */
    SOFTSIGN,
    /** {@code x * sigmoid(x)}, {@code silu} (alias {@code swish}). */
    SILU,
    /** {@code x * tanh(softplus(x))}, {@code mish}. */
    MISH,
    /** {@code exp(x)}, {@code exponential}. */
    EXPONENTIAL,
    /** Softmax over the last axis, {@code softmax}. */
    SOFTMAX,
    /** Log-softmax over the last axis, {@code log_softmax}. */
    LOG_SOFTMAX,
    /** {@code x * hard_sigmoid(x)}, {@code hard_silu} (alias {@code hard_swish}). */
    HARD_SILU
  }

  /** The identity, Keras's {@code linear}. */
  public static final Activation LINEAR = new Activation(Kind.LINEAR, 0, null, 0);

  /** The lesson's {@code tf.nn.relu}. */
  public static final Activation RELU = new Activation(Kind.RELU, 0, null, 0);

  /**
   * Checks the parameters.
   *
   * @param kind which function, not {@code null}
   * @param negativeSlope {@code LEAKY_RELU}'s slope or {@code RELU}'s {@code negative_slope};
   *     {@code ELU}'s {@code alpha}; a finite number, 0 when unused
   * @param maxValue {@code RELU}'s {@code max_value}, {@code >= 0}, or {@code null} for no cap
   * @param threshold {@code RELU}'s {@code threshold}, a finite number; 0 when unused
   * @throws IllegalArgumentException for a non-finite slope or threshold, or a negative or NaN
   *     {@code max_value}
   */
  public Activation {
    Objects.requireNonNull(kind, "kind");
    if (!Double.isFinite(negativeSlope) || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException("activation parameters must be finite numbers");
    }
    if (maxValue != null && !(maxValue >= 0)) {
      throw new IllegalArgumentException("max_value must be >= 0, found " + maxValue);
    }
  }

  /**
   * An activation without parameters (ELU's alpha 1, leaky_relu's slope 0.2 as Keras 3's).
   *
   * @param kind which function; {@code LEAKY_RELU} gets slope 0.2 and {@code ELU} alpha 1.0, as
   *     {@code keras.activations.get(name)}
   * @return the activation with Keras 3's default parameters
   */
  public static Activation of(Kind kind) {
    return switch (kind) {
      case LEAKY_RELU -> leakyRelu(0.2);
      case ELU -> elu(1.0);
      default -> new Activation(kind, 0, null, 0);
    };
  }

  /**
   * {@code leaky_relu(x, negative_slope)}.
   *
   * @param negativeSlope the slope for {@code x < 0} (Keras's {@code negative_slope}; the {@code
   *     LeakyReLU} layer's default is 0.3, the function's 0.2), finite
   * @return a {@code LEAKY_RELU} activation, TensorFlow's {@code LeakyRelu(alpha=negativeSlope)}
   */
  public static Activation leakyRelu(double negativeSlope) {
    return new Activation(Kind.LEAKY_RELU, negativeSlope, null, 0);
  }

  /**
   * {@code elu(x, alpha)}.
   *
   * @param alpha the scale of the negative part, {@code alpha * (exp(x) - 1)} (Keras's default
   *     1.0), finite
   * @return an {@code ELU} activation
   */
  public static Activation elu(double alpha) {
    return new Activation(Kind.ELU, alpha, null, 0);
  }

  /**
   * Keras's {@code ReLU(max_value, negative_slope, threshold)} layer; its defaults are plain ReLU.
   *
   * @param negativeSlope the slope below {@code threshold} (Keras's default 0), finite
   * @param maxValue the cap on the output, {@code >= 0}, or {@code null} for none (Keras's default
   *     {@code None})
   * @param threshold the value below which the slope applies (Keras's default 0), finite
   * @return a {@code RELU} activation; equal to {@link #RELU} with the defaults
   */
  public static Activation relu(double negativeSlope, Double maxValue, double threshold) {
    return new Activation(Kind.RELU, negativeSlope, maxValue, threshold);
  }

  /**
   * The activation Keras 3's {@code keras.activations.get(name)} returns for a name: {@code relu},
   * {@code swish} (as {@code silu}), {@code hard_swish} (as {@code hard_silu}), ...
   *
   * @param name Keras's name, case-insensitive ({@code relu}, {@code leaky_relu}, {@code swish},
   *     ...); {@code null} or {@code none} mean {@code linear}
   * @return the activation with Keras 3's default parameters
   * @throws IllegalArgumentException naming the name when Keras 3 has no such activation here
   */
  public static Activation named(String name) {
    String n = name == null ? "linear" : name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "linear", "none" -> LINEAR;
      case "swish" -> of(Kind.SILU);
      case "hard_swish" -> of(Kind.HARD_SILU);
      case "gelu_approximate" -> of(Kind.GELU_APPROXIMATE);
      default -> {
        for (Kind k : Kind.values()) {
          if (k != Kind.GELU_APPROXIMATE && k.name().toLowerCase(Locale.ROOT).equals(n)) {
            yield of(k);
          }
        }
        throw new IllegalArgumentException(
            "unknown activation '" + name + "'; expected one of " + String.join(", ", names()));
      }
    };
  }

  /**
   * Every name {@link #named} accepts, in the table's order.
   *
   * @return the lowercase names of {@link Kind}'s constants, then the aliases {@code swish} and
   *     {@code hard_swish}; a new modifiable list
   */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (Kind k : Kind.values()) {
      out.add(k.name().toLowerCase(Locale.ROOT));
    }
    out.add("swish");
    out.add("hard_swish");
    return out;
  }

  /**
   * The name Keras 3's config gives this activation ({@code "relu"}, {@code "leaky_relu"}), or
   * {@code null} when a Dense layer's {@code activation} string cannot say it (a leaky_relu slope
   * other than 0.2, an elu alpha other than 1, a ReLU with parameters, gelu's approximation).
   *
   * @return the name for a Dense layer's {@code activation} field, or {@code null} when the
   *     parameters need a separate layer
   */
  public String kerasName() {
    boolean plain =
        switch (kind) {
          case LEAKY_RELU -> negativeSlope == 0.2;
          case ELU -> negativeSlope == 1.0;
          case RELU -> negativeSlope == 0 && maxValue == null && threshold == 0;
          case GELU_APPROXIMATE -> false;
          default -> true;
        };
    return plain ? kind.name().toLowerCase(Locale.ROOT) : null;
  }

  /**
   * True for the plain {@code relu} of the lesson.
   *
   * @return true when this equals {@link #RELU} (no slope, cap or threshold)
   */
  public boolean isPlainRelu() {
    return equals(RELU);
  }

  /** A short label for messages: {@code relu}, {@code leaky_relu(0.3)}, ... */
  @Override
  public String toString() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    return switch (kind) {
      case LEAKY_RELU, ELU -> name + "(" + negativeSlope + ")";
      case RELU ->
          isPlainRelu()
              ? name
              : name
                  + "(negative_slope="
                  + negativeSlope
                  + ", max_value="
                  + maxValue
                  + ", threshold="
                  + threshold
                  + ")";
      default -> name;
    };
  }

  /**
   * Adds this activation's ops to {@code tf}, as Keras 3's TensorFlow backend computes it.
   *
   * @param tf where to create the ops
   * @param x the pre-activation values, float32
   * @return the activated values, float32, of {@code x}'s shape; {@code x} itself for {@code
   *     LINEAR}
   */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    NativeGradients.ensureRegistered();
    return switch (kind) {
      case LINEAR -> x;
      case RELU -> relu(tf, x);
      case RELU6 -> tf.nn.relu6(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha((float) negativeSlope));
      case ELU -> elu(tf, x);
      case SELU -> tf.nn.selu(x);
      case GELU ->
          tf.math.mul(
              tf.math.mul(tf.constant(0.5f), x),
              tf.math.erfc(tf.math.mul(tf.math.neg(x), tf.constant(0.7071067811865476f))));
      case GELU_APPROXIMATE ->
          tf.math.mul(
              tf.math.mul(tf.constant(0.5f), x),
              tf.math.add(
                  tf.constant(1.0f),
                  tf.math.tanh(
                      tf.math.mul(
                          tf.constant(0.7978845608028654f),
                          tf.math.add(
                              x,
                              tf.math.mul(
                                  tf.constant(0.044715f), tf.math.pow(x, tf.constant(3.0f))))))));
      case SIGMOID -> tf.math.sigmoid(x);
      case HARD_SIGMOID -> hardSigmoid(tf, x);
      case TANH -> tf.math.tanh(x);
      case SOFTPLUS -> tf.math.softplus(x);
      case SOFTSIGN -> tf.nn.softsign(x);
      case SILU -> tf.math.mul(x, tf.math.sigmoid(x));
      case MISH -> tf.math.mul(x, tf.math.tanh(tf.math.softplus(x)));
      case EXPONENTIAL -> tf.math.exp(x);
      case SOFTMAX -> tf.nn.softmax(x);
      case LOG_SOFTMAX -> tf.nn.logSoftmax(x);
      case HARD_SILU -> tf.math.mul(x, hardSigmoid(tf, x));
    };
  }

  /**
   * The gradients this class's ops need that TensorFlow's C++ registry lacks ({@link
   * ErfcGradient}), registered when the first activation is added to a graph: registering loads
   * TensorFlow's native library, which reading a file's activations ({@code inspect}, the Keras
   * readers) must not.
   */
  private static final class NativeGradients {
    static {
      ErfcGradient.register();
    }

    private NativeGradients() {}

    /**
     * Initializes this holder, so the gradients are registered once, before any graph uses them.
     */
    static void ensureRegistered() {}
  }

  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3.0f))), tf.constant(6.0f));
  }

  private Operand<TFloat32> elu(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> res = tf.nn.elu(x);
    if (negativeSlope == 1.0) {
      return res;
    }
    return tf.select(
        tf.math.greater(x, tf.constant(0.0f)),
        res,
        tf.math.mul(tf.constant((float) negativeSlope), res));
  }

  /** Keras 3's {@code ReLU.static_call}, op for op. */
  private Operand<TFloat32> relu(Ops tf, Operand<TFloat32> x) {
    if (negativeSlope != 0 && maxValue == null && threshold == 0) {
      return tf.nn.leakyRelu(x, LeakyRelu.alpha((float) negativeSlope));
    }
    Operand<TFloat32> negativePart = null;
    if (negativeSlope != 0) {
      negativePart =
          threshold != 0
              ? tf.nn.relu(tf.math.add(tf.math.neg(x), tf.constant((float) threshold)))
              : tf.nn.relu(tf.math.neg(x));
    }
    boolean clipMax = maxValue != null;
    Operand<TFloat32> y;
    if (threshold != 0) {
      y = tf.select(tf.math.greater(x, tf.constant((float) threshold)), x, tf.zerosLike(x));
    } else if (maxValue != null && maxValue == 6.0) {
      y = tf.nn.relu6(x);
      clipMax = false;
    } else {
      y = tf.nn.relu(x);
    }
    if (clipMax) {
      y = tf.clipByValue(y, tf.constant(0.0f), tf.constant(maxValue.floatValue()));
    }
    if (negativePart != null) {
      y = tf.math.sub(y, tf.math.mul(tf.constant((float) negativeSlope), negativePart));
    }
    return y;
  }
}
