package org.dnnlessons.train;

/** Hears about a training run as it goes; every method does nothing by default. */
public interface TrainingListener {

  /**
   * Epoch {@code epoch} (from 0) is about to run {@code steps} steps.
   *
   * @param epoch the epoch's number, from 0
   * @param steps the steps it will run, {@code >= 1}
   */
  default void epochStarted(int epoch, int steps) {}

  /**
   * A step of the current epoch finished.
   *
   * @param stepInEpoch the step just finished, from 1 to the epoch's steps
   */
  default void stepFinished(int stepInEpoch) {}

  /**
   * An epoch finished (and was validated, if due).
   *
   * @param summary the epoch's cost and, when validated, its validation accuracy
   * @throws Exception to end training (e.g. a checkpoint that could not be saved); it reaches the
   *     caller of {@link Trainer#train}
   */
  default void epochFinished(EpochSummary summary) throws Exception {}

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};
}
