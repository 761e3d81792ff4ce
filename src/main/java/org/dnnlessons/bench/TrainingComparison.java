package org.dnnlessons.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The training table: {@code train} against the other ways to train the lesson's network on a CPU
 * in 2026, in the same rounds: Java's own loops, the lesson's {@code tf.compat.v1} loop, TF 2
 * {@code tf.function} (with and without XLA), JAX ({@code jit}, and {@code lax.scan} over 8 steps)
 * and PyTorch (eager, {@code torch.compile}) and DJL on PyTorch, each run only where its runtime is
 * present (JAX and PyTorch in the benchmark's own Python environment, {@code
 * src/test/python/ensure_bench_venv.sh}; DJL in its own Maven build, {@link DjlPeerJar}).
 *
 * <p>Every runtime trains the same network (784-256-10, float32, gradient descent at 0.001, mean
 * softmax cross-entropy) on the same 7,000 embedded digits at batch 32, 128 and 512. The rows of a
 * batch size are timed in interleaved rounds ({@link InterleavedTiming}), the order rotating, so a
 * drifting machine hits all of them alike; the ratio to {@code train} is the median of the rounds'
 * ratios. To show the math is the same, each row also trains 100 steps from the same initial
 * weights on the same batches and reports the validation loss after them.
 */
final class TrainingComparison {

  /** Steps of the loss check. */
  static final int CHECK_STEPS = 100;

