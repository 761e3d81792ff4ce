package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.train.Evaluator;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The notebook's "Load a Trained Model": the single-layer model restored from {@code
 * train_model.ckpt} (no initializer needed) and measured on the test split.
 *
 * <p>Run {@code java -jar target/dnn-lessons.jar lesson save-trained} first, then {@code lesson
 * load-trained [--file train_model.ckpt]}; it prints {@code Test Accuracy: 0.xxxx}.
 *
 * <p>Tests: {@code LoadTrainedModelTest}, {@code JavaToPythonIT} (Python's cell measures the same
 * accuracy on the same checkpoint). Python peer: {@code src/test/python/interop_notebook.py
 * load-trained}, the notebook's cell.
 */
public final class LoadTrainedModel {

  /** The command that runs this lesson: {@code dnn-lessons lesson load-trained}. */
  public static final String COMMAND = "load-trained";

  /**
   * How to run.
   *
   * @param file the checkpoint prefix (or a directory: its latest checkpoint)
   * @param data where the test digits come from
   */
  public record Options(String file, DataSource data) {
    /**
     * The notebook's settings on the embedded digits.
     *
     * @return the checkpoint {@code train_model.ckpt} that {@link SaveTrainedModel} writes, and the
     *     embedded digits
     */
    public static Options defaults() {
      return new Options(SaveTrainedModel.FILE_DEFAULT, new EmbeddedMnist());
    }
  }

  /**
   * What was measured.
   *
   * @param testAccuracy the accuracy on the test split
   */
  public record Tested(float testAccuracy) {}

  private LoadTrainedModel() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson load-trained} takes
   * options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Restores the model and prints its test accuracy.
   *
   * @param options the checkpoint and where the test digits come from
   * @param out where the test accuracy is printed, as the notebook's cell prints it
   * @return the test accuracy, float32 in [0, 1]
   * @throws Exception a {@link CheckpointException} when the checkpoint is missing or does not fit
   *     the model, a {@link DatasetException} when the digits cannot be read
   */
  public static Tested run(Options options, PrintStream out) throws Exception {
    String prefix = CheckpointState.resolve(Path.of(options.file())).toString();
    MnistDataSets mnist = MnistDataSets.read(options.data(), MnistDataSets.Options.defaults());
    try (Graph graph = new Graph()) {
      SingleLayerModel model = SingleLayerModel.build(graph, null);
      Saver saver = Saver.builder(graph).build();
      try (Session sess = model.model().newSession()) {
        saver.restore(sess, prefix);
        float accuracy = Evaluator.accuracy(sess, model, mnist.test());
        out.println("Test Accuracy: " + MlpLesson.formatAccuracy(accuracy));
        return new Tested(accuracy);
      }
    }
  }
}
