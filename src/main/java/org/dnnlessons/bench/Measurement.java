package org.dnnlessons.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Repeated timings of one task, in seconds: reported as the median with the spread (min to max).
 *
 * @param seconds the timing of each repetition, warm-up excluded
 */
public record Measurement(double[] seconds) {

  /**
   * Validates: at least one timing.
   *
   * @param seconds the timing of each repetition, in seconds; at least one; copied
   * @throws IllegalArgumentException for no timing
   */
  public Measurement {
    if (seconds.length == 0) {
      throw new IllegalArgumentException("a measurement needs at least one timing");
    }
    seconds = seconds.clone();
  }

  /**
   * Builds from a list of timings.
   *
   * @param seconds the timings, in seconds; at least one
   * @return the measurement
   */
  public static Measurement of(List<Double> seconds) {
    return new Measurement(seconds.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The median timing.
   *
   * @return the median, in seconds (the mean of the middle two for an even count)
   */
  public double median() {
    double[] s = seconds.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * The fastest timing.
   *
   * @return the fastest timing, in seconds
   */
  public double min() {
    return Arrays.stream(seconds).min().orElseThrow();
  }

  /**
   * The slowest timing.
   *
   * @return the slowest timing, in seconds
   */
  public double max() {
    return Arrays.stream(seconds).max().orElseThrow();
  }

  /**
   * "0.412 s (0.405-0.430, n=5)".
   *
   * @return the median with the spread, e.g. {@code 0.412 s (0.405-0.430, n=5)}
   */
  public String describe() {
    return String.format(
        Locale.ROOT, "%.3f s (%.3f-%.3f, n=%d)", median(), min(), max(), seconds.length);
  }

  /**
   * Times {@code task} {@code warmups + repetitions} times and keeps the last {@code repetitions}.
   *
   * @param warmups untimed runs first, {@code >= 0}
   * @param repetitions timed runs, {@code >= 1}
   * @param task what to time
   * @return the timed runs' seconds, by {@code System.nanoTime}
   * @throws Exception what {@code task} throws; the timing stops there
   */
  public static Measurement time(int warmups, int repetitions, Task task) throws Exception {
    return time(warmups, repetitions, () -> {}, task);
  }

  /**
   * As {@link #time(int, int, Task)}, running {@code before} untimed ahead of every run of {@code
   * task}, warm-ups included.
   *
   * @param warmups untimed runs first, {@code >= 0}
   * @param repetitions timed runs, {@code >= 1}
   * @param before run untimed before each run of {@code task} (e.g. to reset state)
   * @param task what to time
   * @return the timed runs' seconds, by {@code System.nanoTime}
   * @throws Exception what {@code before} or {@code task} throws; the timing stops there
   */
  public static Measurement time(int warmups, int repetitions, Task before, Task task)
      throws Exception {
    double[] s = new double[repetitions];
    for (int i = -warmups; i < repetitions; i++) {
      before.run();
      long start = System.nanoTime();
      task.run();
      if (i >= 0) {
        s[i] = (System.nanoTime() - start) / 1e9;
      }
    }
    return new Measurement(s);
  }

  /** Something to time. */
  public interface Task {
    /**
     * Runs once.
     *
     * @throws Exception anything; the measurement fails with it
     */
    void run() throws Exception;
  }
}
