package org.dnnlessons.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetCatalog;
import org.dnnlessons.data.IdxReader;
import org.dnnlessons.lessons.MlpLesson;
import org.dnnlessons.nn.Mlp;

/**
 * The side-by-side benchmark, Java against Python in the same run: {@code java -jar
 * target/dnn-lessons.jar bench [--quick]} from the repository root. Every row times the same work
 * in both languages ({@code src/test/python/bench.py}, {@code first_step.py}, {@code
 * lesson_mlp.py}); each cell is the median of several repetitions after a warm-up, with the spread.
 * The machine, the thread settings and the matmul ceiling are printed above the table.
 *
 * <p>The training rows run in interleaved rounds against a Python process that keeps its sessions
 * between requests ({@link PythonTrainingServer}, {@link InterleavedTiming}): on a shared machine
 * whose speed drifts, each round's Python and Java timings see the same machine, and the speed-up
 * is the median of the rounds' ratios. Above the table, the kernel floor ({@link KernelFloor})
 * bounds what any driver of these kernels can reach at batch 128.
 *
 * <p>Rows: training steps/s of the lesson's MLP at batch 32, 128 and 512; evaluation images/s;
 * loading Fashion-MNIST's 60,000 training images; checkpoint save and restore of 64 variables of 4
 * MB next to {@code dd}; {@code inspect}; process start to the first training step. Below the
 * table: resident memory over many training steps, and the lesson's test accuracy over seeds.
 */
public final class Benchmark {

  /**
   * How to run.
   *
   * @param quick fewer repetitions and steps (about a minute)
   * @param python the Python interpreter (numpy and TensorFlow 2.21)
   * @param benchPython the interpreter of the benchmark's own environment (JAX, PyTorch), made by
   *     {@code src/test/python/ensure_bench_venv.sh}; their rows are left out when it is missing
   */
  public record Options(boolean quick, Path python, Path benchPython) {

    /**
     * With the benchmark environment's interpreter at its default place.
     *
     * @param quick fewer repetitions and steps (about a minute)
     * @param python the Python interpreter (numpy and TensorFlow 2.21)
     */
    public Options(boolean quick, Path python) {
      this(quick, python, TrainingComparison.defaultBenchPython());
    }
  }

  private Benchmark() {}

  /**
   * Prints only the levers table ({@link LeverComparison}): each way of running the training step
   * that was tried for speed, against {@code train}'s loop, at batch 32, 128 and 512.
   *
   * @param quick 3 rounds and half the steps instead of 5 and all
   * @param out where the table is printed
   * @throws Exception when a lever cannot be built or run, or the Python peer fails
   */
  public static void levers(boolean quick, PrintStream out) throws Exception {
    out.println(
        "CPU: "
            + cpuModel()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores; Java "
            + System.getProperty("java.version")
            + " (TensorFlow Java 1.1.0, runtime 2.18)");
    out.println("CPU flags: " + cpuFlags());
    out.println();
    LeverComparison.run(out, quick, TrainingBench.BATCH_SIZES);
  }

