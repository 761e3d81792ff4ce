package org.dnnlessons.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * One training run of the lesson's network from start to finish, as {@code dnn-lessons train} does
 * it: read the data, build the graph, train (the fast graph-fed loop by default), log to
 * TensorBoard, save checkpoints, export a SavedModel, plot the learning curve. The command line,
 * the notebook and Java programs call the same thing:
 *
 * <pre>{@code
 * TrainingRun.Options options = TrainingRun.Options.builder(DatasetCatalog.byName("mnist").locate())
 *     .network(Mlp.Options.lesson().withHidden(List.of(512)).withLearningRate(0.1))
 *     .training(TrainOptions.lesson().withEpochs(5))
 *     .seed(1L)
 *     .save(Path.of("run/model.ckpt"))
 *     .build();
 * TrainingRun.Result result = TrainingRun.prepare(options).run(System.out, System.err);
 * }</pre>
 *
 * <p>{@link #prepare} reads the data and checks the options against it ({@link
 * IllegalArgumentException} for an option that cannot work); nothing is built or written before
 * {@link #run} is called.
 */
public final class TrainingRun {

  /** Steps per {@code Session.run} of the graph-fed loop when not given and there is no dropout. */
  public static final int STEPS_PER_RUN_DEFAULT = 8;

  /**
   * What to train and where to write it.
   *
   * @param data where the MNIST-format files come from
   * @param validationSize training images set aside for validation, or {@code null} for the data
   *     set's default (5,000 for full-size sets, 1,000 for the embedded digits)
   * @param seed the graph-level random seed and the batch shuffling seed, or {@code null}: an
   *     unseeded graph and a shuffling seed from the clock
   * @param network the network; its image size is taken from the data, its dropout from {@code
   *     training.keepProb()} and its graph seed from {@code seed}
   * @param training epochs, batch size, keep probability; validation every epoch
   * @param stepsPerRun training steps per {@code Session.run} with the training split held in the
   *     graph ({@link GraphFedTraining}; the same weights as 1), or {@code null}: {@value
   *     #STEPS_PER_RUN_DEFAULT}, or 1 with dropout
   * @param save the checkpoint prefix ({@code run/model.ckpt} writes {@code run/model.ckpt-STEP}
   *     and the {@code run/checkpoint} state file), or {@code null} for none
   * @param saveEvery also save every this many epochs (keeping the last {@value
   *     Saver#MAX_TO_KEEP_DEFAULT}); 0 saves only at the end
   * @param logdir a directory for TensorBoard event files, or {@code null}
   * @param export a directory for a SavedModel, or {@code null}
   * @param plot a PNG file for the learning curve, or {@code null}
   */
  public record Options(
      DataSource data,
      Integer validationSize,
      Long seed,
      Mlp.Options network,
      TrainOptions training,
      Integer stepsPerRun,
      Path save,
      int saveEvery,
      Path logdir,
      Path export,
      Path plot) {

    /** Validates the settings that do not need the data. */
    public Options {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(training, "training");
      if (stepsPerRun != null && stepsPerRun < 1) {
        throw new IllegalArgumentException(
            "--steps-per-run must be at least 1, found " + stepsPerRun);
      }
      if (stepsPerRun != null && stepsPerRun > 1 && training.keepProb() < 1.0) {
        throw new IllegalArgumentException(
            "--steps-per-run above 1 cannot be combined with dropout (--keep-prob "
                + training.keepProb()
                + ")");
      }
      if (saveEvery < 0) {
        throw new IllegalArgumentException("--save-every must be 0 or more, found " + saveEvery);
      }
      if (saveEvery > 0 && save == null) {
        throw new IllegalArgumentException("--save-every needs --save");
      }
    }

    /** A builder starting from the lesson's network and loop on {@code data}. */
    public static Builder builder(DataSource data) {
      return new Builder(data);
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
      Builder b = new Builder(data);
      b.validationSize = validationSize;
      b.seed = seed;
      b.network = network;
      b.training = training;
      b.stepsPerRun = stepsPerRun;
      b.save = save;
      b.saveEvery = saveEvery;
      b.logdir = logdir;
      b.export = export;
      b.plot = plot;
      return b;
    }

    /** The steps per run this run uses: the given value, else 8, or 1 with dropout. */
    public int effectiveStepsPerRun() {
      if (stepsPerRun != null) {
        return stepsPerRun;
      }
      return training.keepProb() < 1.0 ? 1 : STEPS_PER_RUN_DEFAULT;
    }

    /** Builds {@link Options}; every setting starts at its default. */
    public static final class Builder {
      private final DataSource data;
      private Integer validationSize;
      private Long seed;
      private Mlp.Options network = Mlp.Options.lesson();
      private TrainOptions training = TrainOptions.lesson();
      private Integer stepsPerRun;
      private Path save;
      private int saveEvery;
      private Path logdir;
      private Path export;
      private Path plot;

      private Builder(DataSource data) {
        this.data = data;
      }

      /** See {@link Options#validationSize()}. */
      public Builder validationSize(Integer value) {
        validationSize = value;
        return this;
      }

      /** See {@link Options#seed()}. */
      public Builder seed(Long value) {
        seed = value;
        return this;
      }

      /** See {@link Options#network()}; default the lesson's. */
      public Builder network(Mlp.Options value) {
        network = value;
        return this;
      }

      /** See {@link Options#training()}; default the lesson's. */
      public Builder training(TrainOptions value) {
        training = value;
        return this;
      }

      /** See {@link Options#stepsPerRun()}. */
      public Builder stepsPerRun(Integer value) {
        stepsPerRun = value;
        return this;
      }

      /** See {@link Options#save()}. */
      public Builder save(Path value) {
        save = value;
        return this;
      }

      /** See {@link Options#saveEvery()}. */
      public Builder saveEvery(int value) {
        saveEvery = value;
        return this;
      }

      /** See {@link Options#logdir()}. */
      public Builder logdir(Path value) {
        logdir = value;
        return this;
      }

      /** See {@link Options#export()}. */
      public Builder export(Path value) {
        export = value;
        return this;
      }

      /** See {@link Options#plot()}. */
      public Builder plot(Path value) {
        plot = value;
        return this;
      }

      /**
       * The options.
       *
       * @throws IllegalArgumentException for settings that cannot work
       */
      public Options build() {
        return new Options(
            data,
            validationSize,
            seed,
            network,
            training,
            stepsPerRun,
            save,
            saveEvery,
            logdir,
            export,
            plot);
      }
    }
  }

  /**
   * What a run did.
   *
   * @param training the loop's steps, time and per-epoch summaries
   * @param testAccuracy the accuracy on the test split after training
   * @param checkpoint the prefix of the checkpoint saved at the end, or {@code null} without {@link
   *     Options#save()}
   */
  public record Result(TrainingResult training, float testAccuracy, String checkpoint) {}

  private final Options options;
  private final MnistDataSets sets;
  private final long dataSeed;

  private TrainingRun(Options options, MnistDataSets sets, long dataSeed) {
    this.options = options;
    this.sets = sets;
    this.dataSeed = dataSeed;
  }

  /**
   * Reads the data and checks the options against it; builds and writes nothing.
   *
   * @throws IllegalArgumentException when an option does not fit the data (a batch larger than the
   *     training split, a validation split larger than the training file)
   * @throws DatasetException when the data cannot be read
   */
  public static TrainingRun prepare(Options options) throws DatasetException {
    long dataSeed = options.seed() != null ? options.seed() : System.nanoTime();
    MnistDataSets sets =
        MnistDataSets.read(
            options.data(),
            MnistDataSets.Options.defaults()
                .withReshape(false)
                .withSeed(dataSeed)
                .withValidationSize(options.validationSize()));
    int batchSize = options.training().batchSize();
    if (batchSize > sets.train().numExamples()) {
      throw new IllegalArgumentException(
          "--batch-size "
              + batchSize
              + " is larger than the training split ("
              + sets.train().numExamples()
              + " examples)");
    }
    return new TrainingRun(options, sets, dataSeed);
  }

  /** Prepares and runs {@code options}: {@code prepare(options).run(out, err)}. */
  public static Result run(Options options, PrintStream out, PrintStream err) throws Exception {
    return prepare(options).run(out, err);
  }

  /** The options of this run. */
  public Options options() {
    return options;
  }

  /** The data this run trains, validates and tests on. */
  public MnistDataSets data() {
    return sets;
  }

  /** The batch shuffling seed: {@link Options#seed()}, or the one drawn from the clock. */
  public long dataSeed() {
    return dataSeed;
  }

  /**
   * Trains, printing what {@code train} prints: the data line, one line per epoch (a progress bar
   * on a terminal), {@code Test Accuracy: 0.xxxx}, what was written, and the summary line; a
   * warning on {@code err} when the cost becomes NaN.
   *
   * @throws org.dnnlessons.checkpoint.CheckpointException when a checkpoint cannot be written
   * @throws java.io.IOException when the TensorBoard log, the SavedModel or the plot cannot be
   *     written
   */
  public Result run(PrintStream out, PrintStream err) throws Exception {
    Options o = options;
    TrainOptions training = o.training();
    int stepsPerRun = o.effectiveStepsPerRun();
    out.println(
        "Training on "
            + o.data().describe()
            + ": "
            + sets.train().numExamples()
            + " train, "
            + sets.validation().numExamples()
            + " validation, "
            + sets.test().numExamples()
            + " test; hidden "
            + o.network().hidden());

    try (Graph graph = new Graph()) {
      Mlp.Options sized =
          o.network()
              .withDropout(training.keepProb() < 1.0)
              .withGraphSeed(o.seed())
              .withImageSize(sets.train().imageRows(), sets.train().imageColumns());
      Mlp.Network net = Mlp.build(graph, sized);
      // the fast path: data in the graph, several steps per run (same weights, bit for bit)
      GraphFedTraining fed =
          stepsPerRun > 1
              ? GraphFedTraining.build(net, sized, sets.train(), stepsPerRun, training.batchSize())
              : null;
      Saver saver = o.save() != null || o.export() != null ? Saver.builder(graph).build() : null;
      try (Session session = net.model().newSession();
          TensorBoardLog board = o.logdir() != null ? new TensorBoardLog(o.logdir()) : null) {
        session.run(net.init());
        if (board != null) {
          board.graph(graph);
        }
        int steps = training.stepsPerEpoch(sets.train().numExamples());
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
              if (o.saveEvery() > 0
                  && (summary.epoch() + 1) % o.saveEvery() == 0
                  && summary.epoch() + 1 < training.epochs()) {
                saver.save(session, o.save().toString(), globalStep);
              }
            };
        boolean[] warnedDivergence = {false};
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
                        err.println(
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
        String written = null;
        if (o.save() != null) {
          written = saver.save(session, o.save().toString(), result.steps());
          out.println("Saved " + written);
        }
        if (o.export() != null) {
          SavedModelExport.export(session, net, saver, o.export());
          out.println("Exported SavedModel to " + o.export());
        }
        if (o.plot() != null) {
          LearningCurvePlot.write(
              result.epochs(),
              "hidden " + o.network().hidden() + ", learning rate " + o.network().learningRate(),
              o.plot());
          out.println("Plotted " + o.plot());
        }
        out.println(result.summaryLine());
        return new Result(result, test, written);
      }
    }
  }

  /**
   * The line {@code train} prints after an epoch: {@code Epoch 3 - cost: 0.165716 - Validation
   * Accuracy: 0.9410} (the accuracy only when measured).
   */
  public static String epochLine(EpochSummary s) {
    String line = String.format(Locale.ROOT, "Epoch %-3d - cost: %.6f", s.epoch(), s.meanCost());
    if (s.validated()) {
      line += String.format(Locale.ROOT, " - Validation Accuracy: %.4f", s.validationAccuracy());
    }
    return line;
  }
}
