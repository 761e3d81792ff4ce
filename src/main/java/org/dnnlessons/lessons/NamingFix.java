package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Objects;
import org.dnnlessons.checkpoint.CheckpointException;

/**
 * The notebook's fix for the naming error: name every variable explicitly ({@code weights_0},
 * {@code bias_0}), and the creation order stops mattering.
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
 */
public final class NamingFix {

  /**
   * How to run the lesson.
   *
   * @param file the checkpoint prefix to write and read back
   */
  public record Options(String file) {
    /** Validates the options. */
    public Options {
      Objects.requireNonNull(file, "file");
    }

    /** The notebook's settings: {@code model.ckpt}. */
    public static Options defaults() {
      return new Options(SaveVariables.FILE_DEFAULT);
    }
  }

  /**
   * The names on both sides and the values saved and restored.
   *
   * @param loadWeights the weights' tensor name in the restoring graph
   * @param loadBias the bias's tensor name in the restoring graph
   * @param savedWeights the saved weights
   * @param savedBias the saved bias
   * @param loadedWeights the restored weights
   * @param loadedBias the restored bias
   */
  public record Result(
      String loadWeights,
      String loadBias,
      float[][] savedWeights,
      float[] savedBias,
      float[][] loadedWeights,
      float[] loadedBias) {}

  private NamingFix() {}

  /** Runs the lesson from the command line; same as {@code dnn-lessons lesson naming-fix}. */
  public static void main(String[] args) {
    LessonLauncher.launch("naming-fix", args);
  }

  /**
   * Saves with explicit names, restores into variables created in the opposite order.
   *
   * @throws CheckpointException when the checkpoint cannot be written or read
   */
  public static Result run(Options options, PrintStream out) throws CheckpointException {
    SwappedOrderRestore.Outcome o = SwappedOrderRestore.run(options.file(), true, out);
    out.println("Loaded Weights and Bias successfully.");
    return new Result(
        o.loadWeights(),
        o.loadBias(),
        o.savedWeights(),
        o.savedBias(),
        o.loadedWeights(),
        o.loadedBias());
  }
}
