package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.data.DataSet;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A training loop that holds the training split in a graph and runs several steps per {@code
 * Session.run}, fed only the batches' indices: {@link GraphFedTraining} (the network's own graph,
 * bit-identical to the plain loop), {@link WhileLoopTraining} ({@code train --jit-compile}: a copy
 * of the network whose steps XLA compiles as one loop, the same math in another float order) or the
 * benchmark's {@code bench.CompiledTraining} (the same, unrolled). {@link Trainer} drives any of
 * them: a run's batches are {@link DataSet#nextBatchesIndices}, the same batches {@link
 * DataSet#nextBatch} would draw.
 */
public interface InGraphTraining extends TrainingSteps {

  /**
   * Rows of one step.
   *
   * @return examples per step, {@code >= 1}
   */
  int batchSize();

  /**
   * Loads the training split and the network's current weights from {@code session}; call once
   * before the first run.
   *
   * @param session the network's session, with its variables initialized or restored
   */
  void load(Session session);

  /**
   * {@link #load}s the split and the weights.
   *
   * @param session the network's session, with its variables initialized or restored
   */
  @Override
  default void start(Session session) {
    load(session);
  }

  /**
   * {@link #run}s the next {@code steps} batches of {@code train}, drawn as {@link
   * DataSet#nextBatch} draws them, in one {@code Session.run}.
   *
   * @param session the network's session
   * @param train the training split this loop holds
   * @param batchSize examples per step: this loop's {@link #batchSize()}
   * @param steps from 1 to {@link #stepsPerRun()}
   */
  @Override
  default void runSteps(Session session, DataSet train, int batchSize, int steps) {
    run(session, train.nextBatchesIndices(steps, batchSize, true));
  }

  /**
   * Runs one step per batch given: {@code batchIndices} holds {@code j * batchSize} indices into
   * the training split, batch after batch, {@code 1 <= j <= stepsPerRun}.
   *
   * @param session the network's session
   * @param batchIndices {@code j * batchSize} positions in the training split, batch after batch
   * @throws IllegalArgumentException when the indices are not a whole number of batches between 1
   *     and {@link #stepsPerRun()}
   */
  void run(Session session, int[] batchIndices);

  /**
   * Checks the indices of a run: 1 to {@code k} whole batches of {@code batchSize}.
   *
   * @param batchIndices the positions fed to one run
   * @param batchSize examples per step
   * @param k the most steps one run takes
   * @return the number of whole batches, from 1 to {@code k}
   */
  static int batches(int[] batchIndices, int batchSize, int k) {
    if (batchIndices.length == 0
        || batchIndices.length % batchSize != 0
        || batchIndices.length / batchSize > k) {
      throw new IllegalArgumentException(
          "expected the indices of 1 to "
              + k
              + " batches of "
              + batchSize
              + ", found "
              + batchIndices.length
              + " indices");
    }
    return batchIndices.length / batchSize;
  }

  /**
   * The indices of a run padded to {@code k} whole batches (repeating index 0), so that every run
   * of a compiled loop feeds one shape and XLA compiles once; the steps beyond the given batches
   * are not run.
   *
   * @param batchIndices 1 to {@code k} whole batches of positions
   * @param batchSize examples per step
   * @param k the most steps one run takes
   * @return {@code k * batchSize} positions: {@code batchIndices} followed by zeros
   */
  static int[] padded(int[] batchIndices, int batchSize, int k) {
    return batchIndices.length == k * batchSize
        ? batchIndices
        : Arrays.copyOf(batchIndices, k * batchSize);
  }

  /**
   * The ops that add the costs of a run's first {@code j} steps to the float64 variable {@code
   * sum}, for {@code j} from 1 to {@code k} ({@code add_costs_j/}): a run of fewer than {@code k}
   * steps (the end of an epoch) adds only theirs. The costs add up in the graph, since fetching
   * them every run would cost about 15%.
   *
   * @param tf the scope of the ops
   * @param sum the handle of a float64 scalar resource variable
   * @param costs the {@code k} steps' costs, float32 scalars, in order
   * @return {@code k} ops, the {@code (j-1)}-th adds the first {@code j} costs
   */
  static List<Op> addCostSums(Ops tf, Operand<?> sum, List<Operand<TFloat32>> costs) {
    List<Op> accumulate = new ArrayList<>();
    for (int j = 1; j <= costs.size(); j++) {
      Ops add = tf.withSubScope("add_costs_" + j);
      accumulate.add(
          add.assignAddVariableOp(
              sum,
              add.sum(
                  add.dtypes.cast(add.stack(costs.subList(0, j)), TFloat64.class),
                  add.constant(0))));
    }
    return accumulate;
  }
}
