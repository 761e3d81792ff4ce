package org.dnnlessons.train;

import java.util.Arrays;
import org.tensorflow.Session;

/**
 * A training loop that holds the training split in a graph and runs several steps per {@code
 * Session.run}, fed only the batches' indices: {@link GraphFedTraining} (the network's own graph,
 * bit-identical to the plain loop), {@link WhileLoopTraining} ({@code train --jit-compile}: a copy
 * of the network whose steps XLA compiles as one loop, the same math in another float order) or the
 * benchmark's {@code bench.CompiledTraining} (the same, unrolled). {@link Trainer} drives any of
 * them.
 */
public interface InGraphTraining {

  /**
   * The most steps one run takes ({@code k}).
   *
   * @return {@code k}, {@code >= 1}
   */
  int stepsPerRun();

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
   * Ends an epoch: the network's variables in {@code session} hold the trained weights afterwards
   * (for validation, checkpoints); returns the sum of the costs of the steps run since the last
   * call and starts a new sum.
   *
   * @param session the network's session; its variables receive the trained weights
   * @return the sum of the float32 costs of the steps run since the last call, added in float64
   */
  double takeCostSum(Session session);

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
}
