package org.dnnlessons.train;

import java.util.List;
import java.util.Locale;

/**
 * What a training run did.
 *
 * @param steps training steps run
 * @param runs {@code Session.run} calls that trained them (one per step, or one per {@code
 *     --steps-per-run} steps)
 * @param trainSeconds wall-clock time of the whole training loop, the first run included: making
 *     the batches, the runs, the progress report; not start-up, data loading, validation or saving
 * @param warmupSteps steps of the first run
 * @param warmupSeconds wall-clock time of the first run alone (cold: TensorFlow optimizes the graph
 *     and allocates then)
 * @param epochs one summary per epoch
 */
public record TrainingResult(
    long steps,
    long runs,
    double trainSeconds,
    int warmupSteps,
    double warmupSeconds,
    List<EpochSummary> epochs) {

  /**
   * Training steps per second once warm: the steps after the first run over the time after it (all
   * the steps over all the time when the first run was the only one).
   *
   * @return steps per second; NaN when no time was measured
   */
  public double stepsPerSecond() {
    double seconds = trainSeconds - warmupSeconds;
    if (steps > warmupSteps && seconds > 0) {
      return (steps - warmupSteps) / seconds;
    }
    return trainSeconds > 0 ? steps / trainSeconds : Double.NaN;
  }

  /**
   * The summary line {@code train} prints at the end: {@code Trained <steps> steps in <seconds> s
   * (<steps per second> steps/s after a <seconds> s warm-up)}: the whole loop's time, and its speed
   * once the first run is done; when the first run was the only one, {@code (<steps per second>
   * steps/s, in one run: the warm-up included)}.
   *
   * @return the line, e.g. {@code Trained 8580 steps in 12.34 s (712.3 steps/s after a 0.30 s
   *     warm-up)}
   */
  public String summaryLine() {
    if (steps <= warmupSteps) {
      // the first run was the only one: nothing was timed warm
      return String.format(
          Locale.ROOT,
          "Trained %d steps in %.2f s (%.1f steps/s, in one run: the warm-up included)",
          steps,
          trainSeconds,
          stepsPerSecond());
    }
    return String.format(
        Locale.ROOT,
        "Trained %d steps in %.2f s (%.1f steps/s after a %.2f s warm-up)",
        steps,
        trainSeconds,
        stepsPerSecond(),
        warmupSeconds);
  }
}
