package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Classifier;
import org.tensorflow.Session;

/**
 * The notebook's training loop: for each epoch, {@code total_batch} steps of {@code
 * sess.run(optimizer, feed_dict={x: batch_x, y: batch_y})} with batches from {@link
 * DataSet#nextBatch}, then the validation accuracy when due.
 *
 * <p>How the steps run is a {@link TrainingSteps} strategy: {@link FeedDictTraining} (one run per
 * step, the notebook's way; the default), {@link GraphFedTraining} (the data in the graph, several
 * steps per run, bit for bit the same weights) or {@link WhileLoopTraining} (an XLA-compiled {@code
 * While}, within its stated tolerance). The loop is the same for all three.
 *
 * <p>Each epoch reports the mean training cost of its steps. The timing covers the whole loop a
 * user waits for (making the batches, the runs, the progress report), not validation or what the
 * listener does when an epoch ends; the first run, which is cold (TensorFlow optimizes the graph
 * and allocates its memory then), is also timed on its own ({@link
 * TrainingResult#warmupSeconds()}).
 */
public final class Trainer {

  private Trainer() {}

  /**
   * Trains {@code net} in {@code session} one step per run, fed from Java ({@link
   * FeedDictTraining}); the variables must be initialized or restored. Epochs run from {@code
   * options.initialEpoch()} to {@code options.epochs() - 1}.
   *
   * @param session a session of {@code net}'s graph, its variables set
   * @param net the network: its {@code x}, {@code y}, {@code keep_prob}, {@code cost} and train op
   * @param train the split to train on; its batches come from {@link DataSet#nextBatch}
   * @param validation the split to validate on (may be empty)
   * @param options epochs, batch size, keep probability, how often to validate
   * @param listener hears each epoch's start and end and each step; what it throws ends training
   * @return the loop's steps, runs and times, and each epoch's summary
   * @throws CancellationException when the thread is interrupted: checked after every {@code
   *     Session.run} ({@link Interruption#check()})
   * @throws IllegalArgumentException for a batch larger than {@code train}, or a keep probability
   *     below 1 with a graph built without dropout
   * @throws Exception what the listener throws
   */
  public static TrainingResult train(
      Session session,
      Classifier net,
      DataSet train,
      DataSet validation,
      TrainOptions options,
      TrainingListener listener)
      throws Exception {
    return train(session, net, train, validation, options, listener, null);
  }

  /**
   * As the method above, the steps run by {@code steps}: with an {@link InGraphTraining}, {@code
   * steps.stepsPerRun()} steps per {@code Session.run} with the data in the graph (loaded here);
   * the batches are the same as without it.
   *
   * @param session a session of {@code net}'s graph, its variables set
   * @param net the network
   * @param train the split to train on
   * @param validation the split to validate on (may be empty)
   * @param options epochs, batch size, keep probability, how often to validate
   * @param listener hears each epoch's start and end and each step; what it throws ends training
   * @param steps how the steps run, or {@code null} for the notebook's one step per run ({@link
   *     FeedDictTraining})
   * @return the loop's steps, runs and times, and each epoch's summary
   * @throws CancellationException when the thread is interrupted
   * @throws Exception as the method above
   */
  public static TrainingResult train(
      Session session,
      Classifier net,
      DataSet train,
      DataSet validation,
      TrainOptions options,
      TrainingListener listener,
      TrainingSteps steps)
      throws Exception {
    checkOptions(net, train, options);
    try (FeedDictTraining feedDict =
        steps == null ? new FeedDictTraining(net, options.keepProb()) : null) {
      TrainingSteps run = steps != null ? steps : feedDict;
      run.start(session);
      int totalBatch = options.stepsPerEpoch(train.numExamples());
      Timing timing = new Timing();
      List<EpochSummary> epochs = new ArrayList<>();
      for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
        listener.epochStarted(epoch, totalBatch);
        // timed: what a user waits for (batches, runs, progress), not validation or listeners
        long epochStart = System.nanoTime();
        for (int i = 0; i < totalBatch; ) {
          int j = Math.min(run.stepsPerRun(), totalBatch - i);
          long start = System.nanoTime();
          run.runSteps(session, train, options.batchSize(), j);
          Interruption.check();
          timing.ran(j, System.nanoTime() - start);
          for (int end = i + j; i < end; i++) {
            listener.stepFinished(i + 1); // from 1, as TrainingListener says
          }
        }
        double costSum = run.takeCostSum(session);
        long epochNanos = System.nanoTime() - epochStart;
        timing.epoch(totalBatch, epochNanos);
        double accuracy =
            validationDue(options, validation, epoch)
                ? Evaluator.accuracy(session, net, validation)
                : Double.NaN;
        EpochSummary summary =
            new EpochSummary(epoch, totalBatch, costSum / totalBatch, accuracy, epochNanos / 1e9);
        epochs.add(summary);
        listener.epochFinished(summary);
      }
      return timing.result(epochs);
    }
  }

  private static void checkOptions(Classifier net, DataSet train, TrainOptions options) {
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
  }

  /** Every {@code validateEvery} epochs and after the last, when there is a validation split. */
  private static boolean validationDue(TrainOptions options, DataSet validation, int epoch) {
    return options.validateEvery() > 0
        && validation.numExamples() > 0
        && (epoch % options.validateEvery() == 0 || epoch == options.epochs() - 1);
  }

  /** The loop's counts and times; the first run, cold, is also timed on its own. */
  private static final class Timing {
    private long steps;
    private long runs;
    private long loopNanos;
    private long warmupNanos = -1;
    private int warmupSteps;

    void ran(int stepsRun, long nanos) {
      if (warmupNanos < 0) {
        warmupNanos = nanos;
        warmupSteps = stepsRun;
      }
      runs++;
    }

    void epoch(int stepsRun, long nanos) {
      steps += stepsRun;
      loopNanos += nanos;
    }

    TrainingResult result(List<EpochSummary> epochs) {
      return new TrainingResult(
          steps, runs, loopNanos / 1e9, warmupSteps, warmupNanos / 1e9, List.copyOf(epochs));
    }
  }
}
