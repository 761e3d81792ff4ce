package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.UnrolledTraining;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The fast training path: the training split held in the graph (its pixels as uint8 and its labels,
 * in two resource variables, loaded once) and {@code k} steps per {@code Session.run}, each run fed
 * only the indices of its {@code k} batches. The pixels are gathered, cast and scaled in the graph
 * ({@code uint8 -> float32 * (1/255)}, the very floats {@link DataSet} makes), the labels one-hot
 * encoded there, and the steps are the network's own ({@link UnrolledTraining}): on the same
 * batches the weights end bit-identical to the plain path's ({@code GraphFedTrainingTest}).
 *
 * <p>A run may cover fewer than {@code k} batches (the last steps of an epoch): it then runs only
 * the first unrolled steps, so the whole epoch stays in the graph.
 *
 * <p>The data variables are resource variables, not {@code VariableV2}: checkpoints of the network
 * do not include them.
 */
public final class GraphFedTraining implements InGraphTraining {

  private final DataSet data;
  private final UnrolledTraining steps;
  private final Placeholder<TInt32> indices;
  private final Placeholder<TUint8> pixelsIn;
  private final Placeholder<TInt32> labelsIn;
  private final Op loadPixels;
  private final Op loadLabels;

  /** The {@code j}-th adds the costs of the first {@code j + 1} steps to the running sum. */
  private final List<Op> accumulateCost;

  private final Operand<TFloat64> costSum;
  private final Op resetCost;

  private GraphFedTraining(
      DataSet data,
      UnrolledTraining steps,
      Placeholder<TInt32> indices,
      Placeholder<TUint8> pixelsIn,
      Placeholder<TInt32> labelsIn,
      Op loadPixels,
      Op loadLabels,
      List<Op> accumulateCost,
      Operand<TFloat64> costSum,
      Op resetCost) {
    this.data = data;
    this.steps = steps;
    this.indices = indices;
    this.pixelsIn = pixelsIn;
    this.labelsIn = labelsIn;
    this.loadPixels = loadPixels;
    this.loadLabels = loadLabels;
    this.accumulateCost = accumulateCost;
    this.costSum = costSum;
    this.resetCost = resetCost;
  }

