package org.dnnlessons.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a network computes, layer by layer: the one place that knows a model's shape, names and
 * math. Every reader (the lesson's checkpoints, Keras's files) produces one; {@link Mlp#build}
 * builds its graph, {@code train}, {@code evaluate}, {@code predict} and {@code export} work from
 * it. The lesson's MLP is one value of it: {@link #lesson(List)}.
 *
 * <p>The network takes the lesson's flattened images ({@code x_flat}, {@code [?, rows*columns]},
 * pixels scaled to [0, 1] as {@code read_data_sets} gives them), multiplies them by {@link
 * #inputScale()} (255 for a model whose first layer is {@code Rescaling}, as Keras fed it raw
 * pixels; otherwise 1), then applies {@link #layers()} in order. The last {@link Dense} layer has
 * {@link Mlp#NUM_CLASSES} units; its values (before a final softmax) are the graph's {@code
 * logits}.
 *
 * <p>The naming contract: the {@code i}-th {@link Dense} layer's variables are {@code
 * <scope>/weights} {@code [inputs, units]} and {@code <scope>/biases} {@code [units]} (absent with
 * {@code use_bias=False}), where the scope is {@code hidden_layer}, {@code hidden_layer_2}, ... and
 * {@code out} for the last one ({@link #denseScope}). The other layers' values (Normalization's
 * statistics, BatchNormalization's moving statistics, PReLU's alpha) are part of the description
 * and constants of the graph: training leaves them as they are.
 *
 * @param inputScale what the first layer receives for a white pixel: 1 (the lesson's pixels/255) or
 *     255 (Keras's raw pixels), or another positive number
 * @param layers the layers after the input, at least one {@link Dense}, the last Dense of {@link
 *     Mlp#NUM_CLASSES} units
 */
public record ModelDescription(double inputScale, List<Layer> layers) {

  /** One layer of the network; Python's Keras class in each record's comment. */
  public sealed interface Layer
      permits Dense, ActivationLayer, Rescaling, Normalization, BatchNormalization, PRelu, Dropout {
    /**
     * The layer's name in the file it came from (Keras's {@code name}), or {@code null}.
     *
     * @return the Keras layer name, or {@code null} when the source had none (the lesson's
     *     checkpoints)
     */
    String name();

    /**
     * Keras's class name: {@code Dense}, {@code Rescaling}, ...
     *
     * @return the Keras class name, as in a {@code config.json}'s {@code class_name}
     */
    String kerasClass();
  }

  /**
   * {@code keras.layers.Dense(units, activation, use_bias)}: {@code activation(x @ kernel + bias)}.
   *
   * @param name the Keras layer name, or {@code null}
   * @param units the output width, {@code >= 1} (Keras's {@code units}); the kernel is {@code
   *     [inputs, units]}
   * @param useBias whether the layer has a {@code biases} vector of {@code units} values (Keras's
   *     {@code use_bias}, default true)
   * @param activation applied to {@code x @ kernel + bias} (Keras's {@code activation}); {@link
   *     Activation#LINEAR} for none
   */
  public record Dense(String name, int units, boolean useBias, Activation activation)
      implements Layer {
    /**
     * Checks the width.
     *
     * @param name the Keras layer name, or {@code null}
     * @param units the output width, {@code >= 1} (Keras's {@code units})
     * @param useBias whether the layer has a {@code biases} vector (Keras's {@code use_bias})
     * @param activation applied to {@code x @ kernel + bias}; {@link Activation#LINEAR} for none
     * @throws IllegalArgumentException for {@code units < 1}
     */
    public Dense {
      if (units <= 0) {
        throw new IllegalArgumentException(
            "a Dense layer's units must be positive, found " + units);
      }
      Objects.requireNonNull(activation, "activation");
    }

    @Override
    public String kerasClass() {
      return "Dense";
    }
  }

  /**
   * {@code keras.layers.Activation(name)}, {@code ReLU}, {@code LeakyReLU}, {@code ELU}, {@code
   * Softmax}: an activation on its own.
   *
   * @param name the Keras layer name, or {@code null}
   * @param kerasClass the Keras class it came from ({@code Activation}, {@code ReLU}, ...)
   * @param activation the function it applies, element-wise (shape unchanged)
   */
  public record ActivationLayer(String name, String kerasClass, Activation activation)
      implements Layer {
    /**
     * Checks the activation.
     *
     * @param name the Keras layer name, or {@code null}
     * @param kerasClass the Keras class it came from ({@code Activation}, {@code ReLU}, {@code
     *     LeakyReLU}, ...), not {@code null}
     * @param activation the function it applies, not {@code null}
     */
    public ActivationLayer {
      Objects.requireNonNull(kerasClass, "kerasClass");
      Objects.requireNonNull(activation, "activation");
    }
  }

  /**
   * {@code keras.layers.Rescaling(scale, offset)}: {@code x * scale + offset}.
   *
   * @param name the Keras layer name, or {@code null}
   * @param scale what every value is multiplied by (Keras's {@code scale}, e.g. {@code 1/255}),
   *     finite
   * @param offset what is added after scaling (Keras's {@code offset}, default 0), finite
   */
  public record Rescaling(String name, double scale, double offset) implements Layer {
    /**
     * Checks the numbers.
     *
     * @param name the Keras layer name, or {@code null}
     * @param scale what every value is multiplied by (Keras's {@code scale}), finite
     * @param offset what is added after scaling (Keras's {@code offset}), finite
     * @throws IllegalArgumentException for a non-finite scale or offset
     */
    public Rescaling {
      if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
        throw new IllegalArgumentException("Rescaling's scale and offset must be finite");
      }
    }

    @Override
    public String kerasClass() {
      return "Rescaling";
    }
  }

  /**
   * {@code keras.layers.Normalization(mean, variance)} (or adapted): {@code (x - mean) /
   * max(sqrt(variance), 1e-7)}; {@code mean} and {@code variance} have one value (every feature) or
   * one per input feature.
   *
   * @param name the Keras layer name, or {@code null}
   * @param mean the mean (Keras's {@code mean}, or what {@code adapt} computed), one value or one
   *     per input feature
   * @param variance the variance (Keras's {@code variance}), as many values as {@code mean}
   */
  public record Normalization(String name, float[] mean, float[] variance) implements Layer {
    /**
     * Checks the statistics' lengths.
     *
     * @param name the Keras layer name, or {@code null}
     * @param mean the mean, one value or one per input feature; not copied
     * @param variance the variance, as many values as {@code mean}; not copied
     * @throws IllegalArgumentException when either is missing or empty, or their lengths differ
     */
    public Normalization {
      checkSame("Normalization", mean, variance);
    }

    @Override
    public String kerasClass() {
      return "Normalization";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Normalization n
          && Objects.equals(name, n.name)
          && Arrays.equals(mean, n.mean)
          && Arrays.equals(variance, n.variance);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(mean), Arrays.hashCode(variance));
    }

    @Override
    public String toString() {
      return "Normalization[" + name + ", " + mean.length + " features]";
    }
  }

  /**
   * {@code keras.layers.BatchNormalization} at inference: {@code x * inv + (beta - moving_mean *
   * inv)} with {@code inv = rsqrt(moving_variance + epsilon) * gamma}, as {@code
   * tf.nn.batch_normalization}; {@code gamma} and {@code beta} are {@code null} for {@code
   * scale=False} and {@code center=False}.
   *
   * @param name the Keras layer name, or {@code null}
   * @param epsilon added to the variance (Keras's {@code epsilon}, default 1e-3), {@code >= 0}
   * @param gamma the scale, one per feature (Keras's {@code gamma}), or {@code null} for {@code
   *     scale=False}
   * @param beta the offset, one per feature (Keras's {@code beta}), or {@code null} for {@code
   *     center=False}
   * @param movingMean the moving mean, one per feature (Keras's {@code moving_mean})
   * @param movingVariance the moving variance, as many values as {@code movingMean} (Keras's {@code
   *     moving_variance})
   */
  public record BatchNormalization(
      String name,
      double epsilon,
      float[] gamma,
      float[] beta,
      float[] movingMean,
      float[] movingVariance)
      implements Layer {
    /**
     * Checks the statistics' lengths.
     *
     * @param name the Keras layer name, or {@code null}
     * @param epsilon added to the variance (Keras's default 1e-3), {@code >= 0} and finite
     * @param gamma the scale per feature, or {@code null} for {@code scale=False}; not copied
     * @param beta the offset per feature, or {@code null} for {@code center=False}; not copied
     * @param movingMean the moving mean per feature; not copied
     * @param movingVariance the moving variance, as many values as {@code movingMean}; not copied
     * @throws IllegalArgumentException when the statistics' lengths differ or are 0, or epsilon is
     *     negative or not finite
     */
    public BatchNormalization {
      checkSame("BatchNormalization", movingMean, movingVariance);
      if (gamma != null) {
        checkSame("BatchNormalization", movingMean, gamma);
      }
      if (beta != null) {
        checkSame("BatchNormalization", movingMean, beta);
      }
      if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
        throw new IllegalArgumentException("BatchNormalization's epsilon must be >= 0");
      }
    }

    @Override
    public String kerasClass() {
      return "BatchNormalization";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BatchNormalization b
          && Objects.equals(name, b.name)
          && epsilon == b.epsilon
          && Arrays.equals(gamma, b.gamma)
          && Arrays.equals(beta, b.beta)
          && Arrays.equals(movingMean, b.movingMean)
          && Arrays.equals(movingVariance, b.movingVariance);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, epsilon, Arrays.hashCode(movingMean));
    }

    @Override
    public String toString() {
      return "BatchNormalization[" + name + ", " + movingMean.length + " features]";
    }
  }

  /**
   * {@code keras.layers.PReLU}: {@code relu(x) - alpha * relu(-x)} with a learned {@code alpha} per
   * feature (or one for all).
   *
   * @param name the Keras layer name, or {@code null}
   * @param alpha the slope for {@code x < 0} (Keras's {@code alpha}), one value or one per feature
   */
  public record PRelu(String name, float[] alpha) implements Layer {
    /**
     * Checks alpha.
     *
     * @param name the Keras layer name, or {@code null}
     * @param alpha the slope for {@code x < 0}, one value or one per feature; not copied
     * @throws IllegalArgumentException when {@code alpha} is missing or empty
     */
    public PRelu {
      if (alpha == null || alpha.length == 0) {
        throw new IllegalArgumentException("PReLU needs its alpha");
      }
    }

    @Override
    public String kerasClass() {
      return "PReLU";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PRelu p && Objects.equals(name, p.name) && Arrays.equals(alpha, p.alpha);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(alpha));
    }

    @Override
    public String toString() {
      return "PReLU[" + name + ", " + alpha.length + " features]";
    }
  }

  /**
   * {@code keras.layers.Dropout(rate)}: the identity at inference; kept so that an exported model
   * has it again. (The lesson's {@code --dropout}, with {@code keep_prob}, is another thing.)
   *
   * @param name the Keras layer name, or {@code null}
   * @param rate the fraction of inputs Keras drops in training (Keras's {@code rate}); unused at
   *     inference
   */
  public record Dropout(String name, double rate) implements Layer {
    @Override
    public String kerasClass() {
      return "Dropout";
    }
  }

  /**
   * Checks the layers and the input scale.
   *
   * @param inputScale what the first layer receives for a white pixel (1 or 255), positive and
   *     finite
   * @param layers the layers in order, copied; at least one Dense, the last of {@link
   *     Mlp#NUM_CLASSES} units, followed only by a softmax or Dropout
   * @throws IllegalArgumentException naming what is wrong: the scale, no Dense layer, the output's
   *     width, or a layer after the output
   */
  public ModelDescription {
    if (!(inputScale > 0) || Double.isInfinite(inputScale)) {
      throw new IllegalArgumentException("the input scale must be positive, found " + inputScale);
    }
    layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
    List<Dense> dense = new ArrayList<>();
    for (Layer l : layers) {
      if (l instanceof Dense d) {
        dense.add(d);
      }
    }
    if (dense.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one Dense layer (its output)");
    }
    int last = dense.get(dense.size() - 1).units();
    if (last != Mlp.NUM_CLASSES) {
      throw new IllegalArgumentException(
          "the last Dense layer has " + last + " units, expected " + Mlp.NUM_CLASSES);
    }
    for (int i = layers.indexOf(dense.get(dense.size() - 1)) + 1; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (!(l instanceof Dropout)
          && !(l instanceof ActivationLayer a
              && a.activation().kind() == Activation.Kind.SOFTMAX)) {
        throw new IllegalArgumentException(
            "layer "
                + label(l)
                + " comes after the output Dense layer; only a softmax or a Dropout may");
      }
    }
  }

  /**
   * The lesson's MLP: {@code relu(x W + b)} for each hidden layer of the given widths (none: the
   * lesson's "Save a Trained Model" single layer), then the linear {@code out} layer of 10 units;
   * pixels/255 in.
   *
   * @param hidden the hidden layers' widths, each {@code >= 1}; empty for the single-layer model
   * @return the description with input scale 1, whose graph is the lesson's
   */
  public static ModelDescription lesson(List<Integer> hidden) {
    return mlp(hidden, Activation.RELU);
  }

  /**
   * As {@link #lesson(List)} with another activation for every hidden layer.
   *
   * @param hidden the hidden layers' widths, each {@code >= 1}; empty for a single layer
   * @param activation the activation of every hidden Dense layer; the output stays linear
   * @return the description with input scale 1
   * @throws IllegalArgumentException for a width below 1
   */
  public static ModelDescription mlp(List<Integer> hidden, Activation activation) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < hidden.size(); i++) {
      if (hidden.get(i) == null || hidden.get(i) <= 0) {
        throw new IllegalArgumentException(
            "hidden layer widths must be positive, found " + hidden.get(i) + " in " + hidden);
      }
      layers.add(new Dense(denseScope(i, hidden.size() + 1), hidden.get(i), true, activation));
    }
    layers.add(new Dense("out", Mlp.NUM_CLASSES, true, Activation.LINEAR));
    return new ModelDescription(1.0, layers);
  }

  /**
   * The name scope of the {@code i}-th (0-based) of {@code count} Dense layers: {@code
   * hidden_layer}, {@code hidden_layer_2}, ..., and {@code out} for the last.
   *
   * @param i the Dense layer's index, from 0
   * @param count how many Dense layers the model has
   * @return {@code out} when {@code i} is the last, else {@link Mlp#hiddenScope(int)}
   */
  public static String denseScope(int i, int count) {
    return i == count - 1 ? "out" : Mlp.hiddenScope(i);
  }

  /**
   * The Dense layers, in order.
   *
   * @return a new list of the {@link Dense} layers of {@link #layers()}
   */
  public List<Dense> dense() {
    List<Dense> out = new ArrayList<>();
    for (Layer l : layers) {
      if (l instanceof Dense d) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * The widths of the Dense layers before the output layer (the lesson's {@code --hidden}).
   *
   * @return an unmodifiable list of widths; empty for a single Dense layer
   */
  public List<Integer> hidden() {
    List<Dense> dense = dense();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < dense.size() - 1; i++) {
      out.add(dense.get(i).units());
    }
    return List.copyOf(out);
  }

  /**
   * The graph's variable names for the Dense layers, in the lesson's order: every layer's {@code
   * weights}, then every layer's {@code biases} (layers without bias have none).
   *
   * @return a new list, e.g. {@code hidden_layer/weights, out/weights, hidden_layer/biases,
   *     out/biases}
   */
  public List<String> variableNames() {
    List<Dense> dense = dense();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < dense.size(); i++) {
      out.add(denseScope(i, dense.size()) + "/weights");
    }
    for (int i = 0; i < dense.size(); i++) {
      if (dense.get(i).useBias()) {
        out.add(denseScope(i, dense.size()) + "/biases");
      }
    }
    return out;
  }

  /**
   * True when this is the lesson's math: Dense layers only, each with bias, plain ReLU hidden
   * layers, a linear output, pixels/255 in. The in-graph training loops ({@code --steps-per-run},
   * {@code --jit-compile}) build only this.
   *
   * @return true when this equals {@link #lesson(List)} of its own hidden widths
   */
  public boolean isLessonMlp() {
    return equals(lesson(hidden()));
  }

  /**
   * This description with another input scale.
   *
   * @param value the new input scale, positive
   * @return a new description with the same layers
   */
  public ModelDescription withInputScale(double value) {
    return new ModelDescription(value, layers);
  }

  /**
   * This description with other hidden widths: only for a stack of Dense layers whose hidden layers
   * share one activation (the lesson's {@code --hidden}).
   *
   * @param hidden the new hidden widths, each {@code >= 1}
   * @return a new description; the output layer and the input scale are kept
   * @throws IllegalArgumentException when the model has other layers
   */
  public ModelDescription withHidden(List<Integer> hidden) {
    List<Dense> dense = dense();
    if (dense.size() != layers.size()) {
      throw new IllegalArgumentException(
          "--hidden cannot change a model with layers other than Dense (" + summary() + ")");
    }
    Activation a = dense.size() > 1 ? dense.get(0).activation() : Activation.RELU;
    for (int i = 0; i < dense.size() - 1; i++) {
      if (!dense.get(i).activation().equals(a) || !dense.get(i).useBias()) {
        throw new IllegalArgumentException(
            "--hidden cannot change a model whose hidden layers differ (" + summary() + ")");
      }
    }
    ModelDescription m = mlp(hidden, a);
    Dense out = dense.get(dense.size() - 1);
    List<Layer> ls = new ArrayList<>(m.layers);
    ls.set(ls.size() - 1, out);
    return new ModelDescription(inputScale, ls);
  }

  /**
   * One line: {@code Rescaling(0.00784, -1) -> Dense(128, tanh) -> Dense(10, linear)}, with the
   * input scale when it is not 1.
   *
   * @return the layers joined by {@code " -> "}
   */
  public String summary() {
    List<String> parts = new ArrayList<>();
    for (Layer l : layers) {
      parts.add(describe(l));
    }
    return String.join(" -> ", parts);
  }

  private static String describe(Layer l) {
    if (l instanceof Dense d) {
      return "Dense(" + d.units() + ", " + d.activation() + (d.useBias() ? "" : ", no bias") + ")";
    }
    if (l instanceof ActivationLayer a) {
      return a.kerasClass() + "(" + a.activation() + ")";
    }
    if (l instanceof Rescaling r) {
      return "Rescaling(" + r.scale() + ", " + r.offset() + ")";
    }
    if (l instanceof Normalization n) {
      return "Normalization(" + n.mean().length + ")";
    }
    if (l instanceof BatchNormalization b) {
      return "BatchNormalization(" + b.movingMean().length + ")";
    }
    if (l instanceof PRelu p) {
      return "PReLU(" + p.alpha().length + ")";
    }
    return "Dropout(" + ((Dropout) l).rate() + ")";
  }

  static String label(Layer l) {
    return (l.name() == null ? "" : "'" + l.name() + "' ") + "(" + l.kerasClass() + ")";
  }

  private static void checkSame(String layer, float[] a, float[] b) {
    if (a == null || b == null || a.length == 0 || a.length != b.length) {
      throw new IllegalArgumentException(
          layer
              + "'s statistics must have one length, found "
              + (a == null ? "none" : a.length)
              + " and "
              + (b == null ? "none" : b.length));
    }
  }
}
