package org.dnnlessons.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The lesson's multilayer perceptron, built with fixed, documented names so that other programs
 * (Python's {@code import_meta_graph}, a checkpoint reader) find every tensor:
 *
 * <table>
 *   <caption>Names in every graph the trainer builds</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>{@code x}</td><td>float32 placeholder {@code [?, 28, 28, 1]} (the lesson's
 *       {@code reshape=False} images)</td></tr>
 *   <tr><td>{@code y}</td><td>float32 placeholder {@code [?, 10]}, one-hot labels</td></tr>
 *   <tr><td>{@code keep_prob}</td><td>float32 scalar placeholder with default 1.0</td></tr>
 *   <tr><td>{@code x_flat}</td><td>{@code x} reshaped to {@code [?, 784]}</td></tr>
 *   <tr><td>{@code hidden_layer/weights}, {@code hidden_layer/biases}</td><td>the first hidden
 *       layer; further layers are {@code hidden_layer_2}, {@code hidden_layer_3}, ...</td></tr>
 *   <tr><td>{@code out/weights}, {@code out/biases}</td><td>the output layer</td></tr>
 *   <tr><td>{@code logits}</td><td>{@code [?, 10]} output before softmax</td></tr>
 *   <tr><td>{@code probabilities}</td><td>{@code softmax(logits)}</td></tr>
 *   <tr><td>{@code cost}</td><td>mean softmax cross-entropy of {@code logits} and {@code y}</td></tr>
 *   <tr><td>{@code accuracy}</td><td>fraction of rows whose arg-max matches {@code y}'s</td></tr>
 *   <tr><td>{@code train_op}</td><td>one gradient-descent step on every variable</td></tr>
 *   <tr><td>{@code init}</td><td>runs every variable's initializer</td></tr>
 * </table>
 *
 * <p>Weights and biases start from {@code random_normal(stddev)} as in the lesson, created in the
 * lesson's order: every layer's weights, then every layer's biases. Each hidden layer is {@code
 * relu(x W + b)}, followed by dropout with {@code keep_prob} when {@link Options#dropout()} is set.
 *
 * <p>The ops are created in the lesson's order (the weights and biases, then the placeholders, the
 * layers, the cost, the optimizer, the accuracy), so {@code MlpLesson}, which writes the same graph
 * op by op as the notebook does, builds exactly this graph. The training step is TensorFlow Java's
 * own {@link GradientDescent} optimizer, {@code minimize(cost)} as in Python: gradients of {@code
 * cost} with respect to every variable of the graph (the network's, since it is built into an empty
 * graph), every {@code ApplyGradientDescent} waiting for all gradients. From the same seeds and
 * batches its weights are bit-identical to Python's {@code
 * GradientDescentOptimizer(learning_rate).minimize(cost)} ({@code TrainingParityIT}).
 */
public final class Mlp {

  /** The lesson's learning rate. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;

  /** The lesson's hidden layer width, {@code n_hidden_layer}. */
  public static final int HIDDEN_DEFAULT = 256;

  /** MNIST classes. */
  public static final int NUM_CLASSES = 10;