  /**
   * Adds the data variables and {@code stepsPerRun} unrolled steps to {@code net}'s graph.
   *
   * @param net the network to train, without dropout
   * @param options the options {@code net} was built with (learning rate, optimizer)
   * @param data the training split, stored once in graph variables
   * @param stepsPerRun the most steps one run takes ({@code k}), {@code >= 1}
   * @param batchSize examples per step, {@code >= 1}
   * @return the training, added to {@code net}'s graph; call {@link #load} before the first run
   * @throws IllegalArgumentException for a network with dropout or sizes below 1
   */
  public static GraphFedTraining build(
      Mlp.Network net, Mlp.Options options, DataSet data, int stepsPerRun, int batchSize) {
    Ops tf = net.model().tf().withSubScope("data");
    int n = data.numExamples();
    Shape imageShape = Shape.of(n, data.imageRows(), data.imageColumns(), 1);
    var images =
        tf.withName("images")
            .varHandleOp(
                TUint8.class,
                imageShape,
                VarHandleOp.sharedName(tf.scope().makeUnique("dnn_lessons_images")));
    var classes =
        tf.withName("labels")
            .varHandleOp(
                TInt32.class,
                Shape.of(n),
                VarHandleOp.sharedName(tf.scope().makeUnique("dnn_lessons_labels")));
    Placeholder<TUint8> pixelsIn =
        tf.withName("pixels_in").placeholder(TUint8.class, Placeholder.shape(imageShape));
    Placeholder<TInt32> labelsIn =
        tf.withName("labels_in").placeholder(TInt32.class, Placeholder.shape(Shape.of(n)));
    Op loadPixels = tf.assignVariableOp(images, pixelsIn);
    Op loadLabels = tf.assignVariableOp(classes, labelsIn);
    Placeholder<TInt32> indices =
        tf.withName("batch_indices")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of((long) stepsPerRun * batchSize)));
    Operand<TFloat32> xs =
        tf.math.mul(
            tf.dtypes.cast(
                tf.gather(tf.readVariableOp(images, TUint8.class), indices, tf.constant(0)),
                TFloat32.class),
            tf.constant((float) (1.0 / 255.0)));
    Operand<TFloat32> ys =
        tf.oneHot(
            tf.gather(tf.readVariableOp(classes, TInt32.class), indices, tf.constant(0)),
            tf.constant(Mlp.NUM_CLASSES),
            tf.constant(1.0f),
            tf.constant(0.0f));
    UnrolledTraining unrolled =
        UnrolledTraining.build(
            net,
            options,
            stepsPerRun,
            batchSize,
            net.model().tf().withSubScope("unrolled"),
            xs,
            ys);
    // the steps' costs add up in the graph; fetching them every run would cost about 15%
    var sum =
        tf.withName("cost_sum")
            .varHandleOp(
                TFloat64.class,
                Shape.scalar(),
                VarHandleOp.sharedName(tf.scope().makeUnique("dnn_lessons_cost_sum")));
    // a run of the first j steps (the end of an epoch) adds only their costs
    List<Op> accumulate = new ArrayList<>();
    for (int j = 1; j <= stepsPerRun; j++) {
      Ops add = tf.withSubScope("add_costs_" + j);
      accumulate.add(
          add.assignAddVariableOp(
              sum,
              add.sum(
                  add.dtypes.cast(add.stack(unrolled.stepCosts().subList(0, j)), TFloat64.class),
                  add.constant(0))));
    }
    Op reset = tf.assignVariableOp(sum, tf.constant(0.0));
    Operand<TFloat64> read = tf.readVariableOp(sum, TFloat64.class);
    return new GraphFedTraining(
        data,
        unrolled,
        indices,
        pixelsIn,
        labelsIn,
        loadPixels,
        loadLabels,
        accumulate,
        read,
        reset);
  }

  /** Steps per run. */
  @Override
  public int stepsPerRun() {
    return steps.steps();
  }

  /**
   * Copies the training split into the graph's variables and zeroes the cost sum; call once per
   * session.
   */
  @Override
  public void load(Session session) {
    int n = data.numExamples();
    int size = data.imageSize();
    byte[] pixels = new byte[n * size];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = data.label(i);
      for (int r = 0; r < data.imageRows(); r++) {
        for (int c = 0; c < data.imageColumns(); c++) {
          pixels[i * size + r * data.imageColumns() + c] = (byte) data.pixel(i, r, c);
        }
      }
    }
    try (TUint8 p =
            TUint8.tensorOf(
                Shape.of(n, data.imageRows(), data.imageColumns(), 1),
                DataBuffers.of(pixels, true, false));
        TInt32 l = TInt32.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false))) {
      session
          .runner()
          .feed(pixelsIn, p)
          .feed(labelsIn, l)
          .addTarget(loadPixels)
          .addTarget(loadLabels)
          .run()
          .close();
    }
    session.run(resetCost);
  }

  /** Rows of one step. */
  @Override
  public int batchSize() {
    return steps.batchSize();
  }

  /**
   * Runs one step per batch given, up to {@link #stepsPerRun()} of them, in one {@code
   * Session.run}, adding their costs to the graph's running sum: {@code batchIndices} holds {@code
   * j * batchSize} indices into the split, batch after batch, {@code 1 <= j <= stepsPerRun}. Fewer
   * than {@code stepsPerRun} batches (the end of an epoch) run the first {@code j} unrolled steps
   * only, so every step of an epoch runs in the graph.
   *
   * @throws IllegalArgumentException when the indices are not a whole number of batches between 1
   *     and {@link #stepsPerRun()}
   */
  @Override
  public void run(Session session, int[] batchIndices) {
    int b = steps.batchSize();
    int k = steps.steps();
    int j = InGraphTraining.batches(batchIndices, b, k);
    // the graph gathers k batches: the steps that do not run read padding (index 0)
    int[] padded = j == k ? batchIndices : Arrays.copyOf(batchIndices, k * b);
    try (TInt32 ix =
        TInt32.tensorOf(Shape.of(padded.length), DataBuffers.of(padded, true, false))) {
      session
          .runner()
          .feed(indices, ix)
          .addTarget(steps.stepsDone().get(j - 1))
          .addTarget(accumulateCost.get(j - 1))
          .run()
          .close();
    }
  }

  /**
   * The sum of the costs of the steps run since the last call, and starts a new sum (the weights
   * are the network's own, nothing to copy).
   */
  @Override
  public double takeCostSum(Session session) {
    double sum;
    try (Result r = session.runner().fetch(costSum).run()) {
      sum = ((TFloat64) r.get(0)).getDouble();
    }
    session.run(resetCost);
    return sum;
  }
}
