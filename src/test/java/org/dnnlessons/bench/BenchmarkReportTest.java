package org.dnnlessons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

  private static final Measurement JAVA = new Measurement(new double[] {0.5, 0.4, 0.6});
  private static final Measurement PYTHON = new Measurement(new double[] {0.9, 0.8, 0.6});

  @Test
  void unpairedSpeedUpIsTheRatioOfTheMedians() {
    var row = new BenchmarkReport.Row("t", JAVA, PYTHON, 100, "steps/s", "n");
    assertEquals(0.8 / 0.5, row.speedup(), 1e-12);
  }

  @Test
  void pairedSpeedUpIsTheMedianOfTheRoundsRatios() {
    double[] ratios = InterleavedTiming.ratios(PYTHON, JAVA); // 1.8, 2.0, 1.0
    var row = new BenchmarkReport.Row("t", JAVA, PYTHON, 100, "steps/s", "n", ratios);
    assertEquals(1.8, row.speedup(), 1e-12);
    String table = print(row);
    assertTrue(table.contains("| 1.80x (1.00-2.00, paired) |"), table);
    assertTrue(table.contains("| 200 steps/s (167-250, n=3) |"), table);
  }

  @Test
  void rowsWithoutPythonShowADash() {
    var row = BenchmarkReport.Row.times("t", JAVA, null, "n");
    assertTrue(Double.isNaN(row.speedup()));
    assertTrue(print(row).contains("| - | - |"), print(row));
  }

  private static String print(BenchmarkReport.Row row) {
    BenchmarkReport report = new BenchmarkReport();
    report.add(row);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
