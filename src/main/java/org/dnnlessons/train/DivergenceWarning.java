package org.dnnlessons.train;

import java.io.PrintStream;

/**
 * Warns once, on the first epoch whose mean cost is NaN, that training diverged (DJL's {@code
 * DivergenceCheckTrainingListener} ends training there; this one lets it finish).
 */
final class DivergenceWarning implements TrainingListener {

  private final PrintStream err;
  private boolean warned;

  /**
   * Warns on {@code err}.
   *
   * @param err where the warning goes (standard error for the CLI)
   */
  DivergenceWarning(PrintStream err) {
    this.err = err;
  }

  @Override
  public void epochFinished(EpochSummary summary) {
    if (Double.isNaN(summary.meanCost()) && !warned) {
      warned = true;
      err.println(
          "warning: the training cost became NaN in epoch "
              + summary.epoch()
              + ": training diverged; try a smaller --learning-rate or --init-stddev");
    }
  }
}
