package org.dnnlessons.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Times several tasks in turn, repetition by repetition, instead of one task's repetitions and then
 * the next's: on a shared machine whose speed drifts, the tasks of one round see the same machine,
 * so the ratio of two tasks' times within a round is steadier than the ratio of their medians. The
 * order rotates from round to round, so that no task always runs first; one round before the timed
 * ones warms everything up.
 */
final class InterleavedTiming {

  /** A task that reports its own duration (a remote one measures itself). */
  interface Timed {
    /** Runs once; returns the seconds it took. */
    double seconds() throws Exception;
  }

  private InterleavedTiming() {}

  /** A local task timed with the wall clock around it. */
  static Timed wallClock(Measurement.Task task) {
    return () -> {
      long start = System.nanoTime();
      task.run();
      return (System.nanoTime() - start) / 1e9;
    };
  }

  /**
   * Runs one warm-up round and {@code rounds} timed rounds of all the tasks.
   *
   * @return each task's timings, in the order of {@code tasks}; the {@code r}-th timing of every
   *     task comes from the same round
   */
  static List<Measurement> run(int rounds, List<Timed> tasks) throws Exception {
    return run(rounds, tasks, () -> Double.NaN).times();
  }

  /**
   * The timings of {@link #run(int, List)}, and a reading of {@code probe} (such as the load
   * average) taken at the start of each timed round.
   *
   * @param times each task's timings, in the order of the tasks
   * @param atRoundStart the probe's value at the start of each timed round
   */
  record Rounds(List<Measurement> times, double[] atRoundStart) {}

  /** As {@link #run(int, List)}, reading {@code probe} at the start of each timed round. */
  static Rounds run(int rounds, List<Timed> tasks, DoubleSupplier probe) throws Exception {
    if (rounds < 1 || tasks.isEmpty()) {
      throw new IllegalArgumentException("need at least one round and one task");
    }
    int n = tasks.size();
    double[][] seconds = new double[n][rounds];
    double[] probed = new double[rounds];
    for (int round = -1; round < rounds; round++) {
      if (round >= 0) {
        probed[round] = probe.getAsDouble();
      }
      for (int k = 0; k < n; k++) {
        int task = Math.floorMod(round + k, n);
        double s = tasks.get(task).seconds();
        if (round >= 0) {
          seconds[task][round] = s;
        }
      }
    }
    List<Measurement> out = new ArrayList<>();
    for (double[] s : seconds) {
      out.add(new Measurement(s));
    }
    return new Rounds(out, probed);
  }

  /**
   * Round by round, {@code reference}'s time over {@code task}'s: above 1, {@code task} is faster.
   */
  static double[] ratios(Measurement reference, Measurement task) {
    double[] r = new double[task.seconds().length];
    for (int i = 0; i < r.length; i++) {
      r[i] = reference.seconds()[i] / task.seconds()[i];
    }
    return r;
  }

  /** A table cell of {@code steps} per second: the median, then the slowest and fastest round. */
  static String rateCell(int steps, Measurement task) {
    return String.format(
        Locale.ROOT,
        "%.0f (%.0f-%.0f)",
        steps / task.median(),
        steps / task.max(),
        steps / task.min());
  }

  /**
   * A table cell of the paired ratio ({@link #ratios}): the median, then the lowest and highest
   * round; {@code "1"} for the reference itself.
   */
  static String ratioCell(Measurement reference, Measurement task) {
    if (task == reference) {
      return "1";
    }
    Measurement r = new Measurement(ratios(reference, task));
    return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", r.median(), r.min(), r.max());
  }
}
