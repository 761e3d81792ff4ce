package org.dnnlessons.train;

import org.dnnlessons.data.DataSet;
import org.tensorflow.Session;

/**
 * How {@link Trainer}'s loop runs the steps of an epoch: {@link FeedDictTraining} (one {@code
 * Session.run} per step, fed from Java, the notebook's way), or several steps per run with the
 * training split held in a graph ({@link InGraphTraining}: {@link GraphFedTraining}, bit for bit
 * the same weights; {@link WhileLoopTraining}, {@code train --jit-compile}, within its stated
 * tolerance).
 */
public interface TrainingSteps {

  /**
   * The most steps one {@code Session.run} takes ({@code k}).
   *
   * @return {@code k}, {@code >= 1}
   */
  int stepsPerRun();

  /**
   * Prepares the first run, once before the first epoch (an in-graph loop loads the training split
   * and the network's weights).
   *
   * @param session the network's session, with its variables initialized or restored
   */
  void start(Session session);

  /**
   * Runs the next {@code steps} steps, one per batch that {@code train} draws next.
   *
   * @param session the network's session
   * @param train the split to train on; its batches are drawn as {@link DataSet#nextBatch} draws
   *     them
   * @param batchSize examples per step
   * @param steps how many steps, from 1 to {@link #stepsPerRun()}
   */
  void runSteps(Session session, DataSet train, int batchSize, int steps);

  /**
   * Ends an epoch: the network's variables in {@code session} hold the trained weights afterwards
   * (for validation, checkpoints); returns the sum of the costs of the steps run since the last
   * call and starts a new sum.
   *
   * @param session the network's session; its variables receive the trained weights
   * @return the sum of the float32 costs of the steps run since the last call, added in float64
   */
  double takeCostSum(Session session);
}