  /**
   * Runs every row and prints the table; returns it.
   *
   * @param options quick or full, and the Python interpreters
   * @param out where the table and the lines below it are printed
   * @return the table's rows, Java's and Python's timings side by side
   * @throws Exception when a row cannot run: a missing data set, a Python peer that fails to start
   *     or answer
   */
  public static BenchmarkReport run(Options options, PrintStream out) throws Exception {
    int reps = options.quick() ? 3 : 5;
    // saves stall now and then on a shared disk (0.2 s becomes 0.7 s): more repetitions keep the
    // median on the usual case
    int checkpointReps = options.quick() ? 5 : 9;
    PythonPeer peer = new PythonPeer(options.python());
    Path fashion = Path.of(DatasetCatalog.FASHION_MNIST_DIR, DataSource.TRAIN_IMAGES + ".gz");
    if (!Files.isRegularFile(fashion)) {
      throw new IOException(
          fashion
              + ": missing; run 'apt-get install"
              + " dataset-fashion-mnist' to benchmark data loading");
    }

    int trainingReps = options.quick() ? 3 : 7;
    Measurement matmul = MatmulPeak.measure(reps);
    Measurement floor = KernelFloor.measure(options.quick() ? 800 : 2000, reps);
    double peak = MatmulPeak.ceiling(matmul);
    out.println(
        "CPU: "
            + cpuModel()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores; Java "
            + System.getProperty("java.version")
            + " (TensorFlow Java 1.1.0,"
            + " runtime 2.18); Python "
            + options.python()
            + " (TensorFlow 2.21)");
    out.println("CPU flags: " + cpuFlags());
    out.println(
        "Java-versus-Python rows (below the training table): TensorFlow's default thread pools"
            + " on both sides (intra-op and inter-op sized to the cores); Python's loop is the"
            + " lesson's: a tf.compat.v1 Session, feed_dict, one run per step.");
    out.printf(
        Locale.ROOT,
        "Matmul ceiling: a 2048^3 float32 product runs at %.0f GFLOP/s here (the best of "
            + reps
            + " repetitions);"
            + " a lesson step at batch %d is %.0f MFLOP, so at most %.0f steps/s.%n",
        peak / 1e9,
        KernelFloor.BATCH,
        MatmulPeak.trainingStepFlops(KernelFloor.BATCH) / 1e6,
        peak / MatmulPeak.trainingStepFlops(KernelFloor.BATCH));
    out.printf(
        Locale.ROOT,
        "Kernel floor: the step's two large products and the update of W1 alone, chained as"
            + " training chains them, take %.0f us per step at batch %d (%.0f-%.0f): at most %.0f"
            + " steps/s on these kernels, whichever language drives them.%n",
        floor.median() * 1e6,
        KernelFloor.BATCH,
        floor.min() * 1e6,
        floor.max() * 1e6,
        1 / floor.median());
    out.println();

    Path scratch = Files.createTempDirectory("dnn-lessons-bench");
    List<String> pythonArgs =
        new ArrayList<>(
            List.of(
                "--reps",
                Integer.toString(reps),
                "--ckpt-reps",
                Integer.toString(checkpointReps),
                "--fashion",
                fashion.toString(),
                "--eval",
                "--ckpt",
                scratch.resolve("python").toString()));
    Map<String, double[]> python = peer.run("bench.py", pythonArgs, 1800);

    TrainingComparison.run(out, options.python(), options.benchPython(), options.quick(), peak);
    out.println();
    if (options.quick()) {
      out.println("The levers table is left out of --quick: `bench --levers` prints it alone.");
    } else {
      LeverComparison.run(out, false, TrainingBench.BATCH_SIZES);
    }
    out.println();

    BenchmarkReport report = new BenchmarkReport();
    report.add(
        new BenchmarkReport.Row(
            "evaluate 2,000 test digits",
            TrainingBench.evaluate(reps),
            new Measurement(python.get("eval")),
            2000.0 * TrainingBench.EVAL_RUNS,
            "images/s",
            "one run of accuracy over all of them, 50 runs per repetition"));
    report.add(
        BenchmarkReport.Row.times(
            "load Fashion-MNIST train images (60k, gzip)",
            Measurement.time(1, reps, () -> IdxReader.readImages(fashion)),
            new Measurement(python.get("load_fashion_train_images")),
            "numpy gzip + frombuffer"));
    Measurement[] ckpt = CheckpointBench.saveAndRestore(scratch.resolve("java"), checkpointReps);
    Measurement dd = CheckpointBench.dd(scratch.resolve("dd"), reps);
    double mb = CheckpointBench.BYTES / 1e6;
    report.add(
        new BenchmarkReport.Row(
            "save 64 variables of 4 MB",
            ckpt[0],
            new Measurement(python.get("ckpt_save")),
            mb,
            "MB/s",
            String.format(
                Locale.ROOT, "each after a sync; dd writes %.0f MB/s", mb / dd.median())));
    report.add(
        new BenchmarkReport.Row(
            "restore 64 variables of 4 MB",
            ckpt[1],
            new Measurement(python.get("ckpt_restore")),
            mb,
            "MB/s",
            "from the page cache"));
    report.add(InspectBench.row(options.python(), reps));
    report.add(
        BenchmarkReport.Row.times(
            "process start to first training step",
            ProcessTimer.time(reps, ProcessTimer.javaCommand(FirstStep.class.getName())),
            ProcessTimer.time(
                reps,
                List.of(
                    options.python().toString(),
                    PythonPeer.SCRIPTS.resolve("first_step.py").toString())),
            "read data, build, init, one step"));
    out.println(
        "Java against Python TensorFlow, task by task. Each cell: median (spread over the"
            + " repetitions, n) after one warm-up.");
    out.println();
    report.print(out);
    Files.deleteIfExists(scratch);

    out.println();
    int memorySteps = options.quick() ? 5_000 : 20_000;
    long[] rss =
        ProcessTimer.output(
            ProcessTimer.javaCommand(
                TrainingBench.class.getName(), "1000", Integer.toString(memorySteps)));
    out.printf(
        Locale.ROOT,
        "Memory: resident set %d MB after 1,000 warm-up steps, %d MB after"
            + " %,d more (%+.1f%%).%n",
        rss[0] / 1024,
        rss[1] / 1024,
        memorySteps,
        100.0 * (rss[1] - rss[0]) / rss[0]);

    out.println();
    int seeds = options.quick() ? 2 : 5;
    double[] javaAccuracy = new double[seeds];
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    for (int seed = 1; seed <= seeds; seed++) {
      javaAccuracy[seed - 1] =
          MlpLesson.run(
                  MlpLesson.Options.lesson()
                      .withNetwork(Mlp.Options.lesson().withGraphSeed((long) seed))
                      .withDataSeed(seed),
                  quiet)
              .testAccuracy();
    }
    double[] pythonAccuracy =
        peer.run("lesson_mlp.py", List.of("--seeds", Integer.toString(seeds)), 1200)
            .get("lesson_mlp_test_accuracy");
    out.println(
        "The lesson's MLP with its own settings on the embedded digits, test accuracy,"
            + " seeds 1-"
            + seeds
            + " (Python runs the notebook's code on the same files):");
    out.println();
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
        Locale.ROOT,
        "Difference of the means: %.1f points.%n",
        100 * Math.abs(mean(javaAccuracy) - mean(pythonAccuracy)));
    return report;
  }

  /** Steps per timed repetition at {@code batch}: about half a second on a 2-core machine. */
  static int trainingSteps(int batch, boolean quick) {
    int steps = batch >= 512 ? 250 : 1000;
    return quick ? steps / 2 : steps;
  }

  static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }

  static String describeAccuracy(double[] values) {
    StringBuilder each = new StringBuilder();
    for (double v : values) {
      each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v));
    }
    return String.format(Locale.ROOT, "%.4f (%s)", mean(values), each);
  }

  /**
   * The CPU's vector extensions that decide TensorFlow's kernels: {@code avx512f}, {@code avx2},
   * {@code fma} present or not (from {@code /proc/cpuinfo}).
   */
  static String cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
          StringBuilder b = new StringBuilder();
          for (String f : List.of("avx512f", "avx2", "fma")) {
            b.append(b.length() == 0 ? "" : ", ")
                .append(f)
                .append(flags.contains(f) ? " yes" : " no");
          }
          return b.toString();
        }
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    return "unknown";
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }
}
