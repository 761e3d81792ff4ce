package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Locale;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.train.Evaluator;
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
 *
 * <p>Tests: {@code SaveTrainedModelTest}, {@code JavaToPythonIT} (Python's "Load a Trained Model"
 * cell restores this checkpoint and measures Java's test accuracy). Python peer: {@code
 * src/test/python/interop_notebook.py load-trained}.
 */
public final class SaveTrainedModel {

  /** The command that runs this lesson: {@code dnn-lessons lesson save-trained}. */
  public static final String COMMAND = "save-trained";

  /** The notebook's {@code save_file}. */
  public static final String FILE_DEFAULT = "train_model.ckpt";

  /** The notebook's {@code n_epochs}. */
  public static final int EPOCHS_DEFAULT = 100;

  /** The notebook's {@code batch_size}. */
  static final int BATCH_SIZE = 128;

  /** The notebook prints the validation accuracy every this many epochs. */
  static final int VALIDATE_EVERY = 10;

  /**
   * How to run.
   *
   * @param file the checkpoint prefix to write
   * @param epochs training epochs (the notebook: 100)
   * @param seed graph and shuffling seed, or {@code null}
   * @param data where the digits come from
   */
  public record Options(String file, int epochs, Long seed, DataSource data) {
    /**
     * Validates.
     *
     * @param file the checkpoint prefix to write
     * @param epochs training epochs, {@code >= 1}
     * @param seed graph and shuffling seed, or {@code null}
     * @param data where the digits come from
     * @throws IllegalArgumentException for fewer than 1 epoch
     */
    public Options {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
      }
    }

    /**
     * The notebook's settings on the embedded digits.
     *
     * @return {@code train_model.ckpt}, 100 epochs, no seed, the embedded digits
     */
    public static Options defaults() {
      return new Options(FILE_DEFAULT, EPOCHS_DEFAULT, null, new EmbeddedMnist());
    }

    /**
     * These options writing another checkpoint prefix.
     *
     * @param value the checkpoint prefix to write
     * @return new options; these are unchanged
     */
    public Options withFile(String value) {
      return new Options(value, epochs, seed, data);
    }

    /**
     * These options with another number of epochs.
     *
     * @param value training epochs, {@code >= 1}
     * @return new options; these are unchanged
     */
    public Options withEpochs(int value) {
      return new Options(file, value, seed, data);
    }

    /**
     * These options with a graph and shuffling seed ({@code null}: a new one every run).
     *
     * @param value the seed, or {@code null}
     * @return new options; these are unchanged
     */
    public Options withSeed(Long value) {
      return new Options(file, epochs, value, data);
    }

    /**
     * These options reading the digits from elsewhere.
     *
     * @param value where the digits come from
     * @return new options; these are unchanged
     */
    public Options withData(DataSource value) {
      return new Options(file, epochs, seed, value);
    }
  }

  /**
   * What was trained and saved.
   *
   * @param path the checkpoint prefix written
   * @param steps the training steps run: {@code epochs * ceil(n / 128)}
   */
  public record Saved(String path, long steps) {}

  private SaveTrainedModel() {}

  /**
   * Runs the lesson with the notebook's settings; {@code dnn-lessons lesson save-trained} takes
   * options.
   *
   * @param args must be empty: an argument is refused with one line naming {@code dnn-lessons
   *     lesson NAME --help}, where the options are
   */
  public static void main(String[] args) {
    LessonLauncher.launch(COMMAND, args, () -> run(Options.defaults(), System.out));
  }

  /**
   * Trains and saves the notebook's single-layer model.
   *
   * @param options the checkpoint prefix, epochs, seed and data
   * @param out where the epoch lines are printed
   * @return the checkpoint prefix written and the steps run
   * @throws Exception a {@link DatasetException} when the digits cannot be read, a {@link
   *     CheckpointException} when the checkpoint cannot be written
   */
  public static Saved run(Options options, PrintStream out) throws Exception {
    long seed = options.seed() != null ? options.seed() : System.nanoTime();
    MnistDataSets mnist =
        MnistDataSets.read(options.data(), MnistDataSets.Options.defaults().withSeed(seed));
    String saveFile = options.file();
    int batchSize = BATCH_SIZE;
    int nEpochs = options.epochs();

    try (Graph graph = new Graph()) {
      SingleLayerModel model = SingleLayerModel.build(graph, options.seed());
      Saver saver = Saver.builder(graph).build();
      long steps = 0;

      // Launch the graph
      try (Session sess = model.model().newSession()) {
        sess.run(model.model().globalVariablesInitializer());

        // Training cycle
        for (int epoch = 0; epoch < nEpochs; epoch++) {
          int totalBatch = (mnist.train().numExamples() + batchSize - 1) / batchSize; // ceil

          // Loop over all batches
          for (int i = 0; i < totalBatch; i++) {
            try (Batch batch = mnist.train().nextBatch(batchSize)) {
              sess.runner()
                  .feed(model.features(), batch.images())
                  .feed(model.labels(), batch.oneHotLabels())
                  .addTarget(model.optimizer())
                  .run()
                  .close();
            }
          }
          steps += totalBatch;

          // Print status for every 10 epochs
          if (epoch % VALIDATE_EVERY == 0) {
            float validAccuracy = Evaluator.accuracy(sess, model, mnist.validation());
            out.println(
                String.format(
                    Locale.ROOT,
                    "Epoch %-3d - Validation Accuracy: %s",
                    epoch,
                    MlpLesson.formatAccuracy(validAccuracy)));
          }
        }

        // Save the model
        String path = saver.save(sess, saveFile);
        out.println("Trained Model Saved.");
        return new Saved(path, steps);
      }
    }
  }
}
