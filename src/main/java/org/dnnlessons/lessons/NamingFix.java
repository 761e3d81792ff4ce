package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Objects;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
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
 * The notebook's fix for the naming error, the cell after "Naming Error": name every variable
 * explicitly ({@code weights_0}, {@code bias_0}), and the creation order stops mattering.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson naming-fix}; it prints:
 *
 * <pre>
 * Save Weights: weights_0:0
 * Save Bias: bias_0:0
 * Load Weights: weights_0:0
 * Load Bias: bias_0:0
 * Loaded Weights and Bias successfully.
 * </pre>
 *
 * It is {@link NamingError}'s code with a name passed to each variable, and it also fetches the
 * values on both sides to show they arrived ({@code NamingLessonsTest} pins the two side by side).
 *
 * <p>Tests: {@code NamingFixTest}, {@code NamingLessonsTest}, {@code JavaToPythonIT} (Python
 * restores what this lesson saved). Python peer: {@code src/test/python/interop_notebook.py
 * naming-fix}, the notebook's cell restoring the Java-written file.
 */
public final class NamingFix {

  /** The command that runs this lesson: {@code dnn-lessons lesson naming-fix}. */
  public static final String COMMAND = "naming-fix";

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

  /**
   * The names in the restoring graph and the values saved and restored.
   *
   * @param loadWeights the weights' tensor name in the restoring graph, {@code weights_0:0}
   * @param loadBias the bias's tensor name in the restoring graph, {@code bias_0:0}
   * @param savedWeights the saved weights, {@code [2, 3]}
   * @param savedBias the saved bias, {@code [3]}
   * @param loadedWeights the restored weights
   * @param loadedBias the restored bias
   */
  public record Restored(
      String loadWeights,
      String loadBias,
      float[][] savedWeights,
      float[] savedBias,
      float[][] loadedWeights,
      float[] loadedBias) {}

  private NamingFix() {}

  /**
   * Runs the lesson with the notebook's settings; same as {@code dnn-lessons lesson naming-fix}.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Saves with explicit names, restores into variables created in the opposite order.
   *
   * @param options the checkpoint prefix to write and read back
   * @param out where the lesson's lines are printed
   * @return the tensor names and the saved and restored values, float32
   * @throws CheckpointException when the checkpoint cannot be written or read
   */
  public static Restored run(Options options, PrintStream out) throws CheckpointException {
    Saved saved = save(options.file(), out);
    // Remove the previous weights and bias
    return load(options.file(), saved, out);
  }

  /** The values {@link #save} wrote: weights {@code [2, 3]} and bias {@code [3]}. */
  private record Saved(float[][] weights, float[] bias) {}

  /** The cell's first half: {@code weights_0} and {@code bias_0} named, saved. */
  private static Saved save(String saveFile, PrintStream out) throws CheckpointException {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();

      // Two Tensor Variables: weights and bias
      NamedVariable<TFloat32> weights =
          g.variable(tf, "weights_0", Initializers.truncatedNormal(g, tf, Shape.of(2, 3)));
      NamedVariable<TFloat32> bias =
          g.variable(tf, "bias_0", Initializers.truncatedNormal(g, tf, Shape.of(3)));

      Saver saver = Saver.builder(graph).build();

      // Print the name of Weights and Bias
      out.println("Save Weights: " + weights.tensorName());
      out.println("Save Bias: " + bias.tensorName());

      try (Session sess = g.newSession()) {
        sess.run(g.globalVariablesInitializer());
        saver.save(sess, saveFile);
        try (Result saved = sess.runner().fetch(weights).fetch(bias).run()) {
          return new Saved(
              Tensors.toMatrix((TFloat32) saved.get(0)), Tensors.toArray((TFloat32) saved.get(1)));
        }
      }
    }
  }

  /** The cell's second half: the same names, created in the opposite order, restored. */
  private static Restored load(String saveFile, Saved saved, PrintStream out)
      throws CheckpointException {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();

      // Two Variables: weights and bias
      NamedVariable<TFloat32> bias =
          g.variable(tf, "bias_0", Initializers.truncatedNormal(g, tf, Shape.of(3)));
      NamedVariable<TFloat32> weights =
          g.variable(tf, "weights_0", Initializers.truncatedNormal(g, tf, Shape.of(2, 3)));

      Saver saver = Saver.builder(graph).build();

      // Print the name of Weights and Bias
      out.println("Load Weights: " + weights.tensorName());
      out.println("Load Bias: " + bias.tensorName());

      try (Session sess = g.newSession()) {
        // Load the weights and bias - No Error
        saver.restore(sess, saveFile);
        try (Result loaded = sess.runner().fetch(weights).fetch(bias).run()) {
          out.println("Loaded Weights and Bias successfully.");
          return new Restored(
              weights.tensorName(),
              bias.tensorName(),
              saved.weights(),
              saved.bias(),
              Tensors.toMatrix((TFloat32) loaded.get(0)),
              Tensors.toArray((TFloat32) loaded.get(1)));
        }
      }
    }
  }
}
