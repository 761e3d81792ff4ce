package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Objects;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.nn.Initializers;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's "Saving Variables": two variables, {@code weights} [2, 3] and {@code bias} [3],
 * initialized from a truncated normal distribution, printed, then saved with a {@link Saver}.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson save-variables [--file model.ckpt]
 * [--seed S]}; it writes {@code model.ckpt.index} and {@code model.ckpt.data-00000-of-00001} and
 * prints, for example:
 *
 * <pre>
 * Weights:
 * [[-0.46406966 -0.11086721  0.32350057]
 *  [ 0.15619934 -0.13002464 -0.71474135]]
 * Bias:
 * [-0.9389026  -1.7627094  -0.70793825]
 * </pre>
 *
 * The variables get automatic names ({@code Variable}, {@code Variable_1}), as in the notebook;
 * {@link LoadVariables} restores them by those names.
 *
 * <p>Tests: {@code SaveVariablesTest}, {@code JavaToPythonIT}. Python peer: {@code
 * src/test/python/interop_notebook.py save-variables}, the notebook's "Loading Variables" cell
 * restoring what this lesson saved.
 */
public final class SaveVariables {

  /** The command that runs this lesson: {@code dnn-lessons lesson save-variables}. */
  public static final String COMMAND = "save-variables";

  /** The notebook's {@code save_file}. */
  public static final String FILE_DEFAULT = "model.ckpt";

  /**
   * How to run the lesson.
   *
   * @param file the checkpoint prefix to write
   * @param seed the graph-level random seed, or {@code null} for new values on every run
   */
  public record Options(String file, Long seed) {
    /**
     * Validates the options.
     *
     * @param file the checkpoint prefix to write; not empty
     * @param seed the graph-level random seed, or {@code null} for new values on every run
     * @throws IllegalArgumentException for an empty prefix
     */
    public Options {
      Objects.requireNonNull(file, "file");
      if (file.isBlank()) {
        throw new IllegalArgumentException("--file must name a checkpoint prefix, found ''");
      }
    }

    /**
     * The notebook's settings: {@code model.ckpt}, no seed.
     *
     * @return {@code Options("model.ckpt", null)}
     */
    public static Options defaults() {
      return new Options(FILE_DEFAULT, null);
    }
  }

  /**
   * What was saved.
   *
   * @param path the checkpoint prefix written
   * @param weights the saved weights [2, 3]
   * @param bias the saved bias [3]
   */
  public record Saved(String path, float[][] weights, float[] bias) {}

  private SaveVariables() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson save-variables} takes
   * options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Creates, prints and saves the two variables.
   *
   * @param options the checkpoint prefix and the seed
   * @param out where the two variables are printed
   * @return the prefix written and the saved weights {@code [2, 3]} and bias {@code [3]}, float32
   * @throws CheckpointException when the checkpoint cannot be written
   */
  public static Saved run(Options options, PrintStream out) throws CheckpointException {
    try (Graph graph = new Graph()) {
      ModelGraph g =
          options.seed() == null
              ? ModelGraph.create(graph)
              : ModelGraph.create(graph, options.seed());
      Ops tf = g.tf();

      // Two Tensor Variables: weights and bias
      NamedVariable<TFloat32> weights =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(2, 3)));
      NamedVariable<TFloat32> bias =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(3)));

      // Class used to save and/or restore Tensor Variables
      Saver saver = Saver.builder(graph).build();

      try (Session session = g.newSession()) {
        // Initialize all the Variables
        session.run(g.globalVariablesInitializer());

        // Show the values of weights and bias
        float[][] w;
        float[] b;
        try (Result fetched = session.runner().fetch(weights).fetch(bias).run()) {
          w = Tensors.toMatrix((TFloat32) fetched.get(0));
          b = Tensors.toArray((TFloat32) fetched.get(1));
        }
        out.println("Weights:");
        out.println(NumpyFormat.format(w));
        out.println("Bias:");
        out.println(NumpyFormat.format(b, new long[] {b.length}));

        // Save the model
        String path = saver.save(session, options.file());
        return new Saved(path, w, b);
      }
    }
  }
}
