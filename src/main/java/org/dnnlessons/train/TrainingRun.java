package org.dnnlessons.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.format.PythonFloat;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
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
   * Steps per run with {@code --jit-compile}: its loop's graph holds one step whatever the number,
   * so more steps only spread a run's fixed cost thinner.
   */
  public static final int JIT_STEPS_PER_RUN_DEFAULT = TrainingMemory.MAX_STEPS_PER_RUN;

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
   *     #STEPS_PER_RUN_DEFAULT}, {@value #JIT_STEPS_PER_RUN_DEFAULT} with {@code jitCompile}, or 1
   *     with dropout; never more than an epoch's steps
   * @param save the checkpoint prefix ({@code run/model.ckpt} writes {@code run/model.ckpt-STEP}
   *     and the {@code run/checkpoint} state file), or {@code null} for none
   * @param saveEvery also save every this many epochs (keeping the last {@value
   *     Saver#MAX_TO_KEEP_DEFAULT}); 0 saves only at the end
   * @param logdir a directory for TensorBoard event files, or {@code null}
   * @param export a directory for a SavedModel, or {@code null}
   * @param plot a PNG file for the learning curve, or {@code null}
   * @param initFrom warm start: a checkpoint prefix or directory whose variables the network starts
   *     from where names and shapes fit ({@link WarmStart}), or {@code null}
   * @param initMap checkpoint key to variable name for {@code initFrom} ({@code old=new}, or {@code
   *     old_scope/=new_scope/}); empty for matching by name alone
   * @param resume continue the run whose latest checkpoint is in {@code save}'s directory: its
   *     weights, global step, epochs, batch order and history ({@link TrainState}); {@code
   *     training.epochs()} stays the total
   * @param overwrite save into a directory that already holds another run's checkpoints
   * @param widthsFromCheckpoint with {@code initFrom} or {@code resume}, take the hidden layer
   *     widths from the checkpoint instead of {@code network.hidden()}
   * @param exportKeras a {@code .keras} file for Keras 3's {@code keras.models.load_model} ({@link
   *     KerasExport}), or {@code null}
   * @param initConfig for a weights-only {@code initFrom} ({@code .weights.h5}, TF2 checkpoint):
   *     the model's {@code .keras} file or {@code model.to_json()}'s JSON, saying its layers; or
   *     {@code null}
   * @param jitCompile train with {@link WhileLoopTraining}: each run's steps a {@code While} loop
   *     compiled by XLA into one executable, resource variables; the weights stay within {@link
   *     WhileLoopTraining#WEIGHT_TOLERANCE} of the exact graph's instead of bit-identical. Not with
   *     dropout
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
      Path plot,
      Path initFrom,
      Map<String, String> initMap,
      boolean resume,
      boolean overwrite,
      boolean widthsFromCheckpoint,
      Path exportKeras,
      boolean jitCompile,
      Path initConfig) {

    /**
     * Validates the settings that do not need the data.
     *
     * @param data where the MNIST-format files come from, not {@code null}
     * @param validationSize training images set aside for validation, or {@code null} for the data
     *     set's default
     * @param seed the graph and shuffling seed, or {@code null}
     * @param network the network, not {@code null}
     * @param training epochs, batch size and keep probability, not {@code null}
     * @param stepsPerRun 1 to {@link TrainingMemory#MAX_STEPS_PER_RUN}, above 1 only without
     *     dropout; or {@code null} for the default
     * @param save the checkpoint prefix, or {@code null}; needed by {@code saveEvery > 0} and
     *     {@code resume}
     * @param saveEvery epochs between saves, {@code >= 0}; 0 saves only at the end
     * @param logdir a directory for TensorBoard event files, or {@code null}
     * @param export a directory for a SavedModel, or {@code null}
     * @param plot a PNG file for the learning curve, or {@code null}
     * @param initFrom the warm start's checkpoint or Keras file, or {@code null}; not with {@code
     *     resume}
     * @param initMap checkpoint key to variable name, copied; non-empty only with {@code initFrom}
     * @param resume continue the run whose latest checkpoint is in {@code save}'s directory
     * @param overwrite save into a directory that holds another run's checkpoints
     * @param widthsFromCheckpoint take the hidden widths from the checkpoint of {@code initFrom} or
     *     {@code resume}
     * @param exportKeras a {@code .keras} file to write, or {@code null}
     * @param jitCompile train with {@link WhileLoopTraining} (XLA); not with dropout
     * @param initConfig the layers of a weights-only {@code initFrom}, or {@code null}
     * @throws IllegalArgumentException one line naming the option that is out of range or the two
     *     options that cannot be combined
     */
    public Options {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(training, "training");
      if (stepsPerRun != null
          && (stepsPerRun < 1 || stepsPerRun > TrainingMemory.MAX_STEPS_PER_RUN)) {
        throw new IllegalArgumentException(
            "--steps-per-run must be between 1 and "
                + TrainingMemory.MAX_STEPS_PER_RUN
                + " (without --jit-compile each step is unrolled into the graph, which then takes"
                + " minutes to build), found "
                + stepsPerRun);
      }
      if (stepsPerRun != null && stepsPerRun > 1 && training.keepProb() < 1.0) {
        throw new IllegalArgumentException(
            "--steps-per-run above 1 cannot be combined with dropout (--keep-prob "
                + training.keepProb()
                + ")");
      }
      if (jitCompile && training.keepProb() < 1.0) {
        throw new IllegalArgumentException(
            "--jit-compile cannot be combined with dropout (--keep-prob "
                + training.keepProb()
                + ")");
      }
      if (saveEvery < 0) {
        throw new IllegalArgumentException("--save-every must be 0 or more, found " + saveEvery);
      }
      if (saveEvery > 0 && save == null) {
        throw new IllegalArgumentException("--save-every needs --save");
      }
      initMap = Collections.unmodifiableMap(new LinkedHashMap<>(initMap));
      if (!initMap.isEmpty() && initFrom == null) {
        throw new IllegalArgumentException("--init-map needs --init-from");
      }
      if (resume && save == null) {
        throw new IllegalArgumentException(
            "--resume needs --save PREFIX: it continues from the latest checkpoint there");
      }
      if (resume && initFrom != null) {
        throw new IllegalArgumentException(
            "--resume continues a run from its own checkpoints; it cannot be combined with"
                + " --init-from");
      }
    }

    /**
     * A builder starting from the lesson's network and loop on {@code data}.
     *
     * @param data where the MNIST-format files come from
     * @return a builder with every other setting at its default
     */
    public static Builder builder(DataSource data) {
      return new Builder(data);
    }

    /**
     * A builder holding these options.
     *
     * @return a new builder, set as these options are
     */
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
      b.exportKeras = exportKeras;
      b.plot = plot;
      b.initFrom = initFrom;
      b.initMap = initMap;
      b.resume = resume;
      b.overwrite = overwrite;
      b.widthsFromCheckpoint = widthsFromCheckpoint;
      b.jitCompile = jitCompile;
      b.initConfig = initConfig;
      return b;
    }

    /**
     * The steps per run this run uses: the given value, else 8 (64 with {@code --jit-compile}), or
     * 1 with dropout.
     *
     * @return the number of training steps per {@code Session.run}
     */
    public int effectiveStepsPerRun() {
      if (stepsPerRun != null) {
        return stepsPerRun;
      }
      if (training.keepProb() < 1.0) {
        return 1;
      }
      return jitCompile ? JIT_STEPS_PER_RUN_DEFAULT : STEPS_PER_RUN_DEFAULT;
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
      private Path exportKeras;
      private Path plot;
      private Path initFrom;
      private Map<String, String> initMap = Map.of();
      private boolean resume;
      private boolean overwrite;
      private boolean widthsFromCheckpoint;
      private boolean jitCompile;
      private Path initConfig;

      private Builder(DataSource data) {
        this.data = data;
      }

      /**
       * Sets {@link Options#validationSize()}.
       *
       * @param value what {@link Options#validationSize()} describes
       * @return this builder
       */
      public Builder validationSize(Integer value) {
        validationSize = value;
        return this;
      }

      /**
       * Sets {@link Options#seed()}.
       *
       * @param value what {@link Options#seed()} describes
       * @return this builder
       */
      public Builder seed(Long value) {
        seed = value;
        return this;
      }

      /**
       * Sets {@link Options#network()}; default the lesson's.
       *
       * @param value what {@link Options#network()} describes
       * @return this builder
       */
      public Builder network(Mlp.Options value) {
        network = value;
        return this;
      }

      /**
       * Sets {@link Options#training()}; default the lesson's.
       *
       * @param value what {@link Options#training()} describes
       * @return this builder
       */
      public Builder training(TrainOptions value) {
        training = value;
        return this;
      }

      /**
       * Sets {@link Options#stepsPerRun()}.
       *
       * @param value what {@link Options#stepsPerRun()} describes
       * @return this builder
       */
      public Builder stepsPerRun(Integer value) {
        stepsPerRun = value;
        return this;
      }

      /**
       * Sets {@link Options#save()}.
       *
       * @param value what {@link Options#save()} describes
       * @return this builder
       */
      public Builder save(Path value) {
        save = value;
        return this;
      }

      /**
       * Sets {@link Options#saveEvery()}.
       *
       * @param value what {@link Options#saveEvery()} describes
       * @return this builder
       */
      public Builder saveEvery(int value) {
        saveEvery = value;
        return this;
      }

      /**
       * Sets {@link Options#logdir()}.
       *
       * @param value what {@link Options#logdir()} describes
       * @return this builder
       */
      public Builder logdir(Path value) {
        logdir = value;
        return this;
      }

      /**
       * Sets {@link Options#export()}.
       *
       * @param value what {@link Options#export()} describes
       * @return this builder
       */
      public Builder export(Path value) {
        export = value;
        return this;
      }

      /**
       * Sets {@link Options#plot()}.
       *
       * @param value what {@link Options#plot()} describes
       * @return this builder
       */
      public Builder plot(Path value) {
        plot = value;
        return this;
      }

      /**
       * Sets {@link Options#initFrom()}.
       *
       * @param value what {@link Options#initFrom()} describes
       * @return this builder
       */
      public Builder initFrom(Path value) {
        initFrom = value;
        return this;
      }

      /**
       * Sets {@link Options#initMap()}; default empty.
       *
       * @param value what {@link Options#initMap()} describes
       * @return this builder
       */
      public Builder initMap(Map<String, String> value) {
        initMap = value != null ? value : Map.of();
        return this;
      }

      /**
       * Sets {@link Options#resume()}.
       *
       * @param value what {@link Options#resume()} describes
       * @return this builder
       */
      public Builder resume(boolean value) {
        resume = value;
        return this;
      }

      /**
       * Sets {@link Options#overwrite()}.
       *
       * @param value what {@link Options#overwrite()} describes
       * @return this builder
       */
      public Builder overwrite(boolean value) {
        overwrite = value;
        return this;
      }

      /**
       * Sets {@link Options#exportKeras()}.
       *
       * @param value what {@link Options#exportKeras()} describes
       * @return this builder
       */
      public Builder exportKeras(Path value) {
        exportKeras = value;
        return this;
      }

      /**
       * Sets {@link Options#widthsFromCheckpoint()}.
       *
       * @param value what {@link Options#widthsFromCheckpoint()} describes
       * @return this builder
       */
      public Builder widthsFromCheckpoint(boolean value) {
        widthsFromCheckpoint = value;
        return this;
      }

      /**
       * Sets {@link Options#initConfig()}; default none.
       *
       * @param value what {@link Options#initConfig()} describes
       * @return this builder
       */
      public Builder initConfig(Path value) {
        initConfig = value;
        return this;
      }

      /**
       * Sets {@link Options#jitCompile()}; default false.
       *
       * @param value what {@link Options#jitCompile()} describes
       * @return this builder
       */
      public Builder jitCompile(boolean value) {
        jitCompile = value;
        return this;
      }

      /**
       * The options.
       *
       * @return the options set on this builder
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
            plot,
            initFrom,
            initMap,
            resume,
            overwrite,
            widthsFromCheckpoint,
            exportKeras,
            jitCompile,
            initConfig);
      }
    }
  }

  /**
   * What a run did.
   *
   * @param training this run's loop: its steps, time and per-epoch summaries (a resumed run's own
   *     epochs only)
   * @param testAccuracy the accuracy on the test split after training
   * @param checkpoint the prefix of the checkpoint saved at the end, or {@code null} without {@link
   *     Options#save()} (or when a resumed run had nothing left to train)
   * @param globalStep the global step at the end: steps run since the run's first epoch, resumed
   *     runs included
   * @param history every epoch's summary since the run's first epoch, resumed runs included
   */
  public record Result(
      TrainingResult training,
      float testAccuracy,
      String checkpoint,
      long globalStep,
      List<EpochSummary> history) {}

  /**
   * Watches a run from Java: the loop's events ({@link TrainingListener}) and the moment the
   * variables are ready, before the first step.
   */
  public interface Monitor extends TrainingListener {
    /**
     * Called once the variables are initialized, warm-started or resumed, before the first step.
     *
     * @param session the run's session, its variables set
     * @param net the network being trained
     * @throws Exception to stop the run before its first step
     */
    default void initialized(Session session, Mlp.Network net) throws Exception {}

    /** A monitor that ignores everything. */
    Monitor NONE = new Monitor() {};
  }

  private final Options options;
  private final MnistDataSets sets;
  private final long dataSeed;
  private final Mlp.Options network;
  private final List<String> notes = new ArrayList<>();
  private final WarmStart warmStart;
  private final TrainState.Values resumed;
  private final List<Path> earlierCheckpoints;

  private TrainingRun(
      Options options,
      MnistDataSets sets,
      long dataSeed,
      Mlp.Options network,
      WarmStart warmStart,
      TrainState.Values resumed,
      List<Path> earlierCheckpoints) {
    this.options = options;
    this.sets = sets;
    this.dataSeed = dataSeed;
    this.network = network;
    this.warmStart = warmStart;
    this.resumed = resumed;
    this.earlierCheckpoints = earlierCheckpoints;
  }

  /**
   * Reads the data and every checkpoint the run starts from, and checks the options against them;
   * builds and writes nothing, so a run refused here leaves every file as it was.
   *
   * @throws IllegalArgumentException when an option does not fit the data, the checkpoint or the
   *     machine (a batch larger than the training split, a {@code --seed} other than the resumed
   *     run's, an {@code --init-map} entry naming no variable of the model, more steps per run than
   *     an epoch has, tensors larger than the memory) or names an output target that cannot be
   *     written ({@link RunChecks})
   * @throws CheckpointException when the checkpoint to start from is missing, unreadable or does
   *     not fit (an {@code --init-map} key it lacks, a shape that differs), or {@code save}'s
   *     directory holds another run's checkpoints
   * @param options what to train and where to write it
   * @return the run, ready to {@link #run}
   * @throws DatasetException when the data cannot be read
   */
  public static TrainingRun prepare(Options options) throws DatasetException, CheckpointException {
    RunChecks.checkTargets(options); // before anything is read: a bad target fails at once
    Mlp.Options network = options.network();
    List<String> notes = new ArrayList<>();
    TrainState.Values resumed = null;
    Path resumeFrom = null;
    Path initFrom = null;
    List<Path> earlier = List.of();
    if (options.resume()) {
      Path dir = options.save().toAbsolutePath().getParent();
      if (CheckpointState.read(dir) == null) {
        throw new CheckpointException(
            options.save(),
            CheckpointException.NO_OFFSET,
            "--resume: no checkpoint to resume from in " + dir);
      }
      // as evaluate finds it: a state file naming a checkpoint that is gone says which one (it
      // said "no checkpoint to resume from" beside the run's files), and a moved directory's
      // absolute path falls back, with a warning, on the checkpoint of that name beside it
      resumeFrom = CheckpointState.resolve(dir);
      resumed = TrainState.read(CheckpointReader.open(resumeFrom));
      if (resumed == null) {
        throw new CheckpointException(
            resumeFrom,
            CheckpointException.NO_OFFSET,
            "--resume: the checkpoint holds no global_step, so it was not saved by train;"
                + " start from its weights with --init-from instead");
      }
      if (options.seed() != null && options.seed() != resumed.shuffleSeed()) {
        throw new IllegalArgumentException(
            "--seed "
                + options.seed()
                + " differs from the resumed run's shuffling seed "
                + resumed.shuffleSeed()
                + "; leave --seed out or give the same");
      }
      if (options.widthsFromCheckpoint()) {
        network = network.withHidden(WarmStart.hiddenWidths(resumeFrom, Map.of()));
      }
      earlier = new ArrayList<>();
      CheckpointState state = CheckpointState.read(dir);
      for (String p : state.all()) {
        earlier.add(dir.resolve(p));
      }
    } else if (options.initFrom() != null) {
      initFrom = options.initFrom();
      if (options.widthsFromCheckpoint()) {
        WarmStart.Described described =
            WarmStart.describe(
                initFrom, options.initMap(), options.initConfig(), network.model().dense());
        network = network.withModel(described.model());
        notes.addAll(described.notes());
      }
    }
    if (options.save() != null && !options.resume() && options.initFrom() == null) {
      refuseAnotherRunsDirectory(options);
    }
    long dataSeed =
        resumed != null
            ? resumed.shuffleSeed()
            : options.seed() != null ? options.seed() : System.nanoTime();
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
    if (resumed != null
        && (resumed.batchSize() != batchSize
            || resumed.trainExamples() != sets.train().numExamples())) {
      throw new IllegalArgumentException(
          "--resume: "
              + resumeFrom
              + " was trained with --batch-size "
              + resumed.batchSize()
              + " on "
              + resumed.trainExamples()
              + " training examples; these options give "
              + batchSize
              + " and "
              + sets.train().numExamples()
              + ", so its batch order cannot continue");
    }
    network =
        network
            .withDropout(options.training().keepProb() < 1.0)
            .withGraphSeed(options.seed() != null ? options.seed() : graphSeedFor(resumed))
            .withImageSize(sets.train().imageRows(), sets.train().imageColumns());
    RunChecks.checkSizes(options, network.hidden(), sets);
    if (!network.model().isLessonMlp()
        && (options.jitCompile() || (options.stepsPerRun() != null && options.stepsPerRun() > 1))) {
      throw new IllegalArgumentException(
          (options.jitCompile() ? "--jit-compile" : "--steps-per-run " + options.stepsPerRun())
              + " builds the lesson's MLP only (relu, bias, pixels/255); this model is "
              + network.model().summary()
              + "; leave it out (its steps then run one per Session.run)");
    }
    Map<String, long[]> shapes = WarmStart.variableShapes(network);
    WarmStart warm = null;
    if (resumeFrom != null) {
      warm = WarmStart.exact(resumeFrom, shapes);
    } else if (initFrom != null) {
      warm = WarmStart.plan(initFrom, shapes, options.initMap(), options.initConfig());
    }
    TrainingRun run = new TrainingRun(options, sets, dataSeed, network, warm, resumed, earlier);
    run.notes.addAll(notes);
    return run;
  }

  private static Long graphSeedFor(TrainState.Values resumed) {
    // a resumed run's variables all come from its checkpoint; the graph seed only matters for
    // dropout, which then draws from the run's own seed as before
    return resumed != null ? resumed.shuffleSeed() : null;
  }

  private static void refuseAnotherRunsDirectory(Options options) throws CheckpointException {
    Path dir = options.save().toAbsolutePath().getParent();
    if (!Files.isDirectory(dir) || options.overwrite()) {
      return;
    }
    CheckpointState state = CheckpointState.read(dir);
    String found = state != null ? state.latest() : null;
    if (found == null) {
      try (DirectoryStream<Path> indexes = Files.newDirectoryStream(dir, "*.index")) {
        for (Path p : indexes) {
          found = p.getFileName().toString();
          break;
        }
      } catch (IOException e) {
        throw new CheckpointException(
            dir, CheckpointException.NO_OFFSET, "cannot list the directory: " + e.getMessage(), e);
      }
    }
    if (found != null) {
      throw new CheckpointException(
          dir,
          CheckpointException.NO_OFFSET,
          "already holds checkpoints of another run ("
              + found
              + "); pass --resume to continue it, --init-from "
              + dir
              + " to start from its weights, or --overwrite to save over it");
    }
  }

  /**
   * Prepares and runs {@code options}: {@code prepare(options).run(out, err)}.
   *
   * @param options what to train and where to write it
   * @param out where the run's lines go (standard output for the CLI)
   * @param err where its warnings go
   * @return what the run did
   * @throws Exception as {@link #prepare} and {@link #run(PrintStream, PrintStream, Monitor)}
   */
  public static Result run(Options options, PrintStream out, PrintStream err) throws Exception {
    return prepare(options).run(out, err);
  }

  /**
   * The options of this run.
   *
   * @return the options given to {@link #prepare}
   */
  public Options options() {
    return options;
  }

  /**
   * The data this run trains, validates and tests on.
   *
   * @return the training, validation and test splits
   */
  public MnistDataSets data() {
    return sets;
  }

  /**
   * The batch shuffling seed: {@link Options#seed()}, the resumed run's, or one drawn from the
   * clock.
   *
   * @return the seed
   */
  public long dataSeed() {
    return dataSeed;
  }

  /**
   * The network this run builds: the options' or the checkpoint's widths, the data's image size.
   *
   * @return the network's options
   */
  public Mlp.Options network() {
    return network;
  }

  /**
   * How the variables start when warm-started or resumed.
   *
   * @return the warm start, or {@code null} for a run from freshly initialized variables
   */
  public WarmStart warmStart() {
    return warmStart;
  }

  /**
   * Runs with no monitor: {@code run(out, err, Monitor.NONE)}.
   *
   * @param out where the run's lines go
   * @param err where its warnings go
   * @return what the run did
   * @throws Exception as {@link #run(PrintStream, PrintStream, Monitor)}
   */
  public Result run(PrintStream out, PrintStream err) throws Exception {
    return run(out, err, Monitor.NONE);
  }

  /**
   * Trains, printing what {@code train} prints: the data line, the warm-start table or the resume
   * line, one line per epoch (a progress bar on a terminal), {@code Test Accuracy: 0.xxxx}, what
   * was written, and the summary line; a warning on {@code err} when the cost becomes NaN.
   *
   * @param out where the run's lines go
   * @param err where its warnings go
   * @param monitor hears about the run as it goes (see {@link Monitor})
   * @return what the run did: the loop's steps and times, the test accuracy, the checkpoint saved
   * @throws java.util.concurrent.CancellationException when the thread is interrupted during
   *     training (checked between two {@code Session.run} calls): nothing more is saved
   * @throws CheckpointException when a checkpoint cannot be read or written
   * @throws java.io.IOException when the TensorBoard log, the SavedModel or the plot cannot be
   *     written
   */
  public Result run(PrintStream out, PrintStream err, Monitor monitor) throws Exception {
    Options o = options;
    TrainOptions training = o.training();
    // the in-graph loops build the lesson's math only; another model runs one step per run
    int stepsPerRun =
        network.model().isLessonMlp() ? RunChecks.stepsPerRun(o, sets.train().numExamples()) : 1;
    notes.forEach(out::println);
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
            + network.hidden());
    if (!network.model().isLessonMlp()) {
      out.println("Model: " + network.model().summary());
      List<String> frozen = new ArrayList<>();
      List<String> dropouts = new ArrayList<>();
      for (ModelDescription.Layer l : network.model().layers()) {
        if (l instanceof ModelDescription.BatchNormalization
            || l instanceof ModelDescription.Normalization
            || l instanceof ModelDescription.PRelu) {
          frozen.add(l.kerasClass() + (l.name() == null ? "" : " '" + l.name() + "'"));
        } else if (l instanceof ModelDescription.Dropout) {
          dropouts.add(l.name() == null ? "Dropout" : "'" + l.name() + "'");
        }
      }
      if (!frozen.isEmpty()) {
        out.println(
            "Only the Dense layers train: "
                + String.join(", ", frozen)
                + " keep their values (BatchNormalization at its moving statistics, as Keras's"
                + " trainable=False)");
      }
      if (!dropouts.isEmpty()) {
        out.println(
            "Dropout layers "
                + String.join(", ", dropouts)
                + " are the identity here (--keep-prob adds the lesson's dropout)");
      }
    }
    int steps = training.stepsPerEpoch(sets.train().numExamples());
    List<EpochSummary> history = new ArrayList<>();
    long startStep = 0;
    int startEpoch = 0;
    if (resumed != null) {
      history.addAll(resumed.history());
      startStep = resumed.globalStep();
      startEpoch = resumed.epoch();
      out.println(
          "Resuming from "
              + warmStart.checkpoint()
              + ": "
              + startEpoch
              + " of "
              + training.epochs()
              + " epochs done, global step "
              + startStep);
      // the data position: the batches the stopped run drew, drawn again and dropped
      for (long i = 0; i < startStep; i++) {
        sets.train().nextBatchIndices(training.batchSize(), true);
      }
    }
    boolean nothingLeft = startEpoch >= training.epochs();
    if (nothingLeft) {
      out.println(
          "Nothing to train: the run already holds "
              + startEpoch
              + " epochs and --epochs is "
              + training.epochs()
              + " (the total, as in Keras's fit)");
    } else {
      training = training.withInitialEpoch(startEpoch);
    }

    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, network);
      TrainState state = TrainState.build(net.model(), Math.max(training.epochs(), history.size()));
      // the fast path: data in the graph, several steps per run (same weights, bit for bit)
      // --jit-compile: each run's steps a While loop compiled by XLA (within a stated tolerance,
      // not bit for bit)
      InGraphTraining fed =
          nothingLeft
              ? null
              : o.jitCompile()
                  ? WhileLoopTraining.build(
                      net, network, sets.train(), stepsPerRun, training.batchSize())
                  : stepsPerRun > 1
                      ? GraphFedTraining.build(
                          net, network, sets.train(), stepsPerRun, training.batchSize())
                      : null;
      Saver saver = o.save() != null || o.export() != null ? Saver.builder(graph).build() : null;
      if (saver != null) {
        saver.recoverLastCheckpoints(earlierCheckpoints);
      }
      if (o.save() != null) {
        // a second process saving into this directory is refused now, not after training
        saver.lockDirectory(o.save().toString());
      }
      try (Saver closing = saver;
          AutoCloseable closingFed = fed instanceof AutoCloseable c ? c : null;
          Session session = net.model().newSession();
          TensorBoardLog board = o.logdir() != null ? new TensorBoardLog(o.logdir()) : null) {
        if (warmStart != null) {
          warmStart.initialize(session, net.variables(), net.init());
          if (resumed == null) {
            // printed once the values are read and their checksums checked: a damaged checkpoint
            // fails with one line, never after a table that says every variable was loaded
            out.print(warmStart.table());
          }
        } else {
          session.run(net.init());
        }
        long[] globalStep = {startStep};
        TrainOptions t = training;
        Runnable writeState =
            () ->
                state.write(
                    session,
                    new TrainState.Values(
                        globalStep[0],
                        history.size(),
                        dataSeed,
                        t.batchSize(),
                        sets.train().numExamples(),
                        history));
        writeState.run();
        monitor.initialized(session, net);
        if (board != null) {
          board.graph(graph);
        }
        TrainingResult result = new TrainingResult(0, 0, 0, 0, 0, List.of());
        if (!nothingLeft) {
          TrainingListener hook =
              new TrainingListener() {
                @Override
                public void epochFinished(EpochSummary summary) throws Exception {
                  globalStep[0] += summary.steps();
                  history.add(summary);
                  if (board != null) {
                    board.scalar("cost", globalStep[0], summary.meanCost());
                    if (summary.validated()) {
                      board.scalar(
                          "validation_accuracy", globalStep[0], summary.validationAccuracy());
                    }
                    board.flush();
                  }
                  writeState.run();
                  if (o.saveEvery() > 0
                      && (summary.epoch() + 1) % o.saveEvery() == 0
                      && summary.epoch() + 1 < t.epochs()) {
                    saver.save(session, o.save().toString(), globalStep[0]);
                  }
                }
              };
          boolean[] warnedDivergence = {false};
          ConsoleProgress console =
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
                  });
          result =
              Trainer.train(
                  session,
                  net,
                  sets.train(),
                  sets.validation(),
                  training,
                  both(both(console, monitor), hook),
                  fed);
        }
        float test = Evaluator.accuracy(session, net, sets.test());
        out.println(String.format(Locale.ROOT, "Test Accuracy: %.4f", test));
        if (board != null) {
          board.scalar("test_accuracy", globalStep[0], test);
        }
        String written = null;
        if (o.save() != null && !nothingLeft) {
          written = saver.save(session, o.save().toString(), globalStep[0]);
          out.println("Saved " + written);
        }
        if (o.export() != null) {
          SavedModelExport.export(session, net, saver, o.export());
          out.println("Exported SavedModel to " + o.export());
        }
        if (o.exportKeras() != null) {
          KerasExport.write(
              MlpWeights.of(session, net, network.model()),
              o.exportKeras(),
              KerasExport.Format.KERAS);
          out.println("Exported Keras model to " + o.exportKeras());
        }
        if (o.plot() != null && !history.isEmpty()) {
          LearningCurvePlot.write(
              history,
              "hidden " + network.hidden() + ", learning rate " + network.learningRate(),
              o.plot());
          out.println("Plotted " + o.plot());
        }
        if (!nothingLeft) {
          out.println(result.summaryLine());
        }
        return new Result(result, test, written, globalStep[0], List.copyOf(history));
      }
    }
  }

  private static TrainingListener both(TrainingListener a, TrainingListener b) {
    return new TrainingListener() {
      @Override
      public void epochStarted(int epoch, int steps) {
        a.epochStarted(epoch, steps);
        b.epochStarted(epoch, steps);
      }

      @Override
      public void stepFinished(int stepInEpoch) {
        a.stepFinished(stepInEpoch);
        b.stepFinished(stepInEpoch);
      }

      @Override
      public void epochFinished(EpochSummary summary) throws Exception {
        a.epochFinished(summary);
        b.epochFinished(summary);
      }
    };
  }

  /**
   * The line {@code train} prints after an epoch: {@code Epoch 3 - cost: 0.165716 - Validation
   * Accuracy: 0.9410} (the accuracy only when measured).
   *
   * @param s the epoch's summary
   * @return the line, without a line break
   */
  public static String epochLine(EpochSummary s) {
    // numbers as Python prints them: a diverged run's cost is nan, not Java's NaN
    String line =
        String.format(Locale.ROOT, "Epoch %-3d - cost: ", s.epoch())
            + PythonFloat.fixed(s.meanCost(), 6);
    if (s.validated()) {
      line += " - Validation Accuracy: " + PythonFloat.fixed(s.validationAccuracy(), 4);
    }
    return line;
  }
}
