package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Locale;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.Trainer;
import org.dnnlessons.train.TrainingListener;
import org.dnnlessons.train.TrainingResult;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The notebook's "Save a Trained Model": a single-layer classifier trained for 100 epochs ({@code
 * ceil(n / 128)} steps each), validation accuracy printed every 10 epochs, then saved to {@code
 * train_model.ckpt}.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson save-trained [--epochs N] [--file
 * train_model.ckpt] [--seed S]}; it prints
 *
 * <pre>
 * Epoch 0   - Validation Accuracy: 0.116
 * Epoch 10  - Validation Accuracy: 0.522
 * ...
 * Trained Model Saved.
 * </pre>
 *
 * The accuracies' last digits follow the CPU's kernels and match Python's on the same machine.
 * {@link LoadTrainedModel} restores it and measures the test accuracy.
 */
public final class SaveTrainedModel {

  /** The notebook's {@code save_file}. */
  public static final String FILE_DEFAULT = "train_model.ckpt";

  /** The notebook's {@code n_epochs}. */
  public static final int EPOCHS_DEFAULT = 100;

  /**
   * How to run.
   *
   * @param file the checkpoint prefix to write
   * @param epochs training epochs (the notebook: 100)
   * @param seed graph and shuffling seed, or {@code null}
   * @param data where the digits come from
   */
  public record Options(String file, int epochs, Long seed, DataSource data) {
    /** Validates. */
    public Options {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
      }
    }

    /** The notebook's settings on the embedded digits. */
    public static Options defaults() {
      return new Options(FILE_DEFAULT, EPOCHS_DEFAULT, null, new EmbeddedMnist());
    }
  }

  /**
   * What was trained and saved.
   *
   * @param path the checkpoint prefix written
   * @param training the training run
   */
  public record Result(String path, TrainingResult training) {}

  private SaveTrainedModel() {}

  /** Runs the lesson from the command line; same as {@code dnn-lessons lesson save-trained}. */
  public static void main(String[] args) {
    LessonLauncher.launch("save-trained", args);
  }

  /** Trains and saves the notebook's single-layer model. */
  public static Result run(Options options, PrintStream out) throws Exception {
    long seed = options.seed() != null ? options.seed() : System.nanoTime();
    MnistDataSets mnist =
        MnistDataSets.read(options.data(), MnistDataSets.Options.defaults().withSeed(seed));
    try (Graph graph = new Graph()) {
      SingleLayerModel model = SingleLayerModel.build(graph, options.seed());
      Saver saver = Saver.builder(graph).build();
      try (Session sess = model.model().newSession()) {
        sess.run(model.model().globalVariablesInitializer());
        TrainOptions training = new TrainOptions(options.epochs(), 128, 1.0, true, 10);
        TrainingResult result =
            Trainer.train(
                sess,
                model,
                mnist.train(),
                mnist.validation(),
                training,
                new TrainingListener() {
                  @Override
                  public void epochFinished(EpochSummary s) {
                    if (s.epoch() % 10 == 0) {
                      out.println(
                          String.format(
                              Locale.ROOT,
                              "Epoch %-3d - Validation Accuracy: %s",
                              s.epoch(),
                              MlpLesson.formatAccuracy((float) s.validationAccuracy())));
                    }
                  }
                },
                null);
        // Save the model
        String path = saver.save(sess, options.file());
        out.println("Trained Model Saved.");
        return new Result(path, result);
      }
    }
  }
}
