package org.dnnlessons.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.lessons.DropoutQuiz;
import org.dnnlessons.lessons.LessonCatalog;
import org.dnnlessons.lessons.LoadTrainedModel;
import org.dnnlessons.lessons.LoadVariables;
import org.dnnlessons.lessons.MlpLesson;
import org.dnnlessons.lessons.NamingError;
import org.dnnlessons.lessons.NamingFix;
import org.dnnlessons.lessons.ReluQuiz;
import org.dnnlessons.lessons.SaveTrainedModel;
import org.dnnlessons.lessons.SaveVariables;
import org.dnnlessons.train.TrainingMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dnn-lessons lesson NAME [options]}: runs one notebook section; {@code --list} lists them.
 */
@Command(
    name = "lesson",
    mixinStandardHelpOptions = true,
    description = "Runs one section of the notebook. 'lesson --list' names them all.",
    subcommands = {
      LessonCommand.Relu.class,
      LessonCommand.MlpCommand.class,
      LessonCommand.SaveTrainedCommand.class,
      LessonCommand.LoadTrainedCommand.class,
      LessonCommand.Dropout.class,
      LessonCommand.SaveVariablesCommand.class,
      LessonCommand.LoadVariablesCommand.class,
      LessonCommand.NamingErrorCommand.class,
      LessonCommand.NamingFixCommand.class
    })
final class LessonCommand implements Runnable {

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(names = "--list", description = "List the lessons and the notebook section each ports.")
  boolean list;

