package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.TrainingRun;
import org.dnnlessons.train.TrainingRunOptions;
import org.dnnlessons.train.TrainingRunOptions.Checkpoints;
import org.dnnlessons.train.TrainingRunOptions.Outputs;
import org.dnnlessons.train.TrainingRunOptions.Speed;
import org.dnnlessons.train.TrainingRunOptions.Start;
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
              + " weights are the same as with 1, only faster. Default: 8 (64 with"
              + " --jit-compile), or 1 with --keep-prob below 1 (dropout is not unrolled).")
  Integer stepsPerRun;

  @Option(
      names = "--jit-compile",
      description =
          "Compile each run's steps (--steps-per-run, default 64 here) with XLA into one"
              + " executable, a while loop over the batches (resource variables): faster at small"
              + " batches on a quiet machine (see src/site/markdown/performance.md); the weights stay"
              + " within 1e-5 (relative) of the exact graph's, not bit-identical. Not with"
              + " dropout.")
  boolean jitCompile;

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
          "Save the trained variables and the run's progress (global_step, train_state/*) to"
              + " PREFIX-STEP (.index, .data-00000-of-00001, .meta) and record it in the"
              + " directory's 'checkpoint' file. A directory holding another run's checkpoints is"
              + " refused unless --resume, --init-from or --overwrite is given.")
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
      names = "--export-keras",
      paramLabel = "FILE.keras",
      description =
          "Also write the trained network as a Keras 3 .keras archive"
              + " (keras.models.load_model opens it; the same as the export command).")
  Path exportKeras;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "Draw the learning curve (training cost, validation accuracy) as a PNG.")
  Path plot;

  @Option(
      names = "--init-from",
      paramLabel = "CKPT",
      description =
          "Warm start: a checkpoint prefix or directory (its latest checkpoint), or a Keras"
              + " file (.keras, .weights.h5, a SavedModel, a TF2 checkpoint). Variables that"
              + " match by name and shape are loaded, the rest initialized as usual; a table says"
              + " which. Layer widths come from the checkpoint unless --hidden is given.")
  Path initFrom;

  @Option(
      names = "--init-map",
      paramLabel = "OLD=NEW",
      split = ",",
      mapFallbackValue = "",
      description =
          "With --init-from: load checkpoint key OLD into variable NEW (e.g."
              + " hidden_layer/weights=hidden_layer_2/weights), or scope OLD/ into NEW/;"
              + " comma-separated. A key that is missing or a shape that differs is an error.")
  Map<String, String> initMap = new LinkedHashMap<>();

  @Option(
      names = "--resume",
      description =
          "Continue the run whose latest checkpoint is in --save's directory: weights, global"
              + " step, epochs, batch order, history. --epochs stays the total, as in Keras's"
              + " fit(epochs, initial_epoch).")
  boolean resume;

  @Option(
      names = "--overwrite",
      description =
          "Save even though --save's directory holds checkpoints of another run (refused"
              + " otherwise, unless --resume or --init-from).")
  boolean overwrite;

  @Option(
      names = "--activation",
      paramLabel = "NAME",
      defaultValue = "relu",
      description =
          "The hidden layers' activation, as Keras 3 names it (default: ${DEFAULT-VALUE}, the"
              + " lesson's): relu, relu6, leaky_relu, elu, selu, gelu, gelu_approximate, sigmoid,"
              + " hard_sigmoid, tanh, softplus, softsign, silu (swish), mish, exponential, linear,"
              + " softmax, log_softmax, hard_silu (hard_swish). With --init-from the file's own"
              + " activations are kept.")
  String activation;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "With --init-from a weights-only file (.weights.h5, TF2 checkpoint): the model's .keras"
              + " file, or the JSON model.to_json() writes, saying its layers and activations.")
  Path initConfig;

  @Override
  public Integer call() throws Exception {
    TrainingRun run = Main.options(spec, this::prepare);
    // Ctrl-C during training: one line naming what survives (the JVM's status stays 130)
    new TrainInterruptNotice(main.err(), save, saveEvery, loop.epochs)
        .during(notice -> run.run(main.out(), main.err(), notice));
    return Main.EXIT_OK;
  }

  /** The run these options describe, its data read; bad options throw IllegalArgumentException. */
  private TrainingRun prepare() throws Exception {
    TrainOptions training = new TrainOptions(loop.epochs, loop.batchSize, keepProb, false, 1);
    Mlp.Options net =
        network.lesson().withLearningRate(loop.learningRate).withInitStddev(initStddev);
    net = net.withModel(ModelDescription.mlp(net.hidden(), Activation.named(activation)));
    if (initFrom != null
        && initMap.isEmpty()
        && spec.commandLine().getParseResult().hasMatchedOption("--activation")) {
      throw new IllegalArgumentException(
          "--activation with --init-from: the network is the one the file describes (its own"
              + " activations; --config states a weights-only file's); --activation goes with a"
              + " fresh network or --init-map");
    }
    // made in the order the options have always been checked, so two mistakes name the same
    // one: the steps per run, their combination with dropout, the checkpoints, --init-map, and
    // --resume's combinations last (with --save already set)
    return TrainingRun.prepare(
        TrainingRunOptions.of(data.source(null))
            .withValidationSize(validationSize)
            .withSeed(seed)
            .withNetwork(net)
            .withSpeed(Speed.DEFAULT.withStepsPerRun(stepsPerRun).withJitCompile(jitCompile))
            .withTraining(training)
            .withCheckpoints(Checkpoints.to(save).withSaveEvery(saveEvery).withOverwrite(overwrite))
            .withStart(
                Start.initFrom(initFrom)
                    .withInitMap(initMap)
                    .withInitConfig(initConfig)
                    .withResume(resume)
                    .withWidthsFromCheckpoint(
                        !spec.commandLine().getParseResult().hasMatchedOption("--hidden")))
            .withOutputs(
                Outputs.NONE
                    .withLogdir(logdir)
                    .withExport(export)
                    .withExportKeras(exportKeras)
                    .withPlot(plot)));
  }
}
