package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.ConsoleProgress;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.GraphFedTraining;
import org.dnnlessons.train.LearningCurvePlot;
import org.dnnlessons.train.SavedModelExport;
import org.dnnlessons.train.TensorBoardLog;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.Trainer;
import org.dnnlessons.train.TrainingResult;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dnn-lessons train}: trains the multilayer perceptron for real use. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains the lesson's multilayer perceptron; saves checkpoints Python can read.")
final class TrainCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Mixin NetworkOptions network = new NetworkOptions();

  @Mixin LoopOptions loop = new LoopOptions();

  @Option(
      names = "--init-stddev",
      paramLabel = "S",
      defaultValue = "1.0",
      description =
          "Standard deviation of the random_normal initial weights (default:"
              + " ${DEFAULT-VALUE}, the lesson's).")
  double initStddev;

  @Option(
      names = "--keep-prob",
      paramLabel = "P",
      defaultValue = "1.0",
      description =
          "Dropout keep probability while training, in (0, 1]; 1.0 adds no dropout"
              + " (default: ${DEFAULT-VALUE}).")
  double keepProb;

  @Option(
      names = "--steps-per-run",
      paramLabel = "K",
      description =
          "Training steps per Session.run, with the training split held in the graph; the"
              + " weights are the same as with 1, only faster. Default: 8, or 1 with"
              + " --keep-prob below 1 (dropout is not unrolled).")
  Integer stepsPerRunOption;

  int stepsPerRun;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Graph-level random seed and batch shuffling seed.")
  Long seed;

  @Option(
      names = "--validation-size",
      paramLabel = "N",
      description =
          "Training images set aside for validation (default: 5000 for full-size sets,"
              + " 1000 for the embedded digits).")
  Integer validationSize;

  @Option(
      names = "--save",
      paramLabel = "PREFIX",
      description =
          "Save the trained variables to PREFIX-STEP (.index, .data-00000-of-00001)"
              + " and record it in the directory's 'checkpoint' file.")
  Path save;

  @Option(
      names = "--save-every",
      paramLabel = "N",
      defaultValue = "0",
      description = "Also save every N epochs (keeps the last 5).")
  int saveEvery;

  @Option(
      names = "--logdir",
      paramLabel = "DIR",
      description = "Write TensorBoard event files (cost and accuracy per epoch, the graph).")
  Path logdir;

  @Option(
      names = "--export",
      paramLabel = "DIR",
      description =
          "Export the trained network as a SavedModel (signature serving_default: x -> logits,"
              + " probabilities).")
  Path export;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "Draw the learning curve (training cost, validation accuracy) as a PNG.")
  Path plot;

  @Override
  public Integer call() throws Exception {
    PrintStream out = main.out();
    TrainOptions training =
        Main.options(spec, () -> new TrainOptions(loop.epochs, loop.batchSize, keepProb, false, 1));
    Mlp.Options netOptions =
        Main.options(
            spec,
            () ->
                network
                    .lesson()
                    .withLearningRate(loop.learningRate)
                    .withInitStddev(initStddev)
                    .withDropout(keepProb < 1.0)
                    .withGraphSeed(seed));
    if (stepsPerRunOption != null && stepsPerRunOption < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--steps-per-run must be at least 1, found " + stepsPerRunOption);
    }
    if (stepsPerRunOption != null && stepsPerRunOption > 1 && keepProb < 1.0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--steps-per-run above 1 cannot be combined with dropout"
              + " (--keep-prob "
              + keepProb
              + ")");
    }
    stepsPerRun = stepsPerRunOption != null ? stepsPerRunOption : keepProb < 1.0 ? 1 : 8;
    if (saveEvery < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--save-every must be 0 or more, found " + saveEvery);
    }
    if (saveEvery > 0 && save == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--save-every needs --save");
    }
    DataSource source = Main.options(spec, () -> data.source(null));
    long dataSeed = seed != null ? seed : System.nanoTime();
    MnistDataSets sets =
        Main.options(
            spec,
            () ->
                MnistDataSets.read(
                    source,
                    MnistDataSets.Options.defaults()
                        .withReshape(false)
                        .withSeed(dataSeed)
                        .withValidationSize(validationSize)));
    if (loop.batchSize > sets.train().numExamples()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--batch-size "
              + loop.batchSize
              + " is larger than the training split ("
              + sets.train().numExamples()
              + " examples)");
    }
    out.println(
        "Training on "
            + source.describe()
            + ": "
            + sets.train().numExamples()
            + " train, "
            + sets.validation().numExamples()
            + " validation, "
            + sets.test().numExamples()
            + " test; hidden "
            + network.hidden);

    try (Graph graph = new Graph()) {
      Mlp.Options sized =
          netOptions.withImageSize(sets.train().imageRows(), sets.train().imageColumns());
      Mlp.Network net = Mlp.build(graph, sized);
      // the fast path: data in the graph, several steps per run (same weights, bit for bit)
      GraphFedTraining fed =
          stepsPerRun > 1
              ? GraphFedTraining.build(net, sized, sets.train(), stepsPerRun, loop.batchSize)
              : null;
      Saver saver = save != null || export != null ? Saver.builder(graph).build() : null;
      try (Session session = net.model().newSession();
          TensorBoardLog board = logdir != null ? new TensorBoardLog(logdir) : null) {
        session.run(net.init());
        if (board != null) {
          board.graph(graph);
        }
        int steps = training.stepsPerEpoch(sets.train().numExamples());
        boolean[] warnedDivergence = {false};
        Trainer.EpochHook hook =
            summary -> {
              long globalStep = (long) (summary.epoch() + 1) * steps;
              if (board != null) {
                board.scalar("cost", globalStep, summary.meanCost());
                if (summary.validated()) {
                  board.scalar("validation_accuracy", globalStep, summary.validationAccuracy());
                }
                board.flush();
              }
              if (saveEvery > 0
                  && (summary.epoch() + 1) % saveEvery == 0
                  && summary.epoch() + 1 < loop.epochs) {
                saver.save(session, save.toString(), globalStep);
              }
            };
        TrainingResult result =
            Trainer.train(
                session,
                net,
                sets.train(),
                sets.validation(),
                training,
                ConsoleProgress.forConsole(
                    out,
                    s -> {
                      out.println(epochLine(s));
                      if (Double.isNaN(s.meanCost()) && !warnedDivergence[0]) {
                        warnedDivergence[0] = true;
                        main.err()
                            .println(
                                "warning: the training cost became NaN in epoch "
                                    + s.epoch()
                                    + ": training diverged; try a smaller --learning-rate or"
                                    + " --init-stddev");
                      }
                    }),
                hook,
                fed);
        float test = Evaluator.accuracy(session, net, sets.test());
        out.println(String.format(Locale.ROOT, "Test Accuracy: %.4f", test));
        if (board != null) {
          board.scalar("test_accuracy", result.steps(), test);
        }
        if (save != null) {
          String written = saver.save(session, save.toString(), result.steps());
          out.println("Saved " + written);
        }
        if (export != null) {
          SavedModelExport.export(session, net, saver, export);
          out.println("Exported SavedModel to " + export);
        }
        if (plot != null) {
          LearningCurvePlot.write(
              result.epochs(),
              "hidden " + network.hidden + ", learning rate " + loop.learningRate,
              plot);
          out.println("Plotted " + plot);
        }
        out.println(result.summaryLine());
      }
    }
    return Main.EXIT_OK;
  }

  static String epochLine(EpochSummary s) {
    String line = String.format(Locale.ROOT, "Epoch %-3d - cost: %.6f", s.epoch(), s.meanCost());
    if (s.validated()) {
      line += String.format(Locale.ROOT, " - Validation Accuracy: %.4f", s.validationAccuracy());
    }
    return line;
  }
}
