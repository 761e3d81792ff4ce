package org.dnnlessons.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Session;

/**
 * One training run of the lesson's network from start to finish, as {@code dnn-lessons train} does
 * it: read the data, build the graph, train (the fast graph-fed loop by default), log to
 * TensorBoard, save checkpoints, export a SavedModel, plot the learning curve. The command line,
 * the notebook and Java programs call the same thing:
 *
 * <pre>{@code
 * TrainingRunOptions options =
 *     TrainingRunOptions.of(DatasetCatalog.byName("mnist").locate())
 *         .withNetwork(Mlp.Options.lesson().withHidden(List.of(512)).withLearningRate(0.1))
 *         .withTraining(TrainOptions.lesson().withEpochs(5))
 *         .withSeed(1L)
 *         .withCheckpoints(Checkpoints.to(Path.of("run/model.ckpt")));
 * TrainingRun.Result result = TrainingRun.prepare(options).run(System.out, System.err);
 * }</pre>
 *
 * <p>{@link #prepare} reads the data and checks the options against it ({@link
 * IllegalArgumentException} for an option that cannot work); nothing is built or written before
 * {@link #run} is called. What happens around the loop is a {@link TrainingListener} each: the
 * history and global step ({@link TrainingHistory}), the progress and epoch lines ({@link
 * ConsoleProgress}), the divergence warning, TensorBoard, the checkpoints every {@code
 * --save-every} epochs; what is written after it is {@link RunOutputs}'s.
 */
public final class TrainingRun {

  /**
   * What a run did.
   *
   * @param training this run's loop: its steps, time and per-epoch summaries (a resumed run's own
   *     epochs only)
   * @param testAccuracy the accuracy on the test split after training
   * @param checkpoint the prefix of the checkpoint saved at the end, or {@code null} without {@link
   *     TrainingRunOptions.Checkpoints#save()} (or when a resumed run had nothing left to train)
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

  private final TrainingRunOptions options;
  private final MnistDataSets sets;
  private final long dataSeed;
  private final Mlp.Options network;
  private final List<String> notes;
  private final WarmStart warmStart;
  private final Resumption resumption;

  private TrainingRun(
      TrainingRunOptions options,
      MnistDataSets sets,
      long dataSeed,
      Mlp.Options network,
      List<String> notes,
      WarmStart warmStart,
      Resumption resumption) {
    this.options = options;
    this.sets = sets;
    this.dataSeed = dataSeed;
    this.network = network;
    this.notes = List.copyOf(notes);
    this.warmStart = warmStart;
    this.resumption = resumption;
  }

  /**
   * Reads the data and every checkpoint the run starts from, and checks the options against them;
   * builds and writes nothing, so a run refused here leaves every file as it was.
   *
   * @param options what to train and where to write it
   * @return the run, ready to {@link #run}
   * @throws IllegalArgumentException when an option does not fit the data, the checkpoint or the
   *     machine (a batch larger than the training split, a {@code --seed} other than the resumed
   *     run's, an {@code --init-map} entry naming no variable of the model, more steps per run than
   *     an epoch has, tensors larger than the memory) or names an output target that cannot be
   *     written ({@link RunChecks})
   * @throws CheckpointException when the checkpoint to start from is missing, unreadable or does
   *     not fit (an {@code --init-map} key it lacks, a shape that differs), or {@code save}'s
   *     directory holds another run's checkpoints
   * @throws DatasetException when the data cannot be read
   */
  public static TrainingRun prepare(TrainingRunOptions options)
      throws DatasetException, CheckpointException {
    RunChecks.checkTargets(options); // before anything is read: a bad target fails at once
    TrainingRunOptions.Start start = options.start();
    Resumption resumption =
        start.resume() ? Resumption.read(options.checkpoints().save(), options.seed()) : null;
    Mlp.Options network = options.network();
    List<String> notes = new ArrayList<>();
    if (resumption != null && start.widthsFromCheckpoint()) {
      network = network.withHidden(WarmStart.hiddenWidths(resumption.checkpoint(), Map.of()));
    } else if (start.initFrom() != null && start.widthsFromCheckpoint()) {
      WarmStart.Described described =
          WarmStart.describe(
              start.initFrom(), start.initMap(), start.initConfig(), network.model().dense());
      network = network.withModel(described.model());
      notes.addAll(described.notes());
    }
    if (options.checkpoints().save() != null && !start.resume() && start.initFrom() == null) {
      RunChecks.refuseAnotherRunsDirectory(options.checkpoints());
    }
    long dataSeed =
        resumption != null
            ? resumption.values().shuffleSeed()
            : options.seed() != null ? options.seed() : System.nanoTime();
    MnistDataSets sets =
        MnistDataSets.read(
            options.data(),
            MnistDataSets.Options.defaults()
                .withReshape(false)
                .withSeed(dataSeed)
                .withValidationSize(options.validationSize()));
    RunChecks.checkBatchSize(options, sets);
    if (resumption != null) {
      resumption.checkBatchOrder(options.training().batchSize(), sets.train().numExamples());
    }
    // a resumed run's variables all come from its checkpoint; the graph seed only matters for
    // dropout, which then draws from the run's own seed as before
    Long graphSeed = resumption != null ? resumption.values().shuffleSeed() : null;
    network =
        network
            .withDropout(options.training().keepProb() < 1.0)
            .withGraphSeed(options.seed() != null ? options.seed() : graphSeed)
            .withImageSize(sets.train().imageRows(), sets.train().imageColumns());
    RunChecks.checkSizes(options, network, sets);
    Map<String, long[]> shapes = WarmStart.variableShapes(network);
    WarmStart warm =
        resumption != null
            ? WarmStart.exact(resumption.checkpoint(), shapes)
            : start.initFrom() != null
                ? WarmStart.plan(start.initFrom(), shapes, start.initMap(), start.initConfig())
                : null;
    return new TrainingRun(options, sets, dataSeed, network, notes, warm, resumption);
  }

