package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Objects;
import org.dnnlessons.checkpoint.CheckpointException;

/**
 * The notebook's "Naming Error": variables saved with automatic names ({@code Variable}, {@code
 * Variable_1}) are created in the opposite order before restoring, so each name now belongs to the
 * other variable and the restore fails.
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
 * [3] rhs shape= [2,3]". {@link NamingFix} shows the cure: explicit names.
 */
public final class NamingError {

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

  private NamingError() {}

  /** Runs the lesson from the command line; same as {@code dnn-lessons lesson naming-error}. */
  public static void main(String[] args) {
    LessonLauncher.launch("naming-error", args);
  }

  /**
   * Reproduces the notebook's failure.
   *
   * @throws CheckpointException always, naming the variable and both shapes; that is the lesson
   */
  public static void run(Options options, PrintStream out) throws CheckpointException {
    SwappedOrderRestore.run(options.file(), false, out);
    throw new IllegalStateException(
        "the restore was expected to fail: automatic names should have swapped the variables");
  }
}
