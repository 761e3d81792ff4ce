package org.dnnlessons.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.UnrolledTraining;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.GraphFedTraining;
import org.dnnlessons.train.InGraphTraining;
import org.dnnlessons.train.WhileLoopTraining;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Java's side of the training and evaluation rows: the lesson's MLP (784-256-10, gradient descent
 * at 0.001) on the embedded digits, each step a {@code nextBatch} and one run of {@code train_op},
 * exactly the loop {@code bench.py} times in Python.
 */
public final class TrainingBench {

  private TrainingBench() {}

  /**
   * A training loop ready to be timed: its graph built, its variables initialized, its data loaded.
   * {@link #run()} runs the loop's {@code steps} steps.
   */
  static final class Loop implements AutoCloseable, Measurement.Task {
    private final Graph graph;
    private final Session session;
    private final Measurement.Task steps;
    private final AutoCloseable extra;

    private Loop(Graph graph, Session session, Measurement.Task steps) {
      this(graph, session, steps, null);
    }

    private Loop(Graph graph, Session session, Measurement.Task steps, AutoCloseable extra) {
      this.graph = graph;
      this.session = session;
      this.steps = steps;
      this.extra = extra;
    }

    @Override
    public void run() throws Exception {
      steps.run();
    }

    @Override
    public void close() {
      if (extra != null) {
        try {
          extra.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      session.close();
      graph.close();
    }
  }

  /** The lesson's loop: {@code steps} times a {@code nextBatch} and one run of {@code train_op}. */
  static Loop plain(int batchSize, int steps) throws Exception {
    DataSet train = data().train();
    Graph graph = new Graph();
    Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
    Session s = net.model().newSession();
    s.run(net.init());
    return new Loop(
        graph,
        s,
        () -> {
          for (int i = 0; i < steps; i++) {
            try (Batch b = train.nextBatch(batchSize)) {
              net.trainStep(s, b.images(), b.oneHotLabels());
            }
          }
        });
  }

  /**
   * {@code steps} steps at {@code batchSize}, {@code perRun} steps to a {@code Session.run} ({@link
   * UnrolledTraining}), the batches fed: the same math on the same batches.
   */
  static Loop unrolled(int batchSize, int steps, int perRun) throws Exception {
    DataSet train = data().train();
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(1L);
    Graph graph = new Graph();
    Mlp.Network net = Mlp.build(graph, options);
    UnrolledTraining unrolled = UnrolledTraining.build(net, options, perRun, batchSize);
    Session s = net.model().newSession();
    s.run(net.init());
    return new Loop(
        graph,
        s,
        () -> {
          for (int i = 0; i < steps; i += perRun) {
            try (Batch b = train.toBatch(train.nextBatchesIndices(perRun, batchSize, true))) {
              unrolled.trainSteps(s, b.images(), b.oneHotLabels());
            }
          }
        });
  }

  /**
   * Builds an in-graph training loop for the lesson's network: {@link GraphFedTraining}, {@link
   * CompiledTraining} or the benchmark's levers.
   */
  @FunctionalInterface
  interface Fed {
    InGraphTraining build(Mlp.Network net, Mlp.Options options, DataSet train, int batchSize);
  }

  /** {@link GraphFedTraining}: the lesson's graph, {@code perRun} steps per run. */
  static Fed exact(int perRun) {
    return (net, options, train, batch) ->
        GraphFedTraining.build(net, options, train, perRun, batch);
  }

  /** {@link CompiledTraining} with {@code settings}, {@code perRun} steps per run. */
  static Fed compiled(int perRun, CompiledTraining.Settings settings) {
    return (net, options, train, batch) ->
        CompiledTraining.build(net, options, train, perRun, batch, settings);
  }

  /** {@code train --jit-compile}'s steps per run, at most: 64. */
  static final int JIT_STEPS_PER_RUN = 64;

  /**
   * The steps per run {@code train --jit-compile} takes at {@code batch}: 64, or the steps of an
   * epoch when fewer (54 at batch 128, 13 at 512), so that a run never spans two epochs.
   */
  static int jitStepsPerRun(int batch) throws Exception {
    return Math.min(JIT_STEPS_PER_RUN, trainingExamples() / batch);
  }

  /** {@link WhileLoopTraining}: up to {@code perRun} steps per run in one compiled loop. */
  static Fed whileLoop(int perRun) {
    return (net, options, train, batch) ->
        WhileLoopTraining.build(net, options, train, perRun, batch);
  }

  /**
   * {@code steps} steps at {@code batchSize} by the loop {@code fed} builds, with the training
   * split held in its graph, the batches' indices fed, run after run, and the weights handed back
   * to the network at the end of each repetition, as at the end of an epoch. {@code config}, when
   * given, configures the network's session (thread pools).
   */
  static Loop fed(int batchSize, int steps, Fed fed, ConfigProto config) throws Exception {
    DataSet train = data().train();
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(1L);
    Graph graph = new Graph();
    Mlp.Network net = Mlp.build(graph, options);
    InGraphTraining loop = fed.build(net, options, train, batchSize);
    Session s = config == null ? net.model().newSession() : new Session(graph, config);
    s.run(net.init());
    loop.load(s);
    int perRun = loop.stepsPerRun();
    return new Loop(
        graph,
        s,
        () -> {
          for (int i = 0; i < steps; i += perRun) {
            loop.run(s, train.nextBatchesIndices(Math.min(perRun, steps - i), batchSize, true));
          }
          loop.takeCostSum(s);
        },
        loop instanceof AutoCloseable c ? c : null);
  }

  /**
   * As {@link #unrolled}, with the training split held in the graph: {@code train
   * --steps-per-run}'s fast path ({@link GraphFedTraining}), the steps' costs summed in the graph
   * as the trainer sums them.
   */
  static Loop inGraph(int batchSize, int steps, int perRun) throws Exception {
    return fed(batchSize, steps, exact(perRun), null);
  }

  /**
   * {@code train}'s compiled loop ({@link CompiledTraining}): the split in the graph, {@code
   * perRun} steps per run compiled by XLA into one executable, resource variables.
   */
  static Loop compiled(int batchSize, int steps, int perRun, CompiledTraining.Settings settings)
      throws Exception {
    return fed(batchSize, steps, compiled(perRun, settings), null);
  }

  /** Which Java loop a loss check trains with. */
  enum Kind {
    /** One feed and one run of {@code train_op} per step. */
    PLAIN,
    /** {@link GraphFedTraining}, 8 steps per run. */
    EXACT,
    /** {@code train --jit-compile}'s loop: {@link WhileLoopTraining}, 64 steps per run. */
    COMPILED
  }

  /**
   * The lesson's network (graph seed 1) trained by {@code kind} on the given batches ({@code
   * indices}: batch after batch, into the training split), then its mean cross-entropy on the
   * validation split: the same number from every runtime shows the same math.
   */
  static double validationLossAfter(Kind kind, int batchSize, int[] indices) throws Exception {
    return validationLossAfter(
        switch (kind) {
          case PLAIN -> null;
          case EXACT -> exact(8);
          case COMPILED -> whileLoop(jitStepsPerRun(batchSize));
        },
        batchSize,
        indices);
  }

  /**
   * As {@link #validationLossAfter(Kind, int, int[])}, trained by the loop {@code fed} builds, or
   * step by step (one feed and one run per step) when it is null.
   */
  static double validationLossAfter(Fed fed, int batchSize, int[] indices) throws Exception {
    MnistDataSets sets = data();
    DataSet train = sets.train();
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(1L);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      InGraphTraining loop = fed == null ? null : fed.build(net, options, train, batchSize);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        if (loop == null) {
          for (int at = 0; at < indices.length; at += batchSize) {
            try (Batch b = train.toBatch(Arrays.copyOfRange(indices, at, at + batchSize))) {
              net.trainStep(s, b.images(), b.oneHotLabels());
            }
          }
        } else {
          loop.load(s);
          int run = loop.stepsPerRun() * batchSize;
          for (int at = 0; at < indices.length; at += run) {
            loop.run(s, Arrays.copyOfRange(indices, at, Math.min(indices.length, at + run)));
          }
          loop.takeCostSum(s);
        }
        try (Batch v = sets.validation().all();
            Result r =
                s.runner()
                    .feed(net.x(), v.images())
                    .feed(net.y(), v.oneHotLabels())
                    .fetch(net.cost())
                    .run()) {
          return ((TFloat32) r.get(0)).getFloat();
        } finally {
          if (loop instanceof AutoCloseable c) {
            c.close();
          }
        }
      }
    }
  }

