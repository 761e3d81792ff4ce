package org.dnnlessons.train;

import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TInt32;

/**
 * An in-graph training loop with a graph and session of its own, where XLA compiles the steps
 * ({@link WhileLoopTraining}, the benchmark's {@code bench.CompiledTraining}): its {@link
 * LoopVariables} hold a copy of the network's weights and the training split, {@link #load} copies
 * the weights in, {@link #takeCostSum} (at the end of each epoch) copies the trained ones back into
 * the network's {@code VariableV2}s, so validation, checkpoints and exports see them. A run is fed
 * the indices of its batches padded to {@code k} batches, so that every run has one shape and XLA
 * compiles once. Close it to free its session.
 */
public abstract class SeparateGraphTraining implements InGraphTraining, AutoCloseable {

  private final int stepsPerRun;
  private final int batchSize;
  private final LoopVariables variables;
  private final String indices;
  private final Graph graph;
  private final Session session;

  /**
   * Imports the loop's graph and opens its session.
   *
   * @param stepsPerRun the most steps one run takes ({@code k}), {@code >= 1}
   * @param batchSize examples per step, {@code >= 1}
   * @param variables the loop's variables, made while {@code def} was built
   * @param indices the name of the int32 placeholder fed a run's {@code k * batchSize} indices
   * @param def the loop's graph
   * @param disableMetaOptimizer true to turn Grappler off (its rewrites make new nodes without the
   *     XLA marks, which would cut the steps into many clusters; XLA does its own folding and
   *     fusion)
   */
  protected SeparateGraphTraining(
      int stepsPerRun,
      int batchSize,
      LoopVariables variables,
      String indices,
      GraphDef def,
      boolean disableMetaOptimizer) {
    this.stepsPerRun = stepsPerRun;
    this.batchSize = batchSize;
    this.variables = variables;
    this.indices = indices;
    this.graph = new Graph();
    try {
      graph.importGraphDef(def);
      ConfigProto.Builder config = ConfigProto.newBuilder();
      if (disableMetaOptimizer) {
        config.getGraphOptionsBuilder().getRewriteOptionsBuilder().setDisableMetaOptimizer(true);
      }
      this.session = new Session(graph, config.build());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Checks the sizes of a loop: at least 1 step per run and 1 example per step, and no dropout.
   *
   * @param dropout whether the network has dropout
   * @param stepsPerRun the most steps one run takes
   * @param batchSize examples per step
   * @throws IllegalArgumentException for dropout or a size below 1
   */
  protected static void checkSizes(boolean dropout, int stepsPerRun, int batchSize) {
    if (dropout) {
      throw new IllegalArgumentException(
          "a compiled training loop needs a network without dropout");
    }
    if (stepsPerRun < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "steps per run and batch size must be at least 1, found "
              + stepsPerRun
              + " and "
              + batchSize);
    }
  }

  @Override
  public final int stepsPerRun() {
    return stepsPerRun;
  }

  @Override
  public final int batchSize() {
    return batchSize;
  }

  /** Copies the training split and the network's weights (from {@code modelSession}) in. */
  @Override
  public final void load(Session modelSession) {
    variables.load(session, modelSession);
  }

  /**
   * Runs one step per batch given (up to {@link #stepsPerRun()}) in this loop's session; the
   * network's {@code session} is not touched until {@link #takeCostSum}.
   */
  @Override
  public final void run(Session modelSession, int[] batchIndices) {
    run(batchIndices, r -> r.run().close());
  }

  /**
   * Prepares a run of this loop's session for the given batches (1 to {@code k} whole batches of
   * indices) and hands it to {@code action}, which runs it.
   *
   * @param batchIndices the positions fed to the run, batch after batch
   * @param action runs the runner (e.g. with run options)
   * @throws IllegalArgumentException when the indices are not 1 to {@code k} whole batches
   */
  protected final void run(int[] batchIndices, Consumer<Session.Runner> action) {
    int j = InGraphTraining.batches(batchIndices, batchSize, stepsPerRun);
    int[] padded = InGraphTraining.padded(batchIndices, batchSize, stepsPerRun);
    try (TInt32 ix = TInt32.tensorOf(Shape.of(padded.length), DataBuffers.of(padded, true, false));
        TInt32 steps = TInt32.scalarOf(j)) {
      action.accept(runSteps(session.runner().feed(indices, ix), j, steps));
    }
  }

  /**
   * Adds what a run of the first {@code steps} batches feeds and targets besides the indices.
   *
   * @param runner the run, its indices fed
   * @param steps the batches to run, 1 to {@code k}
   * @param stepsTensor {@code steps} as an int32 scalar, for a loop fed its count; closed after the
   *     run
   * @return {@code runner}
   */
  protected abstract Session.Runner runSteps(Session.Runner runner, int steps, TInt32 stepsTensor);

  /**
   * Copies the trained weights into the network's variables in {@code modelSession}, and returns
   * the sum of the costs of the steps run since the last call.
   */
  @Override
  public final double takeCostSum(Session modelSession) {
    return variables.takeCostSum(session, modelSession);
  }

  /** Closes this loop's session and graph. */
  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
