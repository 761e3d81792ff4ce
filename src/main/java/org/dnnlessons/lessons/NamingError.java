package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Objects;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Initializers;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's "Naming Error" cell: variables saved with automatic names ({@code Variable},
 * {@code Variable_1}) are created in the opposite order before restoring, so each name now belongs
 * to the other variable and the restore fails.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson naming-error}; it prints the names
 * on both sides, then one error line, and exits with status 1:
 *
 * <pre>
 * Save Weights: Variable:0
 * Save Bias: Variable_1:0
 * Load Weights: Variable_1:0
 * Load Bias: Variable:0
 * error: model.ckpt: shape mismatch for variable 'Variable': the checkpoint holds shape [2, 3], the graph's variable has shape [3]
 * </pre>
 *
 * Python reports the same failure as "Assign requires shapes of both tensors to match. lhs shape=
 * [3] rhs shape= [2,3]". {@link NamingFix} shows the cure, explicit names; it is this code with a
 * name passed to each variable ({@code NamingLessonsTest} pins the two side by side).
 *
 * <p>Tests: {@code NamingErrorTest}, {@code NamingLessonsTest}, {@code JavaToPythonIT} (Python's
 * cell fails on this checkpoint too, with {@code InvalidArgumentError}). Python peer: {@code
 * src/test/python/interop_notebook.py naming-error}, the notebook's cell.
 */
public final class NamingError {

  /** The command that runs this lesson: {@code dnn-lessons lesson naming-error}. */
  public static final String COMMAND = "naming-error";

  /**
   * How to run the lesson.
   *
   * @param file the checkpoint prefix to write and read back (the notebook: {@code model.ckpt})
   */
  public record Options(String file) {
    /**
     * Validates the options.
     *
     * @param file the checkpoint prefix; not null
     */
    public Options {
      Objects.requireNonNull(file, "file");
    }

    /**
     * The notebook's settings: {@code model.ckpt}.
     *
     * @return {@code Options("model.ckpt")}
     */
    public static Options defaults() {
      return new Options(SaveVariables.FILE_DEFAULT);
    }
  }

  private NamingError() {}

  /**
   * Runs the lesson with the notebook's settings; same as {@code dnn-lessons lesson naming-error}.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Reproduces the notebook's failure.
   *
   * @param options the checkpoint prefix to write and read back
   * @param out where the lesson's lines are printed
   * @throws CheckpointException always, naming the variable and both shapes; that is the lesson
   */
  public static void run(Options options, PrintStream out) throws CheckpointException {
    String saveFile = options.file();

    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();

      // Two Tensor Variables: weights and bias
      NamedVariable<TFloat32> weights =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(2, 3)));
      NamedVariable<TFloat32> bias =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(3)));

      Saver saver = Saver.builder(graph).build();

      // Print the name of Weights and Bias
      out.println("Save Weights: " + weights.tensorName());
      out.println("Save Bias: " + bias.tensorName());

      try (Session sess = g.newSession()) {
        sess.run(g.globalVariablesInitializer());
        saver.save(sess, saveFile);
      }
    }

    // Remove the previous weights and bias
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();

      // Two Variables: weights and bias
      NamedVariable<TFloat32> bias =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(3)));
      NamedVariable<TFloat32> weights =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(2, 3)));

      Saver saver = Saver.builder(graph).build();

      // Print the name of Weights and Bias
      out.println("Load Weights: " + weights.tensorName());
      out.println("Load Bias: " + bias.tensorName());

      try (Session sess = g.newSession()) {
        // Load the weights and bias - ERROR
        saver.restore(sess, saveFile);
      }
    }
    throw new IllegalStateException(
        "the restore was expected to fail: automatic names should have swapped the variables");
  }
}
