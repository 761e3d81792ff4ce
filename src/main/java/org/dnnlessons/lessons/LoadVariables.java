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
 * The notebook's "Loading Variables": a fresh graph with the same two variables, restored from the
 * checkpoint that {@link SaveVariables} wrote, then printed.
 *
 * <p>Run {@code java -jar target/dnn-lessons.jar lesson save-variables} first, then {@code java
 * -jar target/dnn-lessons.jar lesson load-variables [--file model.ckpt]}; it prints the saved
 * values under {@code Weight:} and {@code Bias:}, as the notebook does.
 *
 * <p>No initializer runs: restoring sets every variable, as in Python.
 *
 * <p>Tests: {@code LoadVariablesTest}, {@code JavaToPythonIT}. Python peer: {@code
 * src/test/python/interop_notebook.py save-variables}, the notebook's cell restoring the
 * Java-written file.
 */
public final class LoadVariables {

  /** The command that runs this lesson: {@code dnn-lessons lesson load-variables}. */
  public static final String COMMAND = "load-variables";

  /**
   * How to run the lesson.
   *
   * @param file the checkpoint prefix to read
   */
  public record Options(String file) {
    /**
     * Validates the options.
     *
     * @param file the checkpoint prefix to read; not null
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

  /**
   * What was restored.
   *
   * @param weights the restored weights [2, 3]
   * @param bias the restored bias [3]
   */
  public record Restored(float[][] weights, float[] bias) {}

  private LoadVariables() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson load-variables} takes
   * options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Restores and prints the two variables.
   *
   * @param options the checkpoint prefix to read
   * @param out where the two variables are printed
   * @return the restored weights {@code [2, 3]} and bias {@code [3]}, float32
   * @throws CheckpointException when the checkpoint is missing or does not fit the variables
   */
  public static Restored run(Options options, PrintStream out) throws CheckpointException {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();

      // Two Variables: weights and bias, created in the same order as when saved
      NamedVariable<TFloat32> weights =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(2, 3)));
      NamedVariable<TFloat32> bias =
          g.variable(tf, Initializers.truncatedNormal(g, tf, Shape.of(3)));

      Saver saver = Saver.builder(graph).build();

      try (Session session = g.newSession()) {
        // Load the weights and bias
        saver.restore(session, options.file());

        try (Result fetched = session.runner().fetch(weights).fetch(bias).run()) {
          float[][] w = Tensors.toMatrix((TFloat32) fetched.get(0));
          float[] b = Tensors.toArray((TFloat32) fetched.get(1));
          out.println("Weight:");
          out.println(NumpyFormat.format(w));
          out.println("Bias:");
          out.println(NumpyFormat.format(b, new long[] {b.length}));
          return new Restored(w, b);
        }
      }
    }
  }
}