  /**
   * How to build the network.
   *
   * @param imageRows input image rows (28)
   * @param imageColumns input image columns (28)
   * @param model what the network computes (the lesson: {@link ModelDescription#lesson})
   * @param learningRate the gradient-descent step size, positive
   * @param initStddev the standard deviation of the initial weights and biases (the lesson: 1.0)
   * @param dropout add dropout with {@code keep_prob} after each hidden layer
   * @param graphSeed the graph-level random seed, or {@code null}
   */
  public record Options(
      int imageRows,
      int imageColumns,
      ModelDescription model,
      double learningRate,
      double initStddev,
      boolean dropout,
      Long graphSeed) {

    /**
     * Validates every setting.
     *
     * @param imageRows input image rows (28 for MNIST), {@code >= 1}
     * @param imageColumns input image columns (28 for MNIST), {@code >= 1}
     * @param model what the network computes, not {@code null}
     * @param learningRate the gradient-descent step size, positive and finite in float32 (the
     *     lesson: 0.001)
     * @param initStddev the standard deviation of {@code random_normal} for the initial weights and
     *     biases, positive and finite in float32 (the lesson: 1.0)
     * @param dropout true to add {@code tf.nn.dropout(layer, keep_prob)} after each hidden layer
     * @param graphSeed the graph-level seed ({@code tf.set_random_seed}), or {@code null} for none
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public Options {
      if (imageRows <= 0 || imageColumns <= 0) {
        throw new IllegalArgumentException(
            "image size must be positive, found " + imageRows + "x" + imageColumns);
      }
      Objects.requireNonNull(model, "model");
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException(
            "learning rate must be a positive number, found " + learningRate);
      }
      if (!(initStddev > 0) || Double.isInfinite(initStddev)) {
        throw new IllegalArgumentException(
            "initial standard deviation must be positive, found " + initStddev);
      }
      Float32Range.checkPositive("learning rate", learningRate);
      Float32Range.checkPositive("initial standard deviation", initStddev);
    }

    /**
     * The lesson's network: 28x28 images, one hidden layer of 256, learning rate 0.001.
     *
     * @return {@link ModelDescription#lesson} with one hidden layer of {@link #HIDDEN_DEFAULT},
     *     learning rate {@link #LEARNING_RATE_DEFAULT}, stddev 1.0, no dropout, no graph seed
     */
    public static Options lesson() {
      return new Options(
          28,
          28,
          ModelDescription.lesson(List.of(HIDDEN_DEFAULT)),
          LEARNING_RATE_DEFAULT,
          1.0,
          false,
          null);
    }

    /**
     * The widths of the hidden (Dense) layers, in order; empty for a single layer.
     *
     * @return {@link ModelDescription#hidden()} of {@link #model()}, an unmodifiable list
     */
    public List<Integer> hidden() {
      return model.hidden();
    }

    /**
     * These options with other hidden layer widths (the lesson's {@code --hidden}): at least one,
     * each positive; the model's hidden activation is kept.
     *
     * @param value the hidden widths, in order; each {@code >= 1}
     * @return new options; the rest unchanged
     * @throws IllegalArgumentException for an empty list, a width below 1, or a model with layers
     *     other than Dense
     */
    public Options withHidden(List<Integer> value) {
      Objects.requireNonNull(value, "hidden");
      for (Integer width : value) {
        if (width == null || width <= 0) {
          throw new IllegalArgumentException(
              "hidden layer widths must be positive, found " + width + " in " + value);
        }
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("--hidden needs at least one layer width");
      }
      return withModel(model.withHidden(value));
    }

    /**
     * These options with another model description.
     *
     * @param value the new model, not {@code null}
     * @return new options; the rest unchanged
     */
    public Options withModel(ModelDescription value) {
      return new Options(
          imageRows, imageColumns, value, learningRate, initStddev, dropout, graphSeed);
    }

    /**
     * These options with another learning rate.
     *
     * @param value the gradient-descent step size, positive
     * @return new options; the rest unchanged
     */
    public Options withLearningRate(double value) {
      return new Options(imageRows, imageColumns, model, value, initStddev, dropout, graphSeed);
    }

    /**
     * These options with another initial standard deviation.
     *
     * @param value the initial weights' standard deviation, positive
     * @return new options; the rest unchanged
     */
    public Options withInitStddev(double value) {
      return new Options(imageRows, imageColumns, model, learningRate, value, dropout, graphSeed);
    }

    /**
     * These options with dropout on or off.
     *
     * @param value true to add dropout with {@code keep_prob} after each hidden layer
     * @return new options; the rest unchanged
     */
    public Options withDropout(boolean value) {
      return new Options(
          imageRows, imageColumns, model, learningRate, initStddev, value, graphSeed);
    }

    /**
     * These options with a graph seed.
     *
     * @param value the graph-level seed, or {@code null} for none
     * @return new options; the rest unchanged
     */
    public Options withGraphSeed(Long value) {
      return new Options(imageRows, imageColumns, model, learningRate, initStddev, dropout, value);
    }

    /**
     * These options with another image size.
     *
     * @param rows image rows, {@code >= 1}
     * @param columns image columns, {@code >= 1}
     * @return new options; the rest unchanged
     */
    public Options withImageSize(int rows, int columns) {
      return new Options(rows, columns, model, learningRate, initStddev, dropout, graphSeed);
    }
  }

  /**
   * The built network's named parts.
   *
   * @param model the graph and its variables
   * @param x the image placeholder
   * @param y the label placeholder
   * @param keepProb the keep-probability placeholder (default 1.0)
   * @param logits the output layer
   * @param probabilities softmax of the logits
   * @param cost the mean cross-entropy
   * @param accuracy the fraction of correct predictions
   * @param trainOp one training step
   * @param init the variables' initializer
   * @param variables every weight and bias, in creation order
   */
  public record Network(
      ModelGraph model,
      Placeholder<TFloat32> x,
      Placeholder<TFloat32> y,
      PlaceholderWithDefault<TFloat32> keepProb,
      Operand<TFloat32> logits,
      Operand<TFloat32> probabilities,
      Operand<TFloat32> cost,
      Operand<TFloat32> accuracy,
      Op trainOp,
      Op init,
      List<NamedVariable<TFloat32>> variables)
      implements Classifier {}

  private Mlp() {}

  /**
   * The name scope of hidden layer {@code i} (0-based): {@code hidden_layer}, {@code
   * hidden_layer_2}, ...
   *
   * @param i the hidden layer's index, from 0
   * @return the scope of its {@code weights} and {@code biases} variables
   */
  public static String hiddenScope(int i) {
    return i == 0 ? "hidden_layer" : "hidden_layer_" + (i + 1);
  }

