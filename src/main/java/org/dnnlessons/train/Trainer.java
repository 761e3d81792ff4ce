package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Classifier;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's training loop: for each epoch, {@code total_batch} steps of {@code
 * sess.run(optimizer, feed_dict={x: batch_x, y: batch_y})} with batches from {@link
 * DataSet#nextBatch}, then the validation accuracy when due.
 *
 * <p>Each step also fetches {@code cost} (computed by the step anyway) to report the epoch's mean
 * training cost. The timing covers the whole loop a user waits for (making the batches, the runs,
 * the progress report), not validation or the epoch hook; the first run, which is cold (TensorFlow
 * optimizes the graph and allocates its memory then), is also timed on its own ({@link
 * TrainingResult#warmupSeconds()}).
 */
public final class Trainer {

  private Trainer() {}

  /** Something to do after an epoch, such as saving a checkpoint; it may fail. */
  public interface EpochHook {
    /**
     * Called after epoch {@code summary.epoch()}.
     *
     * @param summary the epoch just finished: its steps, mean cost, validation accuracy, seconds
     * @throws Exception to end training (it reaches the caller of {@link Trainer#train})
     */
    void afterEpoch(EpochSummary summary) throws Exception;
  }

  /**
   * Trains {@code net} in {@code session}; the variables must be initialized or restored. Epochs
   * run from {@code options.initialEpoch()} to {@code options.epochs() - 1}.
   *
   * @param session a session of {@code net}'s graph, its variables set
   * @param net the network: its {@code x}, {@code y}, {@code keep_prob}, {@code cost} and train op
   * @param train the split to train on; its batches come from {@link DataSet#nextBatch}
   * @param validation the split to validate on (may be empty)
   * @param options epochs, batch size, keep probability, how often to validate
   * @param listener hears each epoch's start and end and each step
   * @param hook called after every epoch, or {@code null}
   * @return the loop's steps, runs and times, and each epoch's summary
   * @throws java.util.concurrent.CancellationException when the thread is interrupted: checked
   *     after every {@code Session.run} ({@link Interruption#check()})
   * @throws IllegalArgumentException for a batch larger than {@code train}, or a keep probability
   *     below 1 with a graph built without dropout
   * @throws Exception what {@code hook} or the listener throws
   */
  public static TrainingResult train(
      Session session,
      Classifier net,
      DataSet train,
      DataSet validation,
      TrainOptions options,
      TrainingListener listener,
      EpochHook hook)
      throws Exception {
    return train(session, net, train, validation, options, listener, hook, null);
  }

  /**
   * As the method above, running {@code fed.stepsPerRun()} steps per {@code Session.run} with the
   * data in the graph when {@code fed} is given (loaded here): the batches, and so the weights, are
   * the same as without it.
   *
   * @param session a session of {@code net}'s graph, its variables set
   * @param net the network
   * @param train the split to train on
   * @param validation the split to validate on (may be empty)
   * @param options epochs, batch size, keep probability, how often to validate
   * @param listener hears each epoch's start and end and each step
   * @param hook called after every epoch, or {@code null}
   * @param fed the in-graph loop to run the steps with, or {@code null} for one step per run
   * @return the loop's steps, runs and times, and each epoch's summary
   * @throws java.util.concurrent.CancellationException when the thread is interrupted
   * @throws Exception as the method above
   */
  public static TrainingResult train(
      Session session,
      Classifier net,
      DataSet train,
      DataSet validation,
      TrainOptions options,
      TrainingListener listener,
      EpochHook hook,
      InGraphTraining fed)
      throws Exception {
    if (fed != null) {
      fed.load(session);
    }
    if (options.keepProb() < 1.0 && net.keepProb() == null) {
      throw new IllegalArgumentException(
          "keep_prob " + options.keepProb() + " needs a graph built with dropout");
    }
    if (options.batchSize() > train.numExamples()) {
      throw new IllegalArgumentException(
          "batch size "
              + options.batchSize()
              + " is larger than the training split ("
              + train.numExamples()
              + " examples)");
    }
    int steps = options.stepsPerEpoch(train.numExamples());
    long totalSteps = 0;
    long runs = 0;
    long loopNanos = 0;
    // the first run is cold (TensorFlow optimizes the graph and allocates): timed on its own
    long warmupNanos = -1;
    int warmupSteps = 0;
    List<EpochSummary> epochs = new ArrayList<>();
    try (TFloat32 keepProb = TFloat32.scalarOf((float) options.keepProb())) {
      for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
        listener.epochStarted(epoch, steps);
        double costSum = 0;
        // the whole loop a user waits for: batches made, runs, progress; not validation or hooks
        long epochStart = System.nanoTime();
        if (fed != null) {
          int k = fed.stepsPerRun();
          int b = options.batchSize();
          for (int i = 0; i < steps; ) {
            int j = Math.min(k, steps - i);
            long start = System.nanoTime();
            fed.run(session, train.nextBatchesIndices(j, b, true));
            Interruption.check();
            if (warmupNanos < 0) {
              warmupNanos = System.nanoTime() - start;
              warmupSteps = j;
            }
            runs++;
            for (int end = i + j; i < end; i++) {
              listener.stepFinished(i);
            }
          }
          costSum += fed.takeCostSum(session);
        } else {
          for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            try (Batch batch = train.nextBatch(options.batchSize())) {
              Session.Runner runner =
                  session
                      .runner()
                      .feed(net.x(), batch.images())
                      .feed(net.y(), batch.oneHotLabels())
                      .addTarget(net.trainOp())
                      .fetch(net.cost());
              if (options.keepProb() < 1.0 && net.keepProb() != null) {
                runner.feed(net.keepProb(), keepProb);
              }
              try (Result r = runner.run()) {
                costSum += ((TFloat32) r.get(0)).getFloat();
              }
            }
            Interruption.check();
            if (warmupNanos < 0) {
              warmupNanos = System.nanoTime() - start;
              warmupSteps = 1;
            }
            runs++;
            listener.stepFinished(i);
          }
        }
        long epochNanos = System.nanoTime() - epochStart;
        loopNanos += epochNanos;
        totalSteps += steps;
        boolean validate =
            options.validateEvery() > 0
                && validation.numExamples() > 0
                && (epoch % options.validateEvery() == 0 || epoch == options.epochs() - 1);
        double accuracy = validate ? Evaluator.accuracy(session, net, validation) : Double.NaN;
        EpochSummary summary =
            new EpochSummary(epoch, steps, costSum / steps, accuracy, epochNanos / 1e9);
        epochs.add(summary);
        listener.epochFinished(summary);
        if (hook != null) {
          hook.afterEpoch(summary);
        }
      }
    }
    return new TrainingResult(
        totalSteps, runs, loopNanos / 1e9, warmupSteps, warmupNanos / 1e9, List.copyOf(epochs));
  }
}
