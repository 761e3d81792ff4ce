package org.dnnlessons.train;

/** Hears about a training run as it goes; every method does nothing by default. */
public interface TrainingListener {

  /** Epoch {@code epoch} (from 0) is about to run {@code steps} steps. */
  default void epochStarted(int epoch, int steps) {}

  /** A step of the current epoch finished. */
  default void stepFinished(int stepInEpoch) {}

  /** An epoch finished (and was validated, if due). */
  default void epochFinished(EpochSummary summary) {}

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};
}