  @Override
  public void run() {
    if (!list) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "missing lesson NAME (or --list)");
    }
    PrintStream out = main.out();
    for (LessonCatalog lesson : LessonCatalog.values()) {
      out.printf(
          Locale.ROOT,
          "%-16s %-45s %s%n",
          lesson.command(),
          lesson.section(),
          lesson.lessonClass().getSimpleName());
    }
  }

  /** Base of the lesson subcommands: where to print. */
  abstract static class LessonRun {
    @ParentCommand LessonCommand parent;

    @Spec CommandSpec spec;

    PrintStream out() {
      return parent.main.out();
    }
  }

  @Command(
      name = ReluQuiz.COMMAND,
      mixinStandardHelpOptions = true,
      description = "TensorFlow ReLUs quiz: a two-layer network with a ReLU hidden layer.")
  static final class Relu extends LessonRun implements Runnable {
    @Override
    public void run() {
      ReluQuiz.run(out());
    }
  }

  @Command(
      name = DropoutQuiz.COMMAND,
      mixinStandardHelpOptions = true,
      description = "TensorFlow Dropout quiz: the ReLU network with dropout on the hidden layer.")
  static final class Dropout extends LessonRun implements Callable<Integer> {
    @Option(
        names = "--keep-prob",
        paramLabel = "P",
        defaultValue = "0.5",
        description =
            "Probability of keeping a hidden unit, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double keepProb;

    @Option(
        names = "--seed",
        paramLabel = "S",
        description = "Graph-level random seed; without it the dropout mask changes every run.")
    Long seed;

    @Override
    public Integer call() throws Exception {
      DropoutQuiz.run(Main.options(spec, () -> new DropoutQuiz.Options(keepProb, seed)), out());
      return Main.EXIT_OK;
    }
  }

  /** Options shared by the lessons that write or read {@code model.ckpt}. */
  static class FileOption {
    @Option(
        names = "--file",
        paramLabel = "PREFIX",
        defaultValue = SaveVariables.FILE_DEFAULT,
        description = "Checkpoint prefix (default: ${DEFAULT-VALUE}).")
    String file;
  }

  @Command(
      name = SaveVariables.COMMAND,
      mixinStandardHelpOptions = true,
      description = "Saving Variables: create weights and bias, print and save them.")
  static final class SaveVariablesCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();

    @Option(names = "--seed", paramLabel = "S", description = "Graph-level random seed.")
    Long seed;

    @Override
    public Integer call() throws Exception {
      SaveVariables.run(
          Main.options(spec, () -> new SaveVariables.Options(file.file, seed)), out());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = LoadVariables.COMMAND,
      mixinStandardHelpOptions = true,
      description = "Loading Variables: restore weights and bias saved by save-variables.")
  static final class LoadVariablesCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();

    @Override
    public Integer call() throws Exception {
      LoadVariables.run(new LoadVariables.Options(file.file), out());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = NamingError.COMMAND,
      mixinStandardHelpOptions = true,
      description = "Naming Error: automatic names plus a different creation order break restore.")
  static final class NamingErrorCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();

    @Override
    public Integer call() throws Exception {
      NamingError.run(new NamingError.Options(file.file), out());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = NamingFix.COMMAND,
      mixinStandardHelpOptions = true,
      description = "Explicit variable names make the restore independent of creation order.")
  static final class NamingFixCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin FileOption file = new FileOption();

    @Override
    public Integer call() throws Exception {
      NamingFix.run(new NamingFix.Options(file.file), out());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = MlpLesson.COMMAND,
      mixinStandardHelpOptions = true,
      description =
          "Deep Neural Network in TensorFlow: the MNIST multilayer perceptron walkthrough"
              + " (20 epochs, batch 128, learning rate 0.001); --hidden 256,128 goes deeper.")
  static final class MlpCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin DataOptions data = new DataOptions();

    @CommandLine.Mixin NetworkOptions network = new NetworkOptions();

    @CommandLine.Mixin LoopOptions loop = new LoopOptions();

    @Option(names = "--seed", paramLabel = "S", description = "Graph and shuffling seed.")
    Long seed;

    @Override
    public Integer call() throws Exception {
      MlpLesson.Options options =
          Main.options(
              spec,
              () ->
                  MlpLesson.Options.lesson()
                      .withNetwork(
                          network.lesson().withLearningRate(loop.learningRate).withGraphSeed(seed))
                      .withTrainingEpochs(loop.epochs)
                      .withBatchSize(loop.batchSize)
                      .withData(data.source(null))
                      .withDataSeed(seed != null ? seed : System.nanoTime()));
      MnistDataSets mnist = MlpLesson.readData(options);
      // the lesson is the notebook's loop; refusing a run the machine cannot hold is the command's
      TrainingMemory.checkFits(mnist, options.network().hidden(), options.batchSize(), 1);
      MlpLesson.run(options, mnist, out());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = SaveTrainedModel.COMMAND,
      mixinStandardHelpOptions = true,
      description =
          "Save a Trained Model: the notebook's single-layer model, 100 epochs,"
              + " validation accuracy every 10, saved to train_model.ckpt.")
  static final class SaveTrainedCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin DataOptions data = new DataOptions();

    @Option(
        names = "--file",
        paramLabel = "PREFIX",
        defaultValue = SaveTrainedModel.FILE_DEFAULT,
        description = "Checkpoint prefix (default: ${DEFAULT-VALUE}).")
    String file;

    @Option(
        names = "--epochs",
        paramLabel = "N",
        defaultValue = "100",
        description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Graph and shuffling seed.")
    Long seed;

    @Override
    public Integer call() throws Exception {
      SaveTrainedModel.run(
          Main.options(
              spec,
              () ->
                  SaveTrainedModel.Options.defaults()
                      .withFile(file)
                      .withEpochs(epochs)
                      .withSeed(seed)
                      .withData(data.source(null))),
          out());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = LoadTrainedModel.COMMAND,
      mixinStandardHelpOptions = true,
      description = "Load a Trained Model: restore train_model.ckpt and print the test accuracy.")
  static final class LoadTrainedCommand extends LessonRun implements Callable<Integer> {
    @CommandLine.Mixin DataOptions data = new DataOptions();

    @Option(
        names = "--file",
        paramLabel = "PREFIX|DIR",
        defaultValue = SaveTrainedModel.FILE_DEFAULT,
        description = "Checkpoint prefix or directory (default: ${DEFAULT-VALUE}).")
    String file;

    @Override
    public Integer call() throws Exception {
      LoadTrainedModel.run(
          Main.options(spec, () -> new LoadTrainedModel.Options(file, data.source(null))), out());
      return Main.EXIT_OK;
    }
  }
}
