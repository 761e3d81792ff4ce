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

  /** Validates: at least one timing. */
  public Measurement {
    if (seconds.length == 0) {
      throw new IllegalArgumentException("a measurement needs at least one timing");
    }
    seconds = seconds.clone();
  }

  /** Builds from a list of timings. */
  public static Measurement of(List<Double> seconds) {
    return new Measurement(seconds.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The median timing. */
  public double median() {
    double[] s = seconds.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The fastest timing. */
  public double min() {
    return Arrays.stream(seconds).min().orElseThrow();
  }

  /** The slowest timing. */
  public double max() {
    return Arrays.stream(seconds).max().orElseThrow();
  }

  /** "0.412 s (0.405-0.430, n=5)". */
  public String describe() {
    return String.format(
        Locale.ROOT, "%.3f s (%.3f-%.3f, n=%d)", median(), min(), max(), seconds.length);
  }

  /**
   * Times {@code task} {@code warmups + repetitions} times and keeps the last {@code repetitions}.
   */
  public static Measurement time(int warmups, int repetitions, Task task) throws Exception {
    return time(warmups, repetitions, () -> {}, task);
  }

  /**
   * As {@link #time(int, int, Task)}, running {@code before} untimed ahead of every run of {@code
   * task}, warm-ups included.
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
    /** Runs once. */
    void run() throws Exception;
  }
}