  /**
   * The initial weights of the lesson's network with graph seed 1, in variable order (W1, W2, b1,
   * b2), as raw little-endian float32: the start every peer's loss check shares.
   */
  static byte[] initialWeights() throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (var v : net.variables()) {
          try (Result r = s.runner().fetch(v.read()).run()) {
            TFloat32 t = (TFloat32) r.get(0);
            ByteBuffer b = ByteBuffer.allocate((int) t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            t.scalars().forEach(x -> b.putFloat(x.getFloat()));
            bytes.write(b.array());
          }
        }
        return bytes.toByteArray();
      }
    }
  }

  /** Images in the training split the rows train on. */
  static int trainingExamples() throws Exception {
    return data().train().numExamples();
  }

  /** The indices of {@code steps} batches from a fresh, seeded training split. */
  static int[] batches(int steps, int batchSize) throws Exception {
    return data().train().nextBatchesIndices(steps, batchSize, true);
  }

  /** Accuracy runs per timed repetition (as in {@code bench.py}): one run is a few milliseconds. */
  static final int EVAL_RUNS = 50;

  /** Seconds per {@link #EVAL_RUNS} accuracy runs over the 2,000 test digits. */
  static Measurement evaluate(int reps) throws Exception {
    DataSet test = data().test();
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        // like Python's feed of an already converted array: the batch is built once
        try (Batch all = test.all()) {
          return Measurement.time(
              1,
              reps,
              () -> {
                for (int i = 0; i < EVAL_RUNS; i++) {
                  Evaluator.accuracy(s, net, all);
                }
              });
        }
      }
    }
  }

  /**
   * Resident memory (kB) after {@code warmup} steps and after {@code steps} more: a leak of tensors
   * or native buffers shows as growth.
   */
  static long[] residentMemory(int warmup, int steps) throws Exception {
    DataSet train = data().train();
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        long before = 0;
        for (int i = 0; i < warmup + steps; i++) {
          if (i == warmup) {
            System.gc();
            before = Rss.kilobytes();
          }
          try (Batch b = train.nextBatch(128)) {
            net.trainStep(s, b.images(), b.oneHotLabels());
          }
        }
        System.gc();
        return new long[] {before, Rss.kilobytes()};
      }
    }
  }

  private static MnistDataSets data() throws Exception {
    return MnistDataSets.read(
        new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false).withSeed(1));
  }

  /**
   * Prints the resident memory (kB) after {@code args[0]} warm-up steps and after {@code args[1]}
   * more: run in a fresh JVM so the other rows do not blur it.
   *
   * @param args two integers: warm-up steps, then measured steps
   * @throws Exception when the data or the graph cannot be loaded
   */
  public static void main(String[] args) throws Exception {
    long[] rss = residentMemory(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    System.out.println(rss[0] + " " + rss[1]);
  }

  /** The lesson MLP's training steps, for reference: batch sizes the table reports. */
  static final List<Integer> BATCH_SIZES = List.of(32, 128, 512);
}
