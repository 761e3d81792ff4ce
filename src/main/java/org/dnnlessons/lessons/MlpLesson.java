package org.dnnlessons.lessons;

import java.io.PrintStream;
import java.util.Locale;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.Trainer;
import org.dnnlessons.train.TrainingListener;
import org.dnnlessons.train.TrainingResult;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The notebook's "Deep Neural Network in TensorFlow" walkthrough: MNIST read with {@code
 * one_hot=True, reshape=False}, placeholders {@code x [?,28,28,1]} and {@code y [?,10]}, {@code
 * x_flat}, one ReLU hidden layer of 256, weights and biases from {@code random_normal}, mean
 * softmax cross-entropy, gradient descent at 0.001, 20 epochs of batch 128.
 *
 * <p>Run it with {@code java -jar target/dnn-lessons.jar lesson mlp [--epochs N] [--seed S]
 * [--hidden 256,128] [--data DIR | --dataset NAME]}; on the embedded digits it prints one line per
 * epoch, for example
 *
 * <pre>
 * Epoch: 0001 cost= 81.226418 validation accuracy= 0.296
 * ...
 * Optimization Finished!
 * Test Accuracy: 0.5975
 * Trained 1080 steps in 2.51 s (430.3 steps/s)
 * </pre>
 *
 * The lesson's settings are weak on purpose (initial weights with standard deviation 1, a tiny
 * learning rate): expect around 0.6 test accuracy. "Deeper Neural Network": {@code --hidden
 * 256,128,...} adds one ReLU layer per width.
 */
public final class MlpLesson {

  /**
   * How to run the walkthrough.
   *
   * @param network the network (the lesson: {@link Mlp.Options#lesson()})
   * @param training the loop (the lesson: {@link TrainOptions#lesson()})
   * @param data where the digits come from (the lesson: the embedded ones)
   * @param dataSeed the shuffling seed of the batches
   */
  public record Options(
      Mlp.Options network, TrainOptions training, DataSource data, long dataSeed) {

    /** The notebook's settings on the embedded digits. */
    public static Options lesson() {
      return new Options(Mlp.Options.lesson(), TrainOptions.lesson(), new EmbeddedMnist(), 0);
    }
  }

  /**
   * What the run did.
   *
   * @param training the training run
   * @param testAccuracy accuracy on the test split after training
   */
  public record Result(TrainingResult training, float testAccuracy) {}

  private MlpLesson() {}

  /** Runs the lesson from the command line; same as {@code dnn-lessons lesson mlp}. */
  public static void main(String[] args) {
    LessonLauncher.launch("mlp", args);
  }

  /** Reads the data, builds the network, trains it and reports as the notebook does. */
  public static Result run(Options options, PrintStream out) throws Exception {
    MnistDataSets mnist = read(options);
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(
              graph,
              options
                  .network()
                  .withImageSize(mnist.train().imageRows(), mnist.train().imageColumns()));
      try (Session session = net.model().newSession()) {
        session.run(net.init());
        TrainingResult training =
            Trainer.train(
                session,
                net,
                mnist.train(),
                mnist.validation(),
                options.training(),
                epochPrinter(out),
                null);
        out.println("Optimization Finished!");
        float test = Evaluator.accuracy(session, net, mnist.test());
        out.println("Test Accuracy: " + formatAccuracy(test));
        out.println(training.summaryLine());
        return new Result(training, test);
      }
    }
  }

  static MnistDataSets read(Options options) throws DatasetException {
    return MnistDataSets.read(
        options.data(),
        MnistDataSets.Options.defaults().withReshape(false).withSeed(options.dataSeed()));
  }

  /** Prints {@code Epoch: 0001 cost= ... validation accuracy= ...} after every epoch. */
  static TrainingListener epochPrinter(PrintStream out) {
    return new TrainingListener() {
      @Override
      public void epochFinished(EpochSummary s) {
        String line =
            String.format(Locale.ROOT, "Epoch: %04d cost= %.6f", s.epoch() + 1, s.meanCost());
        if (s.validated()) {
          line += " validation accuracy= " + formatAccuracy((float) s.validationAccuracy());
        }
        out.println(line);
      }
    };
  }

  /** An accuracy as Python prints a float32: its shortest digits. */
  static String formatAccuracy(float accuracy) {
    return NumpyFormat.format(new float[] {accuracy}, new long[0]);
  }
}
