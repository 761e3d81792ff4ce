package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.List;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's "TensorFlow ReLUs" quiz: a linear layer, a ReLU, and a second linear layer turn a
 * single-layer network into a two-layer, non-linear one.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson relu}; it prints the result as
 * numpy prints it, exactly what the notebook's cell prints under Python TensorFlow 2.21 on the same
 * machine. On an AVX-512 machine the float32 sum 8.44 comes out one unit in the last place high in
 * both languages:
 *
 * <pre>
 * [[ 5.11      8.440001]
 *  [ 0.        0.      ]
 *  [24.01     38.24    ]]
 * </pre>
 *
 * The last digits follow the CPU's matrix-multiply kernel and match Python's on the same machine
 * (oneDNN's AVX2 kernel gives {@code [[ 5.1099997 8.44 ]}). The middle row is all zeros because its
 * features are all negative: the ReLU switches every hidden unit off.
 *
 * <p>Tests: {@code ReluQuizTest}, {@code ReluLessonIT} (the printed lines equal Python's, run on
 * the same machine). Python peer: {@code src/test/python/relu_quiz.py}, the notebook's cell.
 */
public final class ReluQuiz {

  /** The command that runs this lesson: {@code dnn-lessons lesson relu}. */
  public static final String COMMAND = "relu";

  /** The quiz's hidden-layer weights, 4 inputs to 3 hidden units. */
  static final float[][] HIDDEN_LAYER_WEIGHTS = {
    {0.1f, 0.2f, 0.4f}, {0.4f, 0.6f, 0.6f}, {0.5f, 0.9f, 0.1f}, {0.8f, 0.2f, 0.8f}
  };

  /** The quiz's output-layer weights, 3 hidden units to 2 outputs. */
  static final float[][] OUT_WEIGHTS = {{0.1f, 0.6f}, {0.2f, 0.1f}, {0.7f, 0.9f}};

  /** The quiz's three input rows of four features. */
  static final float[][] FEATURES = {
    {1.0f, 2.0f, 3.0f, 4.0f}, {-1.0f, -2.0f, -3.0f, -4.0f}, {11.0f, 12.0f, 13.0f, 14.0f}
  };

  /**
   * What the quiz computes.
   *
   * @param output the output layer's values, one row of 2 per input row (3 rows)
   */
  public record Output(float[][] output) {}

  private ReluQuiz() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson relu} takes options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(System.out));
  }

  /**
   * Builds the quiz's graph, runs it, prints the output and returns it.
   *
   * @param out where the output is printed, as the notebook's cell prints it
   * @return the output layer's values, float32 {@code [3, 2]}
   */
  public static Output run(PrintStream out) {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();

      // Weights and biases
      List<NamedVariable<TFloat32>> weights =
          List.of(
              g.variable(tf, tf.constant(HIDDEN_LAYER_WEIGHTS)),
              g.variable(tf, tf.constant(OUT_WEIGHTS)));
      List<NamedVariable<TFloat32>> biases =
          List.of(
              g.variable(tf, tf.zeros(tf.constant(new long[] {3}), TFloat32.class)),
              g.variable(tf, tf.zeros(tf.constant(new long[] {2}), TFloat32.class)));

      // Input
      NamedVariable<TFloat32> features = g.variable(tf, tf.constant(FEATURES));

      // Model: hidden = relu(features W0 + b0); output = hidden W1 + b1
      Operand<TFloat32> hiddenLayer =
          tf.math.add(tf.linalg.matMul(features, weights.get(0)), biases.get(0));
      hiddenLayer = tf.nn.relu(hiddenLayer);
      Operand<TFloat32> output =
          tf.math.add(tf.linalg.matMul(hiddenLayer, weights.get(1)), biases.get(1));

      try (Session session = g.newSession()) {
        session.run(g.globalVariablesInitializer());
        try (Result fetched = session.runner().fetch(output).run()) {
          float[][] values = Tensors.toMatrix((TFloat32) fetched.get(0));
          out.println(NumpyFormat.format(values));
          return new Output(values);
        }
      }
    }
  }
}
