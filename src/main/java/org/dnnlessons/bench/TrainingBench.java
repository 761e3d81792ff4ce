package org.dnnlessons.bench;

import java.util.List;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.UnrolledTraining;
import org.dnnlessons.train.Evaluator;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Java's side of the training and evaluation rows: the lesson's MLP (784-256-10, gradient descent
 * at 0.001) on the embedded digits, each step a {@code nextBatch} and one run of {@code train_op},
 * exactly the loop {@code bench.py} times in Python.
 */
public final class TrainingBench {

  private TrainingBench() {}

  /** Seconds per {@code steps} steps at {@code batchSize}, per repetition. */
  static Measurement train(int batchSize, int steps, int reps) throws Exception {
    DataSet train = data().train();
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        return Measurement.time(
            1,
            reps,
            () -> {
              for (int i = 0; i < steps; i++) {
                try (Batch b = train.nextBatch(batchSize)) {
                  s.runner()
                      .feed(net.x(), b.images())
                      .feed(net.y(), b.oneHotLabels())
                      .addTarget(net.trainOp())
                      .run()
                      .close();
                }
              }
            });
      }
    }
  }

  /**
   * Seconds per {@code steps} steps at {@code batchSize}, {@code perRun} steps to a {@code
   * Session.run} ({@link UnrolledTraining}): the same math on the same batches.
   */
  static Measurement trainUnrolled(int batchSize, int steps, int perRun, int reps)
      throws Exception {
    DataSet train = data().train();
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(1L);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      UnrolledTraining unrolled = UnrolledTraining.build(net, options, perRun, batchSize);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        return Measurement.time(
            1,
            reps,
            () -> {
              for (int i = 0; i < steps; i += perRun) {
                int[] all = new int[perRun * batchSize];
                for (int k = 0; k < perRun; k++) {
                  System.arraycopy(
                      train.nextBatchIndices(batchSize, true), 0, all, k * batchSize, batchSize);
                }
                try (Batch b = train.toBatch(all)) {
                  s.runner()
                      .feed(unrolled.xs(), b.images())
                      .feed(unrolled.ys(), b.oneHotLabels())
                      .addTarget(unrolled.trainOp())
                      .run()
                      .close();
                }
              }
            });
      }
    }
  }

  /**
   * As {@link #trainUnrolled}, with the training split held in the graph (a uint8 resource
   * variable, loaded once) and each run fed only the batches' indices: the pixels are gathered,
   * cast and scaled in the graph ({@code uint8 -> float32 * (1/255)}, the same floats as {@link
   * DataSet}'s), the labels one-hot encoded there.
   */
  static Measurement trainInGraph(int batchSize, int steps, int perRun, int reps) throws Exception {
    DataSet train = data().train();
    int n = train.numExamples();
    byte[] pixels = new byte[n * train.imageSize()];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = train.label(i);
      for (int r = 0; r < train.imageRows(); r++) {
        for (int c = 0; c < train.imageColumns(); c++) {
          pixels[i * train.imageSize() + r * train.imageColumns() + c] =
              (byte) train.pixel(i, r, c);
        }
      }
    }
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(1L);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      Ops tf = net.model().tf().withSubScope("data");
      Shape imageShape = Shape.of(n, train.imageRows(), train.imageColumns(), 1);
      var images =
          tf.withName("images")
              .varHandleOp(
                  TUint8.class, imageShape, VarHandleOp.sharedName("dnn_lessons_bench_images"));
      var classes =
          tf.withName("labels")
              .varHandleOp(
                  TInt32.class, Shape.of(n), VarHandleOp.sharedName("dnn_lessons_bench_labels"));
      var imagesIn = tf.placeholder(TUint8.class);
      var labelsIn = tf.placeholder(TInt32.class);
      Op loadImages = tf.assignVariableOp(images, imagesIn);
      Op loadLabels = tf.assignVariableOp(classes, labelsIn);
      var indices =
          tf.placeholder(TInt32.class, Placeholder.shape(Shape.of((long) perRun * batchSize)));
      var xs =
          tf.math.mul(
              tf.dtypes.cast(
                  tf.gather(tf.readVariableOp(images, TUint8.class), indices, tf.constant(0)),
                  TFloat32.class),
              tf.constant((float) (1.0 / 255.0)));
      var ys =
          tf.oneHot(
              tf.gather(tf.readVariableOp(classes, TInt32.class), indices, tf.constant(0)),
              tf.constant(10),
              tf.constant(1.0f),
              tf.constant(0.0f));
      UnrolledTraining unrolled =
          UnrolledTraining.build(
              net, options, perRun, batchSize, net.model().tf().withSubScope("unrolled"), xs, ys);
      try (Session s = net.model().newSession();
          TUint8 im = TUint8.tensorOf(imageShape, DataBuffers.of(pixels, true, false));
          TInt32 lb = TInt32.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false))) {
        s.run(net.init());
        s.runner()
            .feed(imagesIn, im)
            .feed(labelsIn, lb)
            .addTarget(loadImages)
            .addTarget(loadLabels)
            .run()
            .close();
        int[] all = new int[perRun * batchSize];
        return Measurement.time(
            1,
            reps,
            () -> {
              for (int i = 0; i < steps; i += perRun) {
                for (int k = 0; k < perRun; k++) {
                  System.arraycopy(
                      train.nextBatchIndices(batchSize, true), 0, all, k * batchSize, batchSize);
                }
                try (TInt32 ix =
                    TInt32.tensorOf(Shape.of(all.length), DataBuffers.of(all, true, false))) {
                  s.runner().feed(indices, ix).addTarget(unrolled.trainOp()).run().close();
                }
              }
            });
      }
    }
  }

  /** Seconds per accuracy run over the 2,000 test digits. */
  static Measurement evaluate(int reps) throws Exception {
    DataSet test = data().test();
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        // like Python's feed of an already converted array: the batch is built once
        try (Batch all = test.all()) {
          return Measurement.time(1, reps, () -> Evaluator.accuracy(s, net, all));
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
        long after = 0;
        long before = 0;
        for (int i = 0; i < warmup + steps; i++) {
          if (i == warmup) {
            System.gc();
            before = Rss.kilobytes();
          }
          try (Batch b = train.nextBatch(128)) {
            s.runner()
                .feed(net.x(), b.images())
                .feed(net.y(), b.oneHotLabels())
                .addTarget(net.trainOp())
                .run()
                .close();
          }
        }
        System.gc();
        after = Rss.kilobytes();
        return new long[] {before, after};
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
