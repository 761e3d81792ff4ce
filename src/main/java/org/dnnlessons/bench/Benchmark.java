package org.dnnlessons.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetCatalog;
import org.dnnlessons.data.IdxReader;

/**
 * The side-by-side benchmark, Java against Python in the same run: {@code java -jar
 * target/dnn-lessons.jar bench [--quick]} from the repository root. Timings are medians over
 * several repetitions after a warm-up, with their spread; the machine is described above the table.
 *
 * <p>Rows so far: loading Fashion-MNIST's 60,000 training images (gzip + parse) against numpy's
 * {@code gzip.open(...).read()} + {@code frombuffer}.
 */
public final class Benchmark {

  /**
   * How to run.
   *
   * @param quick fewer repetitions
   * @param python the Python interpreter
   * @param script the Python benchmark script
   */
  public record Options(boolean quick, Path python, Path script) {}

  private Benchmark() {}

  /** Runs every row and prints the table; returns it. */
  public static BenchmarkReport run(Options options, PrintStream out) throws Exception {
    int reps = options.quick() ? 3 : 7;
    out.println(
        "CPU: "
            + cpuModel()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores; Java "
            + System.getProperty("java.version")
            + "; Python "
            + options.python());
    out.println("Each cell: median (min-max, n) after one warm-up.");
    out.println();

    Path fashion = Path.of(DatasetCatalog.FASHION_MNIST_DIR, DataSource.TRAIN_IMAGES + ".gz");
    if (!Files.isRegularFile(fashion)) {
      throw new java.io.IOException(
          fashion
              + ": missing; run 'apt-get install"
              + " dataset-fashion-mnist' to benchmark data loading");
    }
    Measurement javaLoad = Measurement.time(1, reps, () -> IdxReader.readImages(fashion));
    Map<String, Measurement> python =
        new PythonPeer(options.python(), options.script())
            .run(List.of("--reps", Integer.toString(reps), "--fashion", fashion.toString()), 600);

    BenchmarkReport report = new BenchmarkReport();
    report.add(
        new BenchmarkReport.Row(
            "load Fashion-MNIST train images (60k, gzip)",
            javaLoad,
            python.get("load_fashion_train_images"),
            "numpy gzip + frombuffer"));
    report.print(out);
    return report;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (java.io.IOException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }
}
