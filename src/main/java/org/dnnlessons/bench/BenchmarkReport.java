package org.dnnlessons.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side table the benchmark prints, as Markdown so the performance page
 * (src/site/markdown/performance.md) can hold it as it is: one row per task with Java's and
 * Python's medians (and spread), and Java's speed-up.
 */
public final class BenchmarkReport {

  /**
   * One row.
   *
   * @param task what was measured
   * @param java Java's timings (seconds per repetition), or {@code null}
   * @param python Python's timings, or {@code null}
   * @param work units of work per repetition, to show a rate ({@code work / seconds}); 0 to show
   *     seconds
   * @param unit the rate's unit, e.g. {@code steps/s}
   * @param note anything else the row needs, e.g. the fraction of a hardware limit
   * @param pairedSpeedups for tasks timed in interleaved rounds ({@link InterleavedTiming}), each
   *     round's Python time over Java's; {@code null} when the two sides ran one after the other
   */
  public record Row(
      String task,
      Measurement java,
      Measurement python,
      double work,
      String unit,
      String note,
      double[] pairedSpeedups) {

    /**
     * Copies the ratios.
     *
     * @param task what was timed, e.g. {@code training step, batch 128}
     * @param java Java's timings
     * @param python Python's timings, or {@code null}
     * @param work units of work per repetition; 0 to show seconds
     * @param unit the rate's unit, e.g. {@code steps/s}
     * @param note anything else the row needs, or {@code ""}
     * @param pairedSpeedups each interleaved round's Python time over Java's, or {@code null};
     *     copied
     */
    public Row {
      pairedSpeedups = pairedSpeedups == null ? null : pairedSpeedups.clone();
    }

    /**
     * A row whose two sides ran one after the other.
     *
     * @param task what was timed
     * @param java Java's timings
     * @param python Python's timings, or {@code null}
     * @param work units of work per repetition; 0 to show seconds
     * @param unit the rate's unit, e.g. {@code steps/s}
     * @param note anything else the row needs, or {@code ""}
     */
    public Row(
        String task, Measurement java, Measurement python, double work, String unit, String note) {
      this(task, java, python, work, unit, note, null);
    }

    /**
     * A row of times in seconds.
     *
     * @param task what was timed
     * @param java Java's timings
     * @param python Python's timings, or {@code null}
     * @param note anything else the row needs, or {@code ""}
     * @return a row with no rate: work 0, unit {@code s}
     */
    public static Row times(String task, Measurement java, Measurement python, String note) {
      return new Row(task, java, python, 0, "s", note);
    }

    /**
     * Above 1 means Java is faster: the median of the rounds' ratios for interleaved rows, else
     * Python's median time over Java's.
     *
     * @return the speedup of Java over Python; NaN when the row has no Python side
     */
    public double speedup() {
      if (pairedSpeedups != null) {
        return new Measurement(pairedSpeedups).median();
      }
      return java == null || python == null ? Double.NaN : python.median() / java.median();
    }

    String describeSpeedup() {
      if (pairedSpeedups != null) {
        Measurement m = new Measurement(pairedSpeedups);
        return String.format(
            Locale.ROOT, "%.2fx (%.2f-%.2f, paired)", m.median(), m.min(), m.max());
      }
      return Double.isNaN(speedup()) ? "-" : String.format(Locale.ROOT, "%.2fx", speedup());
    }

    String describe(Measurement m) {
      if (m == null) {
        return "-";
      }
      if (work <= 0) {
        return m.describe();
      }
      return String.format(
          Locale.ROOT,
          "%s %s (%s-%s, n=%d)",
          number(work / m.median()),
          unit,
          number(work / m.max()),
          number(work / m.min()),
          m.seconds().length);
    }

    private static String number(double v) {
      return v >= 100
          ? String.format(Locale.ROOT, "%.0f", v)
          : String.format(Locale.ROOT, "%.1f", v);
    }
  }

  private final List<Row> rows = new ArrayList<>();

  /** Creates an empty report; {@link #add} its rows. */
  public BenchmarkReport() {}

  /**
   * Adds a row.
   *
   * @param row the row, printed in the order added
   */
  public void add(Row row) {
    rows.add(row);
  }

  /**
   * The rows so far.
   *
   * @return an unmodifiable list of the rows, in the order added
   */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /**
   * Prints the table.
   *
   * @param out where the table is printed, one line per row with the speedup
   */
  public void print(PrintStream out) {
    out.println("| task | Java | Python | Java speed-up | notes |");
    out.println("|---|---|---|---|---|");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s |%n",
          r.task(),
          r.describe(r.java()),
          r.describe(r.python()),
          r.describeSpeedup(),
          r.note() == null ? "" : r.note());
    }
  }
}
