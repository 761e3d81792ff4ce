package org.dnnlessons.train;

import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * What a {@link TrainingRun} builds before its first step, and closes after its last: the graph
 * with the network and its progress variables ({@link TrainState}), the in-graph loop that runs the
 * steps ({@link GraphFedTraining}, or {@link WhileLoopTraining} with {@code --jit-compile}; none
 * for one step per run), the saver (its directory locked), the session and the TensorBoard event
 * file.
 *
 * @param graph the graph everything is built in
 * @param net the network
 * @param state the {@code global_step} and {@code train_state/*} variables
 * @param fed the in-graph loop, or {@code null} for one step per {@code Session.run}
 * @param saver the saver, or {@code null} when nothing is saved or exported
 * @param session a session of {@code graph}, its variables not yet set
 * @param board the TensorBoard event file, or {@code null} without {@code --logdir}
 */
record RunGraph(
    Graph graph,
    Mlp.Network net,
    TrainState state,
    InGraphTraining fed,
    Saver saver,
    Session session,
    TensorBoardLog board)
    implements AutoCloseable {

  /**
   * Builds the graph of a run and opens its session.
   *
   * @param loop the loop's options, or {@code null} when a resumed run has nothing left to train
   *     (then no in-graph loop is built)
   * @param resumption where a resumed run stands, or {@code null}
   * @throws Exception when the saver's directory is locked by another process, the event file
   *     cannot be created, or TensorFlow fails; what was opened is closed
   */
  static RunGraph build(
      TrainingRunOptions options,
      MnistDataSets sets,
      Mlp.Options network,
      TrainOptions loop,
      Resumption resumption)
      throws Exception {
    Graph graph = new Graph();
    InGraphTraining fed = null;
    Saver saver = null;
    Session session = null;
    try {
      Mlp.Network net = Mlp.build(graph, network);
      int earlier = resumption != null ? resumption.values().history().size() : 0;
      TrainState state =
          TrainState.build(net.model(), Math.max(options.training().epochs(), earlier));
      // built before the saver: the saver's meta graph holds the loop's ops
      fed = loop == null ? null : inGraphLoop(options, sets, network, net, loop);
      if (options.checkpoints().save() != null || options.outputs().export() != null) {
        saver = Saver.builder(graph).build();
        saver.recoverLastCheckpoints(
            resumption != null ? resumption.earlierCheckpoints() : List.of());
      }
      if (options.checkpoints().save() != null) {
        // a second process saving into this directory is refused now, not after training
        saver.lockDirectory(options.checkpoints().save().toString());
      }
      session = net.model().newSession();
      TensorBoardLog board =
          options.outputs().logdir() != null
              ? new TensorBoardLog(options.outputs().logdir())
              : null;
      return new RunGraph(graph, net, state, fed, saver, session, board);
    } catch (Exception | Error e) {
      closeAll(e, null, session, fed, saver, graph);
      throw e;
    }
  }

  /**
   * The in-graph loop: the data in the graph, several steps per run (the same weights, bit for
   * bit); with {@code --jit-compile}, each run's steps a {@code While} loop compiled by XLA (within
   * a stated tolerance, not bit for bit); {@code null} for one step per run. The in-graph loops
   * build the lesson's math only; another model runs one step per run.
   */
  private static InGraphTraining inGraphLoop(
      TrainingRunOptions options,
      MnistDataSets sets,
      Mlp.Options network,
      Mlp.Network net,
      TrainOptions loop) {
    int stepsPerRun =
        network.model().isLessonMlp()
            ? RunChecks.stepsPerRun(options, sets.train().numExamples())
            : 1;
    if (options.speed().jitCompile()) {
      return WhileLoopTraining.build(net, network, sets.train(), stepsPerRun, loop.batchSize());
    }
    return stepsPerRun > 1
        ? GraphFedTraining.build(net, network, sets.train(), stepsPerRun, loop.batchSize())
        : null;
  }

  /** Closes the event file, the session, the in-graph loop, the saver and the graph, in order. */
  @Override
  public void close() throws Exception {
    closeAll(null, board, session, fed, saver, graph);
  }

  /**
   * Closes each of {@code resources} that is there, in order; a failure is added to {@code failure}
   * when given, else the first is thrown after all are closed.
   */
  private static void closeAll(Throwable failure, Object... resources) throws Exception {
    Exception first = null;
    for (Object r : resources) {
      if (!(r instanceof AutoCloseable c)) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
