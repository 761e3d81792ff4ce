package org.dnnlessons.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The side-by-side table the benchmark prints: one row per task, Java, Python and their ratio. */
public final class BenchmarkReport {

  /**
   * One row.
   *
   * @param task what was measured
   * @param java Java's timings, or {@code null} when not measured
   * @param python Python's timings, or {@code null} when not measured
   * @param note what the ratio means, e.g. "Python time / Java time"
   */
  public record Row(String task, Measurement java, Measurement python, String note) {

    /** Python's median time over Java's: above 1 means Java is faster. */
    public double speedup() {
      return java == null || python == null ? Double.NaN : python.median() / java.median();
    }
  }

  private final List<Row> rows = new ArrayList<>();

  /** Adds a row. */
  public void add(Row row) {
    rows.add(row);
  }

  /** The rows so far. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Prints the table, as Markdown so the README can hold it as it is. */
  public void print(PrintStream out) {
    out.println("| task | Java | Python | Java speed-up |");
    out.println("|---|---|---|---|");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s |%n",
          r.task(),
          r.java() == null ? "-" : r.java().describe(),
          r.python() == null ? "-" : r.python().describe(),
          Double.isNaN(r.speedup()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.speedup()));
    }
  }
}
