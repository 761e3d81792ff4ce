package org.dnnlessons.train;

import java.util.List;
import java.util.Locale;

/**
 * What a training run did.
 *
 * @param steps training steps run
 * @param trainSeconds time spent in the training loop alone: not start-up, data loading or
 *     evaluation
 * @param epochs one summary per epoch
 */
public record TrainingResult(long steps, double trainSeconds, List<EpochSummary> epochs) {

  /** Training steps per second of the loop. */
  public double stepsPerSecond() {
    return trainSeconds > 0 ? steps / trainSeconds : Double.NaN;
  }

  /**
   * The summary line {@code train} prints at the end: {@code Trained <steps> steps in <seconds> s
   * (<steps per second> steps/s)}.
   */
  public String summaryLine() {
    return String.format(
        Locale.ROOT,
        "Trained %d steps in %.2f s (%.1f steps/s)",
        steps,
        trainSeconds,
        stepsPerSecond());
  }

  /** The last epoch's validation accuracy, or NaN. */
  public double finalValidationAccuracy() {
    for (int i = epochs.size() - 1; i >= 0; i--) {
      if (epochs.get(i).validated()) {
        return epochs.get(i).validationAccuracy();
      }
    }
    return Double.NaN;
  }
}