  /**
   * Prepares and runs {@code options}: {@code prepare(options).run(out, err)}.
   *
   * @param options what to train and where to write it
   * @param out where the run's lines go (standard output for the CLI)
   * @param err where its warnings go
   * @return what the run did
   * @throws Exception as {@link #prepare} and {@link #run(PrintStream, PrintStream,
   *     TrainingListener)}
   */
  public static Result run(TrainingRunOptions options, PrintStream out, PrintStream err)
      throws Exception {
    return prepare(options).run(out, err);
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
   * Runs with no listener of the caller's: {@code run(out, err, TrainingListener.NONE)}.
   *
   * @param out where the run's lines go
   * @param err where its warnings go
   * @return what the run did
   * @throws Exception as {@link #run(PrintStream, PrintStream, TrainingListener)}
   */
  public Result run(PrintStream out, PrintStream err) throws Exception {
    return run(out, err, TrainingListener.NONE);
  }

  /**
   * Trains, printing what {@code train} prints: the data line, the warm-start table or the resume
   * line, one line per epoch (a progress bar on a terminal), {@code Test Accuracy: 0.xxxx}, what
   * was written, and the summary line; a warning on {@code err} when the cost becomes NaN.
   *
   * @param out where the run's lines go
   * @param err where its warnings go
   * @param listener hears about the run as it goes, after the run's own history and progress lines
   *     and before its TensorBoard summaries and checkpoints; its {@link
   *     TrainingListener#trainingStarted} once the variables are set
   * @return what the run did: the loop's steps and times, the test accuracy, the checkpoint saved
   * @throws java.util.concurrent.CancellationException when the thread is interrupted during
   *     training (checked between two {@code Session.run} calls): nothing more is saved
   * @throws CheckpointException when a checkpoint cannot be read or written
   * @throws java.io.IOException when the TensorBoard log, the SavedModel or the plot cannot be
   *     written
   */
  public Result run(PrintStream out, PrintStream err, TrainingListener listener) throws Exception {
    notes.forEach(out::println);
    RunHeader.lines(options.data(), sets, network).forEach(out::println);
    TrainOptions loop = // null: a resumed run with nothing left to train
        resumption == null
            ? options.training()
            : resumption.position(out, warmStart.checkpoint(), options.training(), sets.train());
    try (RunGraph run = RunGraph.build(options, sets, network, loop, resumption)) {
      Session session = run.session();
      Mlp.Network net = run.net();
      initializeVariables(session, net, out);
      TrainingHistory history = new TrainingHistory(run.state(), session, startValues());
      TensorBoardSummaries board =
          run.board() != null ? new TensorBoardSummaries(run.board(), run.graph(), history) : null;
      TrainingListener all = listeners(out, err, listener, history, board, run);
      all.trainingStarted(session, net);
      TrainingResult result =
          loop == null
              ? new TrainingResult(0, 0, 0, 0, 0, List.of())
              : Trainer.train(session, net, sets.train(), sets.validation(), loop, all, run.fed());
      return new RunOutputs(out, options, network, session, net, run.saver())
          .write(sets.test(), result, history, board, loop != null);
    }
  }

  /**
   * Sets the variables: from the resumed checkpoint, from the warm start (then printing its table),
   * or by their initializers.
   */
  private void initializeVariables(Session session, Mlp.Network net, PrintStream out)
      throws CheckpointException {
    if (warmStart == null) {
      session.run(net.init());
      return;
    }
    warmStart.initialize(session, net.variables(), net.init());
    if (resumption == null) {
      // printed once the values are read and their checksums checked: a damaged checkpoint
      // fails with one line, never after a table that says every variable was loaded
      out.print(warmStart.table());
    }
  }

  /** The global step and history the run starts from, with its batch order. */
  private TrainState.Values startValues() {
    return resumption != null
        ? resumption.values() // its seed, batch size and examples are this run's (prepare checks)
        : new TrainState.Values(
            0, 0, dataSeed, options.training().batchSize(), sets.train().numExamples(), List.of());
  }

  /**
   * The run's listeners in the order they hear each event: the history first (the others read its
   * global step), the console, the caller's, then what writes files.
   */
  private TrainingListener listeners(
      PrintStream out,
      PrintStream err,
      TrainingListener caller,
      TrainingHistory history,
      TensorBoardSummaries board,
      RunGraph run) {
    List<TrainingListener> all = new ArrayList<>();
    all.add(history);
    all.add(ConsoleProgress.forConsole(out));
    all.add(new DivergenceWarning(err));
    all.add(caller);
    if (board != null) {
      all.add(board);
    }
    TrainingRunOptions.Checkpoints checkpoints = options.checkpoints();
    if (checkpoints.saveEvery() > 0) {
      all.add(
          new PeriodicCheckpoints(
              run.saver(),
              run.session(),
              checkpoints.save().toString(),
              checkpoints.saveEvery(),
              options.training().epochs(),
              history));
    }
    return TrainingListener.all(all);
  }
}
