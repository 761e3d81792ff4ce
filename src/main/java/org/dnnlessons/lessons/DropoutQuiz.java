package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.List;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.nn.Dropout;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's "TensorFlow Dropout" quiz: the ReLU network with a dropout layer after the hidden
 * layer, {@code keep_prob} fed through a placeholder.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson dropout [--keep-prob 0.5] [--seed
 * S]}. Without a seed the output changes from run to run, as the notebook warns; one run printed:
 *
 * <pre>
 * [[ 6.58  8.46]
 *  [ 0.    0.  ]
 *  [48.02 76.48]]
 * </pre>
 *
 * The last digits follow the CPU's kernels and match Python's on the same machine. Every kept
 * hidden unit is scaled by {@code 1/keep_prob} (2 for 0.5), every dropped one is 0.
 *
 * <p>Tests: {@code DropoutQuizTest}; {@code SeededInitializersIT} checks the dropout masks bit for
 * bit against Python. Python peer: {@code src/test/python/seeded_initializers.py} ({@code
 * tf.nn.dropout} under fixed seeds).
 */
public final class DropoutQuiz {

  /** The command that runs this lesson: {@code dnn-lessons lesson dropout}. */
  public static final String COMMAND = "dropout";

  /** The notebook's {@code keep_prob}. */
  public static final double KEEP_PROB_DEFAULT = 0.5;

  /** The quiz's input rows (they differ from the ReLU quiz's). */
  static final float[][] FEATURES = {
    {0.0f, 2.0f, 3.0f, 4.0f}, {0.1f, 0.2f, 0.3f, 0.4f}, {11.0f, 12.0f, 13.0f, 14.0f}
  };

  /**
   * How to run the quiz.
   *
   * @param keepProb the probability of keeping a hidden unit, in (0, 1]
   * @param seed the graph-level random seed ({@code tf.set_random_seed}), or {@code null} for a
   *     different mask on every run
   */
  public record Options(double keepProb, Long seed) {
    /**
     * Validates the options.
     *
     * @param keepProb the probability of keeping a hidden unit, in (0, 1]
     * @param seed the graph-level random seed, or {@code null} for new values on every run
     * @throws IllegalArgumentException when {@code keepProb} is outside (0, 1]
     */
    public Options {
      Dropout.checkKeepProb(keepProb);
    }

    /**
     * The notebook's settings: keep_prob 0.5, no seed.
     *
     * @return {@code Options(0.5, null)}
     */
    public static Options defaults() {
      return new Options(KEEP_PROB_DEFAULT, null);
    }
  }

  /**
   * What one run computed, all from the same session run (so from the same dropout mask).
   *
   * @param hidden the hidden layer after ReLU, before dropout
   * @param droppedHidden the hidden layer after dropout
   * @param logits the output layer, computed from {@code droppedHidden}
   */
  public record Activations(float[][] hidden, float[][] droppedHidden, float[][] logits) {}

  private DropoutQuiz() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson dropout} takes options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Builds the quiz's graph, runs it once with {@code options.keepProb()}, prints the logits.
   *
   * @param options the {@code keep_prob} and the seed
   * @param out where the logits are printed, as the notebook's cell prints them
   * @return the hidden layer before and after dropout and the logits, float32
   */
  public static Activations run(Options options, PrintStream out) {
    try (Graph graph = new Graph()) {
      ModelGraph g =
          options.seed() == null
              ? ModelGraph.create(graph)
              : ModelGraph.create(graph, options.seed());
      Ops tf = g.tf();

      // Weights and biases (the ReLU quiz's)
      List<NamedVariable<TFloat32>> weights =
          List.of(
              g.variable(tf, tf.constant(ReluQuiz.HIDDEN_LAYER_WEIGHTS)),
              g.variable(tf, tf.constant(ReluQuiz.OUT_WEIGHTS)));
      List<NamedVariable<TFloat32>> biases =
          List.of(
              g.variable(tf, tf.zeros(tf.constant(new long[] {3}), TFloat32.class)),
              g.variable(tf, tf.zeros(tf.constant(new long[] {2}), TFloat32.class)));

      // Input
      NamedVariable<TFloat32> features = g.variable(tf, tf.constant(FEATURES));

      // Model with dropout
      Placeholder<TFloat32> keepProb =
          tf.withName("keep_prob").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> hiddenLayer =
          tf.math.add(tf.linalg.matMul(features, weights.get(0)), biases.get(0));
      hiddenLayer = tf.nn.relu(hiddenLayer);
      // TensorFlow Java has no tf.nn.dropout: the project's Dropout builds Python's ops
      Operand<TFloat32> droppedHidden = Dropout.apply(g, tf, hiddenLayer, keepProb, null);
      Operand<TFloat32> logits =
          tf.math.add(tf.linalg.matMul(droppedHidden, weights.get(1)), biases.get(1));

      try (Session session = g.newSession();
          TFloat32 keepProbValue = TFloat32.scalarOf((float) options.keepProb())) {
        session.run(g.globalVariablesInitializer());
        try (Result fetched =
            session
                .runner()
                .feed(keepProb, keepProbValue)
                .fetch(hiddenLayer)
                .fetch(droppedHidden)
                .fetch(logits)
                .run()) {
          Activations result =
              new Activations(
                  Tensors.toMatrix((TFloat32) fetched.get(0)),
                  Tensors.toMatrix((TFloat32) fetched.get(1)),
                  Tensors.toMatrix((TFloat32) fetched.get(2)));
          out.println(NumpyFormat.format(result.logits()));
          return result;
        }
      }
    }
  }
}
