package org.dnnlessons.train;

import org.dnnlessons.nn.Dropout;

/**
 * How to train.
 *
 * @param epochs passes over the training split, at least 1 (the lesson: 20)
 * @param batchSize examples per step (the lesson: 128)
 * @param keepProb the {@code keep_prob} fed while training, in (0, 1]; 1.0 means no dropout
 * @param roundUpBatches steps per epoch: {@code ceil(n / batchSize)} when true (the "Save a Trained
 *     Model" cell), {@code int(n / batchSize)} when false (the walkthrough)
 * @param validateEvery measure validation accuracy every this many epochs (and after the last); 0
 *     never
 * @param initialEpoch the epoch to start at, counted from 0, as Keras's {@code fit(epochs,
 *     initial_epoch)}: {@code epochs} stays the total, so a run resumed after 2 of 4 epochs trains
 *     epochs 2 and 3 (default 0)
 */
public record TrainOptions(
    int epochs,
    int batchSize,
    double keepProb,
    boolean roundUpBatches,
    int validateEvery,
    int initialEpoch) {

  /** The lesson's epochs. */
  public static final int EPOCHS_DEFAULT = 20;

  /** The lesson's batch size. */
  public static final int BATCH_SIZE_DEFAULT = 128;

  /**
   * Validates every setting.
   *
   * @param epochs passes over the training split, {@code >= 1}
   * @param batchSize examples per step, {@code >= 1}
   * @param keepProb the {@code keep_prob} fed while training, in (0, 1]
   * @param roundUpBatches {@code ceil(n / batchSize)} steps per epoch when true, {@code int(n /
   *     batchSize)} when false
   * @param validateEvery epochs between validations, {@code >= 0} (0: never)
   * @param initialEpoch the epoch to start at, from 0 to {@code epochs - 1}
   * @throws IllegalArgumentException naming the first setting out of its range and the value found
   */
  public TrainOptions {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    Dropout.checkKeepProb(keepProb);
    if (validateEvery < 0) {
      throw new IllegalArgumentException(
          "validation interval must be 0 or more, found " + validateEvery);
    }
    if (initialEpoch < 0 || initialEpoch >= epochs) {
      throw new IllegalArgumentException(
          "initial epoch must be in [0, epochs " + epochs + "), found " + initialEpoch);
    }
  }

  /**
   * Options starting at epoch 0.
   *
   * @param epochs passes over the training split, {@code >= 1}
   * @param batchSize examples per step, {@code >= 1}
   * @param keepProb the {@code keep_prob} fed while training, in (0, 1]
   * @param roundUpBatches {@code ceil(n / batchSize)} steps per epoch when true, {@code int(n /
   *     batchSize)} when false
   * @param validateEvery epochs between validations, {@code >= 0} (0: never)
   */
  public TrainOptions(
      int epochs, int batchSize, double keepProb, boolean roundUpBatches, int validateEvery) {
    this(epochs, batchSize, keepProb, roundUpBatches, validateEvery, 0);
  }

  /**
   * The walkthrough's settings: 20 epochs of batch 128, no dropout, validation every epoch.
   *
   * @return {@code TrainOptions(20, 128, 1.0, false, 1)}
   */
  public static TrainOptions lesson() {
    return new TrainOptions(EPOCHS_DEFAULT, BATCH_SIZE_DEFAULT, 1.0, false, 1);
  }

  /**
   * These options with another number of epochs.
   *
   * @param value passes over the training split, {@code >= 1}
   * @return new options; these are unchanged
   */
  public TrainOptions withEpochs(int value) {
    return new TrainOptions(
        value, batchSize, keepProb, roundUpBatches, validateEvery, initialEpoch);
  }

  /**
   * These options with another batch size.
   *
   * @param value examples per step, {@code >= 1}
   * @return new options; these are unchanged
   */
  public TrainOptions withBatchSize(int value) {
    return new TrainOptions(epochs, value, keepProb, roundUpBatches, validateEvery, initialEpoch);
  }

  /**
   * These options with another keep probability.
   *
   * @param value the {@code keep_prob} fed while training, in (0, 1]
   * @return new options; these are unchanged
   */
  public TrainOptions withKeepProb(double value) {
    return new TrainOptions(epochs, batchSize, value, roundUpBatches, validateEvery, initialEpoch);
  }

  /**
   * These options with the other rule for steps per epoch.
   *
   * @param value true for {@code ceil(n / batchSize)} steps per epoch, false for {@code int(n /
   *     batchSize)}
   * @return new options; these are unchanged
   */
  public TrainOptions withRoundUpBatches(boolean value) {
    return new TrainOptions(epochs, batchSize, keepProb, value, validateEvery, initialEpoch);
  }

  /**
   * These options with another validation interval.
   *
   * @param value epochs between validations, {@code >= 0} (0: never)
   * @return new options; these are unchanged
   */
  public TrainOptions withValidateEvery(int value) {
    return new TrainOptions(epochs, batchSize, keepProb, roundUpBatches, value, initialEpoch);
  }

  /**
   * These options starting at another epoch (Keras's {@code initial_epoch}).
   *
   * @param value the epoch to start at, from 0 to {@code epochs - 1}
   * @return new options; these are unchanged
   */
  public TrainOptions withInitialEpoch(int value) {
    return new TrainOptions(epochs, batchSize, keepProb, roundUpBatches, validateEvery, value);
  }

  /**
   * Steps in one epoch of {@code numExamples}.
   *
   * @param numExamples examples in the training split
   * @return {@code ceil} or {@code int} of {@code numExamples / batchSize}, as {@link
   *     #roundUpBatches()} says, and at least 1
   */
  public int stepsPerEpoch(int numExamples) {
    int steps =
        roundUpBatches ? (numExamples + batchSize - 1) / batchSize : numExamples / batchSize;
    return Math.max(steps, 1);
  }
}