  /** The benchmark environment's interpreter (JAX, PyTorch), unless given. */
  static Path defaultBenchPython() {
    String env = System.getenv("DNN_LESSONS_BENCH_PYTHON");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "dnn-lessons", "venv-bench", "bin")
        .resolve("python");
  }

  /** One row: a label, a timed task and its loss check. */
  private record Entry(String label, InterleavedTiming.Timed task, Callable<Double> loss) {}

  /** A peer in another process: its name in the protocol ({@code bench_peers.py}), its label. */
  private record Peer(String name, String label, PythonTrainingServer server) {}

  /** The result of one batch size, for the README and the tests of the printing. */
  record Result(int batch, List<String> labels, List<Measurement> times, double[] loads) {}

  private final List<PythonTrainingServer> servers = new ArrayList<>();
  private final List<Peer> peers = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> runtimes = new LinkedHashMap<>();

  TrainingComparison() {}

  /**
   * Prints the training table.
   *
   * @param tfPython the interpreter with TensorFlow 2.21 (the lesson's loop, {@code tf.function})
   * @param benchPython the interpreter with JAX and PyTorch; rows left out (with a line saying so)
   *     when it is missing
   * @param quick fewer steps and rounds, and no {@code torch.compile} (its compilation alone takes
   *     longer than the rest)
   * @param peak the machine's matmul rate, FLOP/s
   */
  static void run(PrintStream out, Path tfPython, Path benchPython, boolean quick, double peak)
      throws Exception {
    run(out, tfPython, benchPython, quick, peak, TrainingBench.BATCH_SIZES);
  }

  /** As above, at the given batch sizes. */
  static void run(
      PrintStream out,
      Path tfPython,
      Path benchPython,
      boolean quick,
      double peak,
      List<Integer> batchSizes)
      throws Exception {
    TrainingComparison c = new TrainingComparison();
    try {
      c.startPeers(tfPython, benchPython, quick, DjlPeerJar.JAR);
      int rounds = quick ? 3 : 7;
      out.println(
          "Training the lesson's network (784-256-10, float32, gradient descent at 0.001) on the"
              + " 7,000 embedded training digits, each runtime as its users write it. Each cell:"
              + " the median of "
              + rounds
              + " interleaved rounds (the order rotating, one warm-up round first); the ratio to"
              + " `train` is the median of the rounds' ratios (above 1: faster than `train`);"
              + " the loss is the validation cross-entropy after "
              + CHECK_STEPS
              + " steps from the same initial weights on the same batches.");
      out.println("Runtimes: " + c.describeRuntimes());
      out.println(
          "Threads: every runtime's defaults (TensorFlow's pools sized to the cores, PyTorch's"
              + " OpenMP threads, in Python and under DJL, with OMP_WAIT_POLICY=PASSIVE so that its"
              + " waiting threads do not spin against the working one; DJL's intra-op threads set"
              + " to the processors, ai.djl.pytorch.num_threads).");
      for (String note : c.notes) {
        out.println(note);
      }
      out.println();
      out.println(
          "| batch | runtime | steps/s | vs `train` (paired) | loss after "
              + CHECK_STEPS
              + " steps | of the matmul bound |");
      out.println("|---|---|---|---|---|---|");
      List<String> fastest = new ArrayList<>();
      List<String> loads = new ArrayList<>();
      for (int batch : batchSizes) {
        Result r = c.measure(out, batch, Benchmark.trainingSteps(batch, quick), rounds, peak);
        int best = 0;
        for (int i = 1; i < r.times().size(); i++) {
          if (r.times().get(i).median() < r.times().get(best).median()) {
            best = i;
          }
        }
        fastest.add(String.format(Locale.ROOT, "batch %d: %s", batch, r.labels().get(best)));
        StringBuilder l = new StringBuilder();
        for (double v : r.loads()) {
          l.append(l.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        loads.add("batch " + batch + ": " + l);
      }
      out.println();
      out.println("Fastest (median steps/s): " + String.join("; ", fastest) + ".");
      out.println(
          "Load average (1 minute) at the start of each round: " + String.join("; ", loads) + ".");
    } finally {
      c.close();
    }
  }

  /**
   * Starts the peers of other processes: Python's (TensorFlow, JAX, PyTorch) and DJL's ({@code
   * djlJar}); each runtime that is missing or fails to start becomes a note instead of rows.
   */
  void startPeers(Path tfPython, Path benchPython, boolean quick, Path djlJar) {
    startPythonPeers(tfPython, benchPython, quick);
    startDjl(djlJar);
  }

  private void startPythonPeers(Path tfPython, Path benchPython, boolean quick) {
    List<String[]> lesson = new ArrayList<>();
    lesson.add(new String[] {"lesson", "the lesson's tf.compat.v1 loop (Python)"});
    start(tfPython, lesson);
    start(
        tfPython,
        List.of(
            new String[] {"tf_function", "TF 2 `tf.function`, 8 steps per call"},
            new String[] {
              "tf_function_xla", "TF 2 `tf.function(jit_compile=True)`, 8 steps per call"
            }));
    if (!Files.isExecutable(benchPython)) {
      notes.add(
          "JAX and PyTorch rows left out: no "
              + benchPython
              + " (create it with `bash src/test/python/ensure_bench_venv.sh`).");
      return;
    }
    start(
        benchPython,
        List.of(
            new String[] {"jax_jit", "JAX `jit`, 1 step per call"},
            new String[] {"jax_scan", "JAX `lax.scan`, 8 steps per call"}));
    List<String[]> torch = new ArrayList<>();
    torch.add(new String[] {"torch_eager", "PyTorch eager"});
    if (quick) {
      notes.add("`torch.compile` left out of --quick: compiling it takes longer than the rest.");
    } else {
      torch.add(new String[] {"torch_compile", "PyTorch `torch.compile`"});
    }
    start(benchPython, torch);
  }

  /** Starts one server for {@code named} peers (name, label); a failure becomes a note. */
  private void start(Path python, List<String[]> named) {
    List<String> names = named.stream().map(n -> n[0]).toList();
    start(
        () -> PythonTrainingServer.start(python, Path.of("data", "mnist"), names),
        python.toString(),
        named);
  }

  /**
   * Adds the DJL row when {@code jar} ({@link DjlPeerJar#JAR}) has been built; otherwise a note
   * saying how to build it.
   */
  void startDjl(Path jar) {
    if (!Files.isRegularFile(jar)) {
      notes.add(DjlPeerJar.missing(jar));
      return;
    }
    start(
        () -> DjlPeerJar.start(jar, Path.of("data", "mnist")),
        jar.toString(),
        List.<String[]>of(new String[] {DjlPeerJar.NAME, DjlPeerJar.LABEL}));
  }

  /** How a peer's server starts. */
  private interface ServerStart {
    PythonTrainingServer start() throws IOException;
  }

  private void start(ServerStart how, String where, List<String[]> named) {
    List<String> names = named.stream().map(n -> n[0]).toList();
    PythonTrainingServer server = null;
    try {
      server = how.start();
      servers.add(server);
      runtimes.putIfAbsent(server.describe(names.get(0)), where);
      for (String[] n : named) {
        peers.add(new Peer(n[0], n[1], server));
      }
    } catch (IOException e) {
      notes.add("Rows " + names + " left out: " + e.getMessage());
    }
  }

  /** The lines printed above the table (rows left out, and why). */
  List<String> notes() {
    return notes;
  }

  /** The labels of the rows served by other processes, in the table's order. */
  List<String> peerLabels() {
    return peers.stream().map(Peer::label).toList();
  }

  /** The runtimes of those rows, as their servers describe them, with where each came from. */
  Map<String, String> runtimes() {
    return runtimes;
  }

  private String describeRuntimes() {
    List<String> each = new ArrayList<>();
    each.add("Java " + System.getProperty("java.version") + " with TensorFlow Java 1.1.0");
    runtimes.forEach((what, python) -> each.add(what + " (" + python + ")"));
    return String.join("; ", each) + ".";
  }

  private Result measure(PrintStream out, int batch, int steps, int rounds, double peak)
      throws Exception {
    Path dir = Files.createTempDirectory("dnn-lessons-bench-check");
    List<TrainingBench.Loop> loops = new ArrayList<>();
    try {
      int[] indices = TrainingBench.batches(CHECK_STEPS, batch);
      Path weights = dir.resolve("weights.f32");
      Files.write(weights, TrainingBench.initialWeights());
      Path indexFile = dir.resolve("indices.i32");
      ByteBuffer ix = ByteBuffer.allocate(indices.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i : indices) {
        ix.putInt(i);
      }
      Files.write(indexFile, ix.array());

      List<Entry> entries = new ArrayList<>();
      TrainingBench.Loop exact = TrainingBench.inGraph(batch, steps, 8);
      loops.add(exact);
      entries.add(
          new Entry(
              "`train` (Java; the lesson's graph, bit-identical to Python's; 8 steps per run)",
              InterleavedTiming.wallClock(exact),
              () -> TrainingBench.validationLossAfter(TrainingBench.Kind.EXACT, batch, indices)));
      TrainingBench.Loop compiled =
          TrainingBench.fed(
              batch, steps, TrainingBench.whileLoop(TrainingBench.jitStepsPerRun(batch)), null);
      loops.add(compiled);
      entries.add(
          new Entry(
              "`train --jit-compile` (Java; XLA, a `While` loop of up to 64 steps per run, an"
                  + " epoch at most)",
              InterleavedTiming.wallClock(compiled),
              () ->
                  TrainingBench.validationLossAfter(TrainingBench.Kind.COMPILED, batch, indices)));
      TrainingBench.Loop plain = TrainingBench.plain(batch, steps);
      loops.add(plain);
      entries.add(
          new Entry(
              "Java, the lesson's loop (1 step per run)",
              InterleavedTiming.wallClock(plain),
              () -> TrainingBench.validationLossAfter(TrainingBench.Kind.PLAIN, batch, indices)));
      for (Peer p : peers) {
        entries.add(
            new Entry(
                p.label(),
                () -> p.server().train(p.name(), batch, steps),
                () -> p.server().validationLossAfter(p.name(), batch, weights, indexFile)));
      }
      double[] losses = new double[entries.size()];
      for (int i = 0; i < entries.size(); i++) {
        losses[i] = entries.get(i).loss().call();
      }
      InterleavedTiming.Rounds r =
          InterleavedTiming.run(
              rounds, entries.stream().map(Entry::task).toList(), TrainingComparison::loadAverage);
      Measurement reference = r.times().get(0);
      double bound = peak / MatmulPeak.trainingStepFlops(batch);
      for (int i = 0; i < entries.size(); i++) {
        Measurement m = r.times().get(i);
        out.printf(
            Locale.ROOT,
            "| %d | %s | %s | %s | %.5f | %.0f%% |%n",
            batch,
            entries.get(i).label(),
            InterleavedTiming.rateCell(steps, m),
            InterleavedTiming.ratioCell(reference, m),
            losses[i],
            100 * steps / m.median() / bound);
      }
      return new Result(
          batch, entries.stream().map(Entry::label).toList(), r.times(), r.atRoundStart());
    } finally {
      loops.forEach(TrainingBench.Loop::close);
      for (Path p : List.of(dir.resolve("weights.f32"), dir.resolve("indices.i32"), dir)) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The one-minute load average, or NaN where {@code /proc/loadavg} is missing. */
  static double loadAverage() {
    try {
      String line = Files.readString(Path.of("/proc/loadavg"));
      return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  void close() throws IOException {
    for (PythonTrainingServer s : servers) {
      s.close();
    }
  }
}
