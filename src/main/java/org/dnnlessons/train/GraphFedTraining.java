package org.dnnlessons.train;

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

/**
 * The fast training path: the training split held in the graph (its pixels as uint8 and its labels,
 * in two resource variables, loaded once) and {@code k} steps per {@code Session.run}, each run fed
 * only the indices of its {@code k} batches. The batches are made in the graph ({@link
 * InGraphSplit}: the very floats {@link DataSet} makes), and the steps are the network's own
 * ({@link UnrolledTraining}): on the same batches the weights end bit-identical to the plain path's
 * ({@code GraphFedTrainingTest}).
 *
 * <p>A run may cover fewer than {@code k} batches (the last steps of an epoch): it then runs only
 * the first unrolled steps, so the whole epoch stays in the graph.
 *
 * <p>The data variables are resource variables, not {@code VariableV2}: checkpoints of the network
 * do not include them.
 */
public final class GraphFedTraining implements InGraphTraining {

  private final InGraphSplit split;
  private final UnrolledTraining steps;
  private final Placeholder<TInt32> indices;

  /** The {@code j}-th adds the costs of the first {@code j + 1} steps to the running sum. */
  private final List<Op> accumulateCost;

  private final Operand<TFloat64> costSum;
  private final Op resetCost;

  private GraphFedTraining(
      InGraphSplit split,
      UnrolledTraining steps,
      Placeholder<TInt32> indices,
      List<Op> accumulateCost,
      Operand<TFloat64> costSum,
      Op resetCost) {
    this.split = split;
    this.steps = steps;
    this.indices = indices;
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
    InGraphSplit split = InGraphSplit.add(tf, "dnn_lessons", data, false);
    Placeholder<TInt32> indices =
        tf.withName("batch_indices")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of((long) stepsPerRun * batchSize)));
    InGraphSplit.Batch batches = split.gather(tf, indices);
    // UnrolledTraining takes the images as the network's x, [k * batch, rows, columns, 1]
    Operand<TFloat32> xs =
        tf.reshape(
            batches.images(),
            tf.constant(new int[] {-1, options.imageRows(), options.imageColumns(), 1}));
    Operand<TFloat32> ys = batches.oneHotLabels();
    UnrolledTraining unrolled =
        UnrolledTraining.build(
            net,
            options,
            stepsPerRun,
            batchSize,
            net.model().tf().withSubScope("unrolled"),
            xs,
            ys);
    var sum =
        tf.withName("cost_sum")
            .varHandleOp(
                TFloat64.class,
                Shape.scalar(),
                VarHandleOp.sharedName(tf.scope().makeUnique("dnn_lessons_cost_sum")));
    List<Op> accumulate = InGraphTraining.addCostSums(tf, sum, unrolled.stepCosts());
    Op reset = tf.assignVariableOp(sum, tf.constant(0.0));
    Operand<TFloat64> read = tf.readVariableOp(sum, TFloat64.class);
    return new GraphFedTraining(split, unrolled, indices, accumulate, read, reset);
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
    split.load(session);
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
    int[] padded = InGraphTraining.padded(batchIndices, b, k);
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
