package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.DirectorySource;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.format.PythonFloat;
import org.dnnlessons.nn.Dropout;
import org.dnnlessons.nn.Initializers;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.TrainOptions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's "Deep Neural Network in TensorFlow" walkthrough (its cells "TensorFlow MNIST" to
 * "Session", then "Deeper Neural Network"): MNIST read with {@code one_hot=True, reshape=False},
 * placeholders {@code x [?,28,28,1]} and {@code y [?,10]}, {@code x_flat}, one ReLU hidden layer of
 * 256, weights and biases from {@code random_normal}, mean softmax cross-entropy, gradient descent
 * at 0.001, 20 epochs of {@code int(n / 128)} batches of 128, fed one batch per {@code Session.run}
 * as the notebook's {@code sess.run(optimizer, feed_dict=...)} does.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson mlp [--epochs N] [--seed S]
 * [--hidden 256,128] [--data DIR | --dataset NAME]}; on the embedded digits it prints one line per
 * epoch, for example
 *
 * <pre>
 * Epoch: 0001 cost= 97.263033 validation accuracy= 0.139
 * ...
 * Optimization Finished!
 * Test Accuracy: 0.588
 * Trained 1080 steps in 0.91 s
 * </pre>
 *
 * The costs' and accuracies' last digits follow the CPU's kernels and match Python's on the same
 * machine. The lesson's settings are weak on purpose (initial weights with standard deviation 1, a
 * tiny learning rate): expect around 0.6 test accuracy. "Deeper Neural Network": {@code --hidden
 * 256,128,...} adds one ReLU layer per width. The fast ways to train the same network ({@code
 * --steps-per-run}, {@code --jit-compile}) are {@code dnn-lessons train}'s.
 *
 * <p>Tests: {@code MlpLessonTest} (the loop and its lines), {@code LessonGraphsTest} (this graph is
 * {@link Mlp#build}'s, node for node), {@code ReadmeQuickStartTest} (the README's seeded run).
 * Python peer: {@code src/test/python/lesson_mlp.py}, the notebook's code run by {@code bench} on
 * the same files.
 */
public final class MlpLesson {

  /** The command that runs this lesson: {@code dnn-lessons lesson mlp}. */
  public static final String COMMAND = "mlp";

  /**
   * How to run the walkthrough; start from {@link #lesson()} and change settings by name.
   *
   * @param network the network (the lesson: {@link Mlp.Options#lesson()})
   * @param trainingEpochs the notebook's {@code training_epochs} (the lesson: 20)
   * @param batchSize the notebook's {@code batch_size} (the lesson: 128)
   * @param data where the digits come from (the lesson: the embedded ones)
   * @param dataSeed the shuffling seed of the batches (the lesson: 0)
   */
  public record Options(
      Mlp.Options network, int trainingEpochs, int batchSize, DataSource data, long dataSeed) {

    /**
     * Validates the settings.
     *
     * @param network the network's widths, activation, optimizer and dropout
     * @param trainingEpochs passes over the training split, {@code >= 1}
     * @param batchSize examples per step, {@code >= 1}
     * @param data where the digits come from
     * @param dataSeed the shuffling seed of the batches
     * @throws IllegalArgumentException for fewer than 1 epoch or a batch size below 1
     */
    public Options {
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(data, "data");
      if (trainingEpochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, found " + trainingEpochs);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
      }
    }

    /**
     * The notebook's settings on the embedded digits.
     *
     * @return {@link Mlp.Options#lesson()}, 20 epochs of batch 128, the embedded digits, seed 0
     */
    public static Options lesson() {
      return new Options(
          Mlp.Options.lesson(),
          TrainOptions.EPOCHS_DEFAULT,
          TrainOptions.BATCH_SIZE_DEFAULT,
          new EmbeddedMnist(),
          0);
    }

    /**
     * These options with another network.
     *
     * @param value the network's settings
     * @return new options; these are unchanged
     */
    public Options withNetwork(Mlp.Options value) {
      return new Options(value, trainingEpochs, batchSize, data, dataSeed);
    }

    /**
     * These options with another number of epochs.
     *
     * @param value passes over the training split, {@code >= 1}
     * @return new options; these are unchanged
     */
    public Options withTrainingEpochs(int value) {
      return new Options(network, value, batchSize, data, dataSeed);
    }

    /**
     * These options with another batch size.
     *
     * @param value examples per step, {@code >= 1}
     * @return new options; these are unchanged
     */
    public Options withBatchSize(int value) {
      return new Options(network, trainingEpochs, value, data, dataSeed);
    }

    /**
     * These options reading the digits from elsewhere.
     *
     * @param value where the digits come from, e.g. a {@link DirectorySource}
     * @return new options; these are unchanged
     */
    public Options withData(DataSource value) {
      return new Options(network, trainingEpochs, batchSize, value, dataSeed);
    }

    /**
     * These options with another shuffling seed.
     *
     * @param value the shuffling seed of the batches
     * @return new options; these are unchanged
     */
    public Options withDataSeed(long value) {
      return new Options(network, trainingEpochs, batchSize, data, value);
    }
  }

  /**
   * The trained network's record: every epoch's mean cost and validation accuracy, and the test
   * accuracy at the end.
   *
   * @param epochs one summary per epoch, in order
   * @param steps the training steps run: {@code trainingEpochs * int(n / batchSize)}
   * @param trainSeconds the wall-clock time of the training batches (not validation)
   * @param testAccuracy accuracy on the test split after training
   */
  public record Trained(
      List<EpochSummary> epochs, long steps, double trainSeconds, float testAccuracy) {}

  private MlpLesson() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson mlp} takes options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.lesson(), System.out));
  }

  /**
   * Reads the data ({@link #readData}), then runs the lesson on it.
   *
   * @param options the network, epochs, batch size, data and seed
   * @param out where the epoch lines and the test accuracy are printed
   * @return the epochs' costs, the steps, the time and the test accuracy
   * @throws Exception a {@link DatasetException} when the digits cannot be read, or what training
   *     throws
   */
  public static Trained run(Options options, PrintStream out) throws Exception {
    return run(options, readData(options), out);
  }

  /**
   * The notebook's "TensorFlow MNIST" cell: the digits with {@code one_hot=True, reshape=False},
   * batches shuffled with {@code options.dataSeed()}.
   *
   * @param options where the digits come from and the shuffling seed
   * @return the train, validation and test splits, one-hot labels, images {@code [n, 28, 28, 1]}
   * @throws DatasetException one line naming the file that is missing or malformed
   */
  public static MnistDataSets readData(Options options) throws DatasetException {
    return MnistDataSets.read(
        options.data(),
        MnistDataSets.Options.defaults().withReshape(false).withSeed(options.dataSeed()));
  }

  /**
   * Builds the network and trains it as the notebook's "Session" cell does, then prints and returns
   * the test accuracy.
   *
   * @param mnist the digits from {@link #readData}
   * @param options the network, epochs and batch size
   * @param out where the epoch lines and the test accuracy are printed
   * @return the epochs' costs, the steps, the time and the test accuracy
   * @throws IllegalArgumentException when a batch is larger than the training split
   */
  public static Trained run(Options options, MnistDataSets mnist, PrintStream out) {
    int trainingEpochs = options.trainingEpochs();
    int batchSize = options.batchSize();
    checkBatchSize(batchSize, mnist.train());
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          buildGraph(
              graph,
              options
                  .network()
                  .withImageSize(mnist.train().imageRows(), mnist.train().imageColumns()));
      List<EpochSummary> epochs = new ArrayList<>();
      long steps = 0;
      long trainNanos = 0;

      // Launch the graph
      try (Session sess = net.model().newSession()) {
        sess.run(net.init());
        // Training cycle
        for (int epoch = 0; epoch < trainingEpochs; epoch++) {
          int totalBatch = mnist.train().numExamples() / batchSize;
          double costSum = 0;
          long start = System.nanoTime();
          // Loop over all batches
          for (int i = 0; i < totalBatch; i++) {
            try (Batch batch = mnist.train().nextBatch(batchSize);
                // Run optimization op (backprop) and cost op (to get loss value)
                Result fetched =
                    sess.runner()
                        .feed(net.x(), batch.images())
                        .feed(net.y(), batch.oneHotLabels())
                        .addTarget(net.trainOp())
                        .fetch(net.cost())
                        .run()) {
              costSum += ((TFloat32) fetched.get(0)).getFloat();
            }
          }
          long epochNanos = System.nanoTime() - start;
          trainNanos += epochNanos;
          steps += totalBatch;
          // Display logs per epoch step
          float validationAccuracy = Evaluator.accuracy(sess, net, mnist.validation());
          EpochSummary summary =
              new EpochSummary(
                  epoch, totalBatch, costSum / totalBatch, validationAccuracy, epochNanos / 1e9);
          out.println(epochLine(summary));
          epochs.add(summary);
        }
        out.println("Optimization Finished!");

        // Calculate accuracy on the test images
        float testAccuracy = Evaluator.accuracy(sess, net, mnist.test());
        out.println("Test Accuracy: " + formatAccuracy(testAccuracy));
        out.println(
            String.format(Locale.ROOT, "Trained %d steps in %.2f s", steps, trainNanos / 1e9));
        return new Trained(List.copyOf(epochs), steps, trainNanos / 1e9, testAccuracy);
      }
    }
  }

  private static void checkBatchSize(int batchSize, DataSet train) {
    if (batchSize > train.numExamples()) {
      throw new IllegalArgumentException(
          "batch size "
              + batchSize
              + " is larger than the training split ("
              + train.numExamples()
              + " examples)");
    }
  }

  /**
   * The lesson's graph, written op by op as the notebook's cells write it: the {@code weights} and
   * {@code biases} maps keyed {@code "hidden_layer"} and {@code "out"} (one more key per deeper
   * layer: {@code "hidden_layer_2"}, ...), the placeholders {@code x} and {@code y}, {@code
   * x_flat}, {@code matMul}, {@code add} and {@code relu} for each hidden layer, the logits, the
   * mean softmax cross-entropy as {@code cost}, and TensorFlow Java's {@code GradientDescent}
   * optimizer minimizing it. The graph is exactly the one {@link Mlp#build} makes for the same
   * options (same ops, names, inputs and attributes, in the same order; {@code LessonGraphsTest}),
   * so everything that trains, saves or serves an {@code Mlp} works on it. Besides the lesson's ops
   * it creates those of the project's documented contract: {@code keep_prob} (a placeholder with
   * default 1.0, which the dropout section feeds), {@code probabilities} and {@code accuracy}.
   *
   * @param graph an empty graph
   * @param options the network's settings (the lesson: {@link Mlp.Options#lesson()})
   * @return the network: its placeholders, logits, cost, optimizer and accuracy ops
   */
  public static Mlp.Network buildGraph(Graph graph, Mlp.Options options) {
    ModelGraph g = modelGraph(graph, options);
    Ops tf = g.tf();
    int nInput = options.imageRows() * options.imageColumns(); // MNIST data input (28*28)
    int nClasses = Mlp.NUM_CLASSES; // MNIST total classes (0-9 digits)
    float stddev = (float) options.initStddev(); // the lesson: tf.random_normal's 1.0

    Map<String, Ops> layers = layerScopes(tf, options);
    List<Integer> widths = widths(options);

    // Store layers weight & bias
    Map<String, NamedVariable<TFloat32>> weights = weights(g, layers, nInput, widths, stddev);
    Map<String, NamedVariable<TFloat32>> biases = biases(g, layers, widths, stddev);

    // tf Graph input
    Placeholder<TFloat32> x =
        tf.withName("x")
            .placeholder(
                TFloat32.class,
                Placeholder.shape(Shape.of(-1, options.imageRows(), options.imageColumns(), 1)));
    Placeholder<TFloat32> y =
        tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, nClasses)));
    PlaceholderWithDefault<TFloat32> keepProb =
        tf.withName("keep_prob").placeholderWithDefault(tf.constant(1.0f), Shape.scalar());
    Operand<TFloat32> xFlat = tf.withName("x_flat").reshape(x, tf.constant(new int[] {-1, nInput}));

    // Multilayer Perceptron
    Operand<TFloat32> logits =
        tf.withName("logits")
            .identity(
                multilayerPerceptron(
                    g, layers, xFlat, weights, biases, keepProb, options.dropout()));
    Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);

    // Define loss and optimizer
    Operand<TFloat32> cost =
        tf.withName("cost")
            .math
            .mean(tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));
    Op optimizer =
        new GradientDescent(graph, (float) options.learningRate()).minimize(cost, "train_op");

    // Calculate accuracy
    Operand<TFloat32> accuracy = accuracy(tf, logits, y);

    // Initializing the variables
    Op init = g.globalVariablesInitializer();
    return new Mlp.Network(
        g,
        x,
        y,
        keepProb,
        logits,
        probabilities,
        cost,
        accuracy,
        optimizer,
        init,
        variables(weights, biases));
  }

  /** The graph and its op-level seeds: the options' graph seed, or none. */
  private static ModelGraph modelGraph(Graph graph, Mlp.Options options) {
    return options.graphSeed() == null
        ? ModelGraph.create(graph)
        : ModelGraph.create(graph, options.graphSeed());
  }

  /** Each layer's output width: the hidden layers', then the 10 classes. */
  private static List<Integer> widths(Mlp.Options options) {
    List<Integer> widths = new ArrayList<>(options.hidden());
    widths.add(Mlp.NUM_CLASSES);
    return widths;
  }

  /** The weights, then the biases: {@link Mlp.Network#variables()}'s order. */
  private static List<NamedVariable<TFloat32>> variables(
      Map<String, NamedVariable<TFloat32>> weights, Map<String, NamedVariable<TFloat32>> biases) {
    List<NamedVariable<TFloat32>> variables = new ArrayList<>(weights.values());
    variables.addAll(biases.values());
    return List.copyOf(variables);
  }

  /** One name scope per layer, created once: hidden_layer (hidden_layer_2, ...), then out. */
  private static Map<String, Ops> layerScopes(Ops tf, Mlp.Options options) {
    Map<String, Ops> layers = new LinkedHashMap<>();
    for (int i = 0; i < options.hidden().size(); i++) {
      layers.put(Mlp.hiddenScope(i), tf.withSubScope(Mlp.hiddenScope(i)));
    }
    layers.put("out", tf.withSubScope("out"));
    return layers;
  }

  /**
   * The notebook's "Calculate accuracy": the share of examples whose largest logit is their label.
   */
  private static Operand<TFloat32> accuracy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> y) {
    Operand<TFloat32> correctPrediction =
        tf.dtypes.cast(
            tf.math.equal(
                tf.math.argMax(logits, tf.constant(1)), tf.math.argMax(y, tf.constant(1))),
            TFloat32.class);
    return tf.withName("accuracy").math.mean(correctPrediction, tf.constant(0));
  }

  /** The "Weights and Biases" cell's {@code weights}: {@code [in, out]} per layer, drawn first. */
  private static Map<String, NamedVariable<TFloat32>> weights(
      ModelGraph g, Map<String, Ops> layers, int nInput, List<Integer> widths, float stddev) {
    Map<String, NamedVariable<TFloat32>> weights = new LinkedHashMap<>();
    int nIn = nInput;
    int i = 0;
    for (Map.Entry<String, Ops> layer : layers.entrySet()) {
      Ops scope = layer.getValue();
      Shape shape = Shape.of(nIn, widths.get(i));
      weights.put(
          layer.getKey(),
          g.variable(
              scope, "weights", Initializers.randomNormal(g, scope, shape, 0.0f, stddev, null)));
      nIn = widths.get(i++);
    }
    return weights;
  }

  /** The "Weights and Biases" cell's {@code biases}: {@code [out]} per layer, after the weights. */
  private static Map<String, NamedVariable<TFloat32>> biases(
      ModelGraph g, Map<String, Ops> layers, List<Integer> widths, float stddev) {
    Map<String, NamedVariable<TFloat32>> biases = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Ops> layer : layers.entrySet()) {
      Ops scope = layer.getValue();
      Shape shape = Shape.of(widths.get(i++));
      biases.put(
          layer.getKey(),
          g.variable(
              scope, "biases", Initializers.randomNormal(g, scope, shape, 0.0f, stddev, null)));
    }
    return biases;
  }

  /**
   * The "Multilayer Perceptron" cell: {@code xW + b} and a ReLU per hidden layer (and dropout when
   * asked), then the output layer's {@code xW + b}, the logits before their name.
   */
  private static Operand<TFloat32> multilayerPerceptron(
      ModelGraph g,
      Map<String, Ops> layers,
      Operand<TFloat32> xFlat,
      Map<String, NamedVariable<TFloat32>> weights,
      Map<String, NamedVariable<TFloat32>> biases,
      Operand<TFloat32> keepProb,
      boolean dropout) {
    // Hidden layer(s) with RELU activation
    Operand<TFloat32> layer1 = xFlat;
    for (Map.Entry<String, Ops> layer : layers.entrySet()) {
      if (layer.getKey().equals("out")) {
        break;
      }
      Ops scope = layer.getValue();
      layer1 =
          scope.math.add(
              scope.linalg.matMul(layer1, weights.get(layer.getKey())), biases.get(layer.getKey()));
      layer1 = scope.nn.relu(layer1);
      if (dropout) {
        layer1 = Dropout.apply(g, scope, layer1, keepProb, null);
      }
    }
    // Output layer with linear activation
    Ops out = layers.get("out");
    return out.math.add(out.linalg.matMul(layer1, weights.get("out")), biases.get("out"));
  }

  /**
   * {@code Epoch: 0001 cost= 81.226418 validation accuracy= 0.296}: the epoch counted from 1, the
   * mean cost with six decimals as Python's {@code "{:.6f}"}-style formatting prints it ({@code
   * nan}, {@code inf}), the accuracy as numpy prints a float32 (left out when not measured).
   */
  static String epochLine(EpochSummary s) {
    String line =
        String.format(Locale.ROOT, "Epoch: %04d cost= ", s.epoch() + 1)
            + PythonFloat.fixed(s.meanCost(), 6);
    if (s.validated()) {
      line += " validation accuracy= " + formatAccuracy((float) s.validationAccuracy());
    }
    return line;
  }

  /** An accuracy as Python prints a float32: its shortest digits. */
  static String formatAccuracy(float accuracy) {
    return NumpyFormat.format(new float[] {accuracy}, new long[0]);
  }
}
