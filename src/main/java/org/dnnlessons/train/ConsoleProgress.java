package org.dnnlessons.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dnnlessons.format.PythonFloat;

/**
 * Shows training progress: on a terminal, a progress bar per epoch with steps/s and the time left
 * (drawn on standard error by the {@code progressbar} library); elsewhere (CI, pipes) nothing per
 * step. Either way the epoch lines go to {@code lines}.
 */
public final class ConsoleProgress implements TrainingListener {

  private final boolean terminal;
  private final PrintStream barStream;
  private final Consumer<EpochSummary> epochLine;
  private ProgressBar bar;

  /**
   * Shows progress on a terminal or only the epoch lines.
   *
   * @param terminal draw bars (usually {@code System.console() != null})
   * @param barStream where bars are drawn (standard error)
   * @param epochLine prints one line per finished epoch
   */
  public ConsoleProgress(
      boolean terminal, PrintStream barStream, Consumer<EpochSummary> epochLine) {
    this.terminal = terminal;
    this.barStream = barStream;
    this.epochLine = epochLine;
  }

  /**
   * Bars when standard output is a terminal, {@link #epochLine} lines to {@code out}.
   *
   * @param out where the epoch lines go; the bars are drawn on standard error, and only when a
   *     console is attached
   * @return a listener for {@code TrainingRun}; with no terminal, no bar is drawn
   */
  public static ConsoleProgress forConsole(PrintStream out) {
    return new ConsoleProgress(
        System.console() != null, System.err, s -> out.println(epochLine(s)));
  }

  /**
   * The line {@code train} prints after an epoch: {@code Epoch 3 - cost: 0.165716 - Validation
   * Accuracy: 0.9410} (the accuracy only when measured).
   *
   * @param s the epoch's summary
   * @return the line, without a line break
   */
  public static String epochLine(EpochSummary s) {
    // numbers as Python prints them: a diverged run's cost is nan, not Java's NaN
    String line =
        String.format(Locale.ROOT, "Epoch %-3d - cost: ", s.epoch())
            + PythonFloat.fixed(s.meanCost(), 6);
    if (s.validated()) {
      line += " - Validation Accuracy: " + PythonFloat.fixed(s.validationAccuracy(), 4);
    }
    return line;
  }

  @Override
  public void epochStarted(int epoch, int steps) {
    if (terminal) {
      bar =
          new ProgressBarBuilder()
              // counted as the epoch lines count, from 0 as the notebook's loop does
              .setTaskName(String.format(Locale.ROOT, "Epoch %d", epoch))
              .setInitialMax(steps)
              .setStyle(ProgressBarStyle.ASCII)
              .showSpeed()
              .setUnit(" steps", 1)
              .setConsumer(new ConsoleProgressBarConsumer(barStream))
              .build();
    }
  }

  @Override
  public void stepFinished(int stepInEpoch) {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public void epochFinished(EpochSummary summary) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    epochLine.accept(summary);
  }
}
