package org.dnnlessons.bench;

import java.util.List;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.UnrolledTraining;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.GraphFedTraining;
import org.tensorflow.Graph;
import org.tensorflow.Session;

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

    private Loop(Graph graph, Session session, Measurement.Task steps) {
      this.graph = graph;
      this.session = session;
      this.steps = steps;
    }

    @Override
    public void run() throws Exception {
      steps.run();
    }

    @Override
    public void close() {
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
   * As {@link #unrolled}, with the training split held in the graph: {@code train
   * --steps-per-run}'s fast path ({@link GraphFedTraining}), the steps' costs summed in the graph
   * as the trainer sums them.
   */
  static Loop inGraph(int batchSize, int steps, int perRun) throws Exception {
    DataSet train = data().train();
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(1L);
    Graph graph = new Graph();
    Mlp.Network net = Mlp.build(graph, options);
    GraphFedTraining fed = GraphFedTraining.build(net, options, train, perRun, batchSize);
    Session s = net.model().newSession();
    s.run(net.init());
    fed.load(s);
    return new Loop(
        graph,
        s,
        () -> {
          for (int i = 0; i < steps; i += perRun) {
            fed.run(s, train.nextBatchesIndices(perRun, batchSize, true));
          }
        });
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
   */
  public static void main(String[] args) throws Exception {
    long[] rss = residentMemory(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    System.out.println(rss[0] + " " + rss[1]);
  }

  /** The lesson MLP's training steps, for reference: batch sizes the table reports. */
  static final List<Integer> BATCH_SIZES = List.of(32, 128, 512);
}
