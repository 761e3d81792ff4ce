package org.dnnlessons.train;

import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Classifier;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's steps: one {@code sess.run(optimizer, feed_dict={x: batch_x, y: batch_y})} per
 * step, the batch made in Java by {@link DataSet#nextBatch}, and {@code keep_prob} fed when below
 * 1. Each run also fetches {@code cost} (computed by the step anyway), summed in Java. Close it to
 * free the {@code keep_prob} tensor.
 */
public final class FeedDictTraining implements TrainingSteps, AutoCloseable {

  private final Classifier net;
  private final TFloat32 keepProb;
  private double costSum;

  /**
   * Steps of {@code net}, {@code keep_prob} fed when below 1.
   *
   * @param net the network: its {@code x}, {@code y}, {@code keep_prob}, {@code cost} and train op
   * @param keepProb the dropout keep probability fed to each step, in (0, 1]; 1 feeds nothing
   */
  public FeedDictTraining(Classifier net, double keepProb) {
    this.net = net;
    this.keepProb =
        keepProb < 1.0 && net.keepProb() != null ? TFloat32.scalarOf((float) keepProb) : null;
  }

  /** One step per run. */
  @Override
  public int stepsPerRun() {
    return 1;
  }

  /** Nothing to prepare: the batches are fed. */
  @Override
  public void start(Session session) {}

  /** Runs {@code steps} (1) steps, one run each; their costs added to the sum. */
  @Override
  public void runSteps(Session session, DataSet train, int batchSize, int steps) {
    for (int i = 0; i < steps; i++) {
      step(session, train, batchSize);
    }
  }

  /** One {@code Session.run}: the batch drawn by {@link DataSet#nextBatch}, the cost fetched. */
  private void step(Session session, DataSet train, int batchSize) {
    try (Batch batch = train.nextBatch(batchSize)) {
      Session.Runner runner =
          session
              .runner()
              .feed(net.x(), batch.images())
              .feed(net.y(), batch.oneHotLabels())
              .addTarget(net.trainOp())
              .fetch(net.cost());
      if (keepProb != null) {
        runner.feed(net.keepProb(), keepProb);
      }
      try (Result r = runner.run()) {
        costSum += ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  /** The sum of the costs fetched since the last call; the weights are the network's own. */
  @Override
  public double takeCostSum(Session session) {
    double sum = costSum;
    costSum = 0;
    return sum;
  }

  /** Frees the {@code keep_prob} tensor. */
  @Override
  public void close() {
    if (keepProb != null) {
      keepProb.close();
    }
  }
}
