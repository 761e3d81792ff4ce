package org.dnnlessons.train;

/**
 * What one epoch did.
 *
 * @param epoch the epoch, counted from 0 as the notebook counts
 * @param steps training steps in this epoch
 * @param meanCost the mean of the training batches' cost over the epoch
 * @param validationAccuracy accuracy on the validation split, or NaN when not measured
 * @param seconds wall-clock time of this epoch's training loop (batches, runs, progress), not
 *     validation
 */
public record EpochSummary(
    int epoch, int steps, double meanCost, double validationAccuracy, double seconds) {

  /**
   * True when validation accuracy was measured after this epoch.
   *
   * @return true when the validation accuracy is a number, false when it was not measured
   */
  public boolean validated() {
    return !Double.isNaN(validationAccuracy);
  }
}
