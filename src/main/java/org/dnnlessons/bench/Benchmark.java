package org.dnnlessons.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetCatalog;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.IdxReader;
import org.dnnlessons.lessons.MlpLesson;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.TrainOptions;

/**
 * The side-by-side benchmark, Java against Python in the same run: {@code java -jar
 * target/dnn-lessons.jar bench [--quick]} from the repository root. Timings are medians over
 * several repetitions after a warm-up, with their spread; the machine is described above the table.
 *
 * <p>Rows so far: loading Fashion-MNIST's 60,000 training images (gzip + parse) against numpy's
 * {@code gzip.open(...).read()} + {@code frombuffer}; and the lesson's MLP test accuracy averaged
 * over seeds, Java against the notebook's code run by Python TensorFlow on the same files ({@code
 * src/test/python/lesson_mlp.py}).
 */
public final class Benchmark {

  /**
   * How to run.
   *
   * @param quick fewer repetitions
   * @param python the Python interpreter
   */
  public record Options(boolean quick, Path python) {}

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
    PythonPeer peer = new PythonPeer(options.python());
    Measurement javaLoad = Measurement.time(1, reps, () -> IdxReader.readImages(fashion));
    Map<String, double[]> python =
        peer.run(
            "bench.py",
            List.of("--reps", Integer.toString(reps), "--fashion", fashion.toString()),
            600);

    BenchmarkReport report = new BenchmarkReport();
    report.add(
        new BenchmarkReport.Row(
            "load Fashion-MNIST train images (60k, gzip)",
            javaLoad,
            new Measurement(python.get("load_fashion_train_images")),
            "numpy gzip + frombuffer"));
    report.add(inspectRow(options, reps));
    report.print(out);

    out.println();
    int seeds = options.quick() ? 2 : 5;
    out.println(
        "The lesson's MLP on the embedded digits (its own weak settings), test accuracy"
            + " over seeds 1-"
            + seeds
            + ":");
    out.println();
    double[] javaAccuracy = new double[seeds];
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    for (int seed = 1; seed <= seeds; seed++) {
      javaAccuracy[seed - 1] =
          MlpLesson.run(
                  new MlpLesson.Options(
                      Mlp.Options.lesson().withGraphSeed((long) seed),
                      TrainOptions.lesson(),
                      new EmbeddedMnist(),
                      seed),
                  quiet)
              .testAccuracy();
    }
    double[] pythonAccuracy =
        peer.run("lesson_mlp.py", List.of("--seeds", Integer.toString(seeds)), 1200)
            .get("lesson_mlp_test_accuracy");
    out.println("| | Java | Python TensorFlow |");
    out.println("|---|---|---|");
    out.println(
        "| mean test accuracy | "
            + describeAccuracy(javaAccuracy)
            + " | "
            + describeAccuracy(pythonAccuracy)
            + " |");
    out.println();
    out.printf(
        java.util.Locale.ROOT,
        "Difference of the means: %.1f points.%n",
        100 * Math.abs(mean(javaAccuracy) - mean(pythonAccuracy)));
    return report;
  }

  /**
   * Wall time of a whole {@code inspect} process (start-up included) on a lesson-sized checkpoint,
   * against Python's {@code python -m tensorflow.python.tools.inspect_checkpoint}.
   */
  static BenchmarkReport.Row inspectRow(Options options, int reps) throws Exception {
    Path dir = Files.createTempDirectory("bench-inspect");
    try {
      String prefix;
      try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
        Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
        org.dnnlessons.checkpoint.Saver saver =
            org.dnnlessons.checkpoint.Saver.builder(graph).build();
        try (org.tensorflow.Session s = net.model().newSession()) {
          s.run(net.init());
          prefix = saver.save(s, dir.resolve("model.ckpt").toString());
        }
      }
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path codeSource =
          Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> launch =
          codeSource.toString().endsWith(".jar")
              ? List.of(javaBin, "-jar", codeSource.toString())
              : List.of(
                  javaBin, "-cp", System.getProperty("java.class.path"), "org.dnnlessons.cli.Main");
      List<String> inspect = new java.util.ArrayList<>(launch);
      inspect.addAll(List.of("inspect", prefix));
      Measurement javaTime = Measurement.time(1, reps, () -> runQuietly(inspect));
      Measurement pythonTime =
          Measurement.time(
              1,
              reps,
              () ->
                  runQuietly(
                      List.of(
                          options.python().toString(),
                          "-m",
                          "tensorflow.python.tools.inspect_checkpoint",
                          "--file_name=" + prefix)));
      return new BenchmarkReport.Row(
          "inspect a checkpoint (whole process)", javaTime, pythonTime, "inspect_checkpoint");
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void runQuietly(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new java.io.IOException("benchmark command failed: " + String.join(" ", command));
    }
  }

  static double mean(double[] values) {
    return java.util.Arrays.stream(values).average().orElse(Double.NaN);
  }

  static String describeAccuracy(double[] values) {
    StringBuilder each = new StringBuilder();
    for (double v : values) {
      each.append(each.length() == 0 ? "" : ", ")
          .append(String.format(java.util.Locale.ROOT, "%.4f", v));
    }
    return String.format(java.util.Locale.ROOT, "%.4f (%s)", mean(values), each);
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