  /**
   * Builds the network {@link Options#model()} describes into an empty graph. The lesson's
   * description builds exactly the lesson's graph (same ops, names and order; {@code
   * LessonGraphsTest}); another description adds its layers' ops between {@code x_flat} and {@code
   * logits}: {@code input_scale} (a multiplication, when {@link ModelDescription#inputScale()} is
   * not 1), each layer in its own name scope, Dense layers in {@link ModelDescription#denseScope}.
   *
   * @param graph an empty graph; the network is built into it
   * @param options the network's shape, learning rate, initialization and seed
   * @return the network's named placeholders, outputs, training op and variables
   * @throws IllegalArgumentException when a layer's statistics fit neither one value nor the
   *     features it receives, or the first Dense layer's inputs are not the image's pixels
   */
  public static Network build(Graph graph, Options options) {
    ModelGraph g =
        options.graphSeed() == null
            ? ModelGraph.create(graph)
            : ModelGraph.create(graph, options.graphSeed());
    Ops tf = g.tf();
    int nInput = options.imageRows() * options.imageColumns();
    ModelDescription model = options.model();
    List<ModelDescription.Dense> dense = model.dense();

    // Store layers weight & bias: every weight first, then every bias, as the lesson's dicts do
    List<Integer> widths = new ArrayList<>();
    widths.add(nInput);
    for (ModelDescription.Dense d : dense) {
      widths.add(d.units());
    }
    int layers = dense.size();
    List<Ops> scopes = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      scopes.add(tf.withSubScope(ModelDescription.denseScope(i, layers)));
    }
    float stddev = (float) options.initStddev();
    List<NamedVariable<TFloat32>> weights = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Ops s = scopes.get(i);
      weights.add(
          g.variable(
              s,
              "weights",
              Initializers.randomNormal(
                  g, s, Shape.of(widths.get(i), widths.get(i + 1)), 0.0f, stddev, null)));
    }
    List<NamedVariable<TFloat32>> biases = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Ops s = scopes.get(i);
      biases.add(
          dense.get(i).useBias()
              ? g.variable(
                  s,
                  "biases",
                  Initializers.randomNormal(g, s, Shape.of(widths.get(i + 1)), 0.0f, stddev, null))
              : null);
    }

    // tf Graph input
    Placeholder<TFloat32> x =
        g.placeholder(
            tf, "x", TFloat32.class, Shape.of(-1, options.imageRows(), options.imageColumns(), 1));
    Placeholder<TFloat32> y = g.placeholder(tf, "y", TFloat32.class, Shape.of(-1, NUM_CLASSES));
    PlaceholderWithDefault<TFloat32> keepProb =
        tf.withName("keep_prob").placeholderWithDefault(tf.constant(1.0f), Shape.scalar());
    Operand<TFloat32> xFlat = tf.withName("x_flat").reshape(x, tf.constant(new int[] {-1, nInput}));

    // The layers in order: hidden Dense layers with their activation (and dropout), the others
    // (preprocessing, normalization) as Keras computes them at inference, then the output layer
    Operand<TFloat32> layer = xFlat;
    if (model.inputScale() != 1.0) {
      layer = tf.withName("input_scale").math.mul(layer, tf.constant((float) model.inputScale()));
    }
    int features = nInput;
    int denseIndex = 0;
    Operand<TFloat32> logits = null;
    for (ModelDescription.Layer l : model.layers()) {
      if (logits != null) {
        continue; // a final softmax (probabilities) or Dropout: the identity for the logits
      }
      if (l instanceof ModelDescription.Dense d) {
        int i = denseIndex++;
        Ops s = scopes.get(i);
        Operand<TFloat32> z =
            d.useBias()
                ? Layers.linear(s, layer, weights.get(i), biases.get(i))
                : s.linalg.matMul(layer, weights.get(i));
        features = d.units();
        if (i == layers - 1) {
          Operand<TFloat32> out =
              d.activation().kind() == Activation.Kind.SOFTMAX ? z : d.activation().apply(s, z);
          logits = tf.withName("logits").identity(out);
        } else {
          layer = d.activation().isPlainRelu() ? Layers.relu(s, z) : d.activation().apply(s, z);
          if (options.dropout()) {
            layer = Dropout.apply(g, s, layer, keepProb, null);
          }
        }
      } else {
        layer = InferenceLayers.apply(tf, l, layer, features);
      }
    }

    Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);

    // Define loss and optimizer
    Operand<TFloat32> crossEntropy = tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss();
    Operand<TFloat32> cost = tf.withName("cost").math.mean(crossEntropy, tf.constant(0));
    List<NamedVariable<TFloat32>> variables = new ArrayList<>(weights);
    for (NamedVariable<TFloat32> b : biases) {
      if (b != null) {
        variables.add(b);
      }
    }
    Op trainOp =
        new GradientDescent(graph, (float) options.learningRate()).minimize(cost, "train_op");

    // Calculate accuracy
    Operand<TInt64> predicted = tf.math.argMax(logits, tf.constant(1));
    Operand<TInt64> actual = tf.math.argMax(y, tf.constant(1));
    Operand<TFloat32> correct = tf.dtypes.cast(tf.math.equal(predicted, actual), TFloat32.class);
    Operand<TFloat32> accuracy = tf.withName("accuracy").math.mean(correct, tf.constant(0));

    Op init = g.globalVariablesInitializer();
    return new Network(
        g,
        x,
        y,
        keepProb,
        logits,
        probabilities,
        cost,
        accuracy,
        trainOp,
        init,
        List.copyOf(variables));
  }
}
