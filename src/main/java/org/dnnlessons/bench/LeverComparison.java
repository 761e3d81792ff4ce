package org.dnnlessons.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.train.WhileLoopTraining;
import org.tensorflow.proto.ConfigProto;

/**
 * The levers table: each way of running the lesson's training step that was tried for speed, as a
 * row timed in the same interleaved rounds as {@code train}'s own loop, with its paired ratio, its
 * validation loss after {@link TrainingComparison#CHECK_STEPS} steps (the same math shows as the
 * same loss) and what the rounds say of it: faster in every round, slower in every round, or within
 * the noise. {@code train} keeps a lever only when it is faster.
 *
 * <p>Levers: thread pools (intra-op 1, inter-op 1), more steps per run, resource variables on the
 * plain executor, {@code BiasAdd} (Grappler's {@code _FusedMatMul}), float32 pixels held in the
 * graph, XLA over 8 and 32 unrolled steps ({@link CompiledTraining}), and XLA over a {@code While}
 * loop of 64 steps per run ({@code train --jit-compile}, {@link WhileLoopTraining}) or of a whole
 * epoch.
 */
final class LeverComparison {

  private LeverComparison() {}

  /** One row: its label, how its loop is built, and the session's configuration (or null). */
  record Lever(String label, TrainingBench.Fed fed, ConfigProto config) {}

  /** What the rounds say of a lever against {@code train}. */
  enum Verdict {
    FASTER("faster in every round"),
    SLOWER("slower in every round"),
    NOISE("within the noise");

    private final String text;

    Verdict(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }

    /** From the rounds' ratios (lever over {@code train}, above 1: faster). */
    static Verdict of(double[] ratios) {
      Measurement m = new Measurement(ratios);
      if (m.min() > 1) {
        return FASTER;
      }
      if (m.max() < 1) {
        return SLOWER;
      }
      return NOISE;
    }
  }

  /** The levers at {@code batch}; the first is {@code train}'s own loop, the reference. */
  static List<Lever> levers(int batch) throws Exception {
    List<Lever> l = new ArrayList<>();
    l.add(new Lever("`train` (8 steps per run, the lesson's graph)", TrainingBench.exact(8), null));
    l.add(new Lever("intra-op pool of 1 thread", TrainingBench.exact(8), threads(1, 0)));
    l.add(new Lever("inter-op pool of 1 thread", TrainingBench.exact(8), threads(0, 1)));
    l.add(new Lever("32 steps per run", TrainingBench.exact(32), null));
    l.add(
        new Lever(
            "resource variables (plain executor)",
            TrainingBench.compiled(8, new CompiledTraining.Settings(false, false, false, false)),
            null));
    l.add(
        new Lever(
            "resource variables + `BiasAdd` (`_FusedMatMul`)",
            TrainingBench.compiled(8, new CompiledTraining.Settings(false, false, true, false)),
            null));
    l.add(
        new Lever(
            "resource variables + `BiasAdd` + float32 pixels in the graph",
            TrainingBench.compiled(8, new CompiledTraining.Settings(false, false, true, true)),
            null));
    l.add(
        new Lever(
            "XLA, 8 unrolled steps per run",
            TrainingBench.compiled(8, CompiledTraining.Settings.FASTEST),
            null));
    l.add(
        new Lever(
            "XLA, 32 unrolled steps per run",
            TrainingBench.compiled(32, CompiledTraining.Settings.FASTEST),
            null));
    l.add(
        new Lever(
            "XLA, 8 steps per run, float32 pixels in the graph",
            TrainingBench.compiled(8, new CompiledTraining.Settings(true, true, false, true)),
            null));
    l.add(
        new Lever(
            "XLA, a `While` loop of up to 64 steps per run, an epoch at most (`train"
                + " --jit-compile`)",
            TrainingBench.whileLoop(TrainingBench.jitStepsPerRun(batch)),
            null));
    int epoch = TrainingBench.trainingExamples() / batch;
    l.add(
        new Lever(
            "XLA, a whole epoch (" + epoch + " steps) per run in one `While` loop",
            TrainingBench.whileLoop(epoch),
            null));
    return l;
  }

  private static ConfigProto threads(int intraOp, int interOp) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOp)
        .setInterOpParallelismThreads(interOp)
        .build();
  }

  /** Prints the levers table at each batch size. */
  static void run(PrintStream out, boolean quick, List<Integer> batchSizes) throws Exception {
    int rounds = quick ? 3 : 5;
    out.println(
        "Levers: each way of running the step that was tried for speed, timed in the same"
            + " interleaved rounds as `train`'s loop (median of "
            + rounds
            + " rounds; the ratio is the median of the rounds' ratios, above 1: faster than"
            + " `train`); the loss is the validation cross-entropy after "
            + TrainingComparison.CHECK_STEPS
            + " steps from the same weights on the same batches.");
    out.println();
    out.println(
        "| batch | lever | steps/s | vs `train` (paired) | loss after "
            + TrainingComparison.CHECK_STEPS
            + " steps | rounds say |");
    out.println("|---|---|---|---|---|---|");
    List<String> loads = new ArrayList<>();
    for (int batch : batchSizes) {
      double[] atStart = measure(out, batch, Benchmark.trainingSteps(batch, quick), rounds);
      StringBuilder l = new StringBuilder();
      for (double v : atStart) {
        l.append(l.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
      }
      loads.add("batch " + batch + ": " + l);
    }
    out.println();
    out.println(
        "Load average (1 minute) at the start of each round: " + String.join("; ", loads) + ".");
  }

  /** Prints the rows of {@code batch}; returns the load average at the start of each round. */
  private static double[] measure(PrintStream out, int batch, int steps, int rounds)
      throws Exception {
    int[] indices = TrainingBench.batches(TrainingComparison.CHECK_STEPS, batch);
    List<Lever> levers = levers(batch);
    List<TrainingBench.Loop> loops = new ArrayList<>();
    try {
      double[] losses = new double[levers.size()];
      List<InterleavedTiming.Timed> tasks = new ArrayList<>();
      for (int i = 0; i < levers.size(); i++) {
        Lever l = levers.get(i);
        losses[i] = TrainingBench.validationLossAfter(l.fed(), batch, indices);
        TrainingBench.Loop loop = TrainingBench.fed(batch, steps, l.fed(), l.config());
        loops.add(loop);
        tasks.add(InterleavedTiming.wallClock(loop));
      }
      InterleavedTiming.Rounds r =
          InterleavedTiming.run(rounds, tasks, TrainingComparison::loadAverage);
      Measurement reference = r.times().get(0);
      for (int i = 0; i < levers.size(); i++) {
        Measurement m = r.times().get(i);
        out.printf(
            Locale.ROOT,
            "| %d | %s | %s | %s | %.5f | %s |%n",
            batch,
            levers.get(i).label(),
            InterleavedTiming.rateCell(steps, m),
            InterleavedTiming.ratioCell(reference, m),
            losses[i],
            i == 0 ? "reference" : Verdict.of(InterleavedTiming.ratios(reference, m)));
      }
      return r.atRoundStart();
    } finally {
      loops.forEach(TrainingBench.Loop::close);
    }
  }
}
