package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * Where a run's progress is kept: variables saved in every checkpoint next to the weights, so that
 * {@code train --resume} continues exactly where the last checkpoint left off, and Python sees the
 * step as it sees its own.
 *
 * <table>
 *   <caption>The progress variables of a training graph</caption>
 *   <tr><th>checkpoint key</th><th>dtype, shape</th><th>what</th></tr>
 *   <tr><td>{@code global_step}</td><td>int64 {@code []}</td><td>training steps run since the
 *       first epoch, Python's {@code tf.compat.v1.train.get_or_create_global_step()}; checkpoint
 *       names are {@code PREFIX-<global_step>}</td></tr>
 *   <tr><td>{@code train_state/epoch}</td><td>int64 {@code []}</td><td>epochs completed</td></tr>
 *   <tr><td>{@code train_state/shuffle_seed}</td><td>int64 {@code []}</td><td>the seed of the
 *       training split's shuffling ({@link DataSet#nextBatch})</td></tr>
 *   <tr><td>{@code train_state/batch_size}</td><td>int64 {@code []}</td><td>examples per
 *       step</td></tr>
 *   <tr><td>{@code train_state/train_examples}</td><td>int64 {@code []}</td><td>the size of the
 *       training split</td></tr>
 *   <tr><td>{@code train_state/history}</td><td>float64 {@code [epochs, 3]}</td><td>per epoch:
 *       mean training cost, validation accuracy (NaN when not measured), seconds of training; NaN
 *       rows for epochs not run yet</td></tr>
 * </table>
 *
 * <p>The position in the data is not stored as a permutation: the training split's batches are a
 * pure function of the shuffling seed and the number of batches drawn, so a resumed run draws
 * {@code global_step} batches of {@code batch_size} from a split seeded with {@code shuffle_seed}
 * (without computing anything on them) and then continues with the very batch the stopped run would
 * have drawn next.
 */
final class TrainState {

  /** Python's name for the step counter. */
  static final String GLOBAL_STEP = "global_step";

  static final String EPOCH = "train_state/epoch";
  static final String SHUFFLE_SEED = "train_state/shuffle_seed";
  static final String BATCH_SIZE = "train_state/batch_size";
  static final String TRAIN_EXAMPLES = "train_state/train_examples";
  static final String HISTORY = "train_state/history";

  /** Columns of {@link #HISTORY}. */
  private static final int HISTORY_COLUMNS = 3;

  /**
   * A run's progress.
   *
   * @param globalStep steps run since the start
   * @param epoch epochs completed
   * @param shuffleSeed the training split's shuffling seed
   * @param batchSize examples per step
   * @param trainExamples the training split's size
   * @param history one summary per completed epoch, in order
   */
  record Values(
      long globalStep,
      int epoch,
      long shuffleSeed,
      int batchSize,
      int trainExamples,
      List<EpochSummary> history) {

    Values {
      history = List.copyOf(history);
    }
  }

  private final List<NamedVariable<?>> variables;
  private final List<Placeholder<?>> values;
  private final int historyRows;

  private TrainState(List<NamedVariable<?>> variables, List<Placeholder<?>> values, int rows) {
    this.variables = variables;
    this.values = values;
    this.historyRows = rows;
  }

  /** Adds the progress variables to {@code g}, with room for {@code epochs} epochs of history. */
  static TrainState build(ModelGraph g, int epochs) {
    Ops tf = g.tf();
    Ops state = tf.withSubScope("train_state");
    List<NamedVariable<?>> variables = new ArrayList<>();
    List<Placeholder<?>> values = new ArrayList<>();
    for (String key : List.of(GLOBAL_STEP, EPOCH, SHUFFLE_SEED, BATCH_SIZE, TRAIN_EXAMPLES)) {
      Ops scope = key.equals(GLOBAL_STEP) ? tf : state;
      String name = key.substring(key.lastIndexOf('/') + 1);
      Placeholder<TInt64> value =
          scope
              .withName(name + "_value")
              .placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      values.add(value);
      variables.add(g.variable(scope, name, value));
    }
    Placeholder<TFloat64> history =
        state
            .withName("history_value")
            .placeholder(TFloat64.class, Placeholder.shape(Shape.of(epochs, HISTORY_COLUMNS)));
    values.add(history);
    variables.add(g.variable(state, "history", history));
    return new TrainState(List.copyOf(variables), List.copyOf(values), epochs);
  }

  /** Sets the variables to {@code v}; run it before every save. */
  void write(Session session, Values v) {
    long[] scalars = {v.globalStep(), v.epoch(), v.shuffleSeed(), v.batchSize(), v.trainExamples()};
    double[] rows = new double[historyRows * HISTORY_COLUMNS];
    Arrays.fill(rows, Double.NaN);
    for (int i = 0; i < Math.min(historyRows, v.history().size()); i++) {
      EpochSummary e = v.history().get(i);
      rows[i * HISTORY_COLUMNS] = e.meanCost();
      rows[i * HISTORY_COLUMNS + 1] = e.validationAccuracy();
      rows[i * HISTORY_COLUMNS + 2] = e.seconds();
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < scalars.length; i++) {
        TInt64 t = TInt64.scalarOf(scalars[i]);
        fed.add(t);
        runner.feed(values.get(i), t);
        runner.addTarget(variables.get(i).initializer());
      }
      TFloat64 h =
          TFloat64.tensorOf(
              Shape.of(historyRows, HISTORY_COLUMNS), DataBuffers.of(rows, true, false));
      fed.add(h);
      runner.feed(values.get(scalars.length), h);
      runner.addTarget(variables.get(scalars.length).initializer());
      runner.run().close();
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /**
   * The progress saved in a checkpoint, or {@code null} when it holds no {@code global_step} (a
   * checkpoint not written by a training run of this project).
   *
   * @throws CheckpointException when the progress variables are incomplete or malformed
   */
  static Values read(CheckpointReader reader) throws CheckpointException {
    if (!reader.contains(GLOBAL_STEP)) {
      return null;
    }
    long step = scalar(reader, GLOBAL_STEP);
    long epoch = scalar(reader, EPOCH);
    long seed = scalar(reader, SHUFFLE_SEED);
    long batch = scalar(reader, BATCH_SIZE);
    long examples = scalar(reader, TRAIN_EXAMPLES);
    TensorInfo info = need(reader, HISTORY, DataType.DT_DOUBLE);
    long[] shape = info.shape();
    if (shape.length != 2
        || shape[1] != HISTORY_COLUMNS
        || step < 0
        || epoch < 0
        || epoch > shape[0]
        || batch < 1
        || batch > Integer.MAX_VALUE
        || examples < 1
        || examples > Integer.MAX_VALUE
        || !stepMatchesEpochs(step, epoch, Math.max(examples / batch, 1))) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "malformed training progress (global_step should be epoch * (train_examples /"
              + " batch_size)): global_step "
              + step
              + ", epoch "
              + epoch
              + ", batch_size "
              + batch
              + ", train_examples "
              + examples
              + ", history of shape "
              + info.compactShape());
    }
    double[] rows = reader.read(HISTORY).doubles();
    int stepsPerEpoch = (int) Math.max(examples / batch, 1);
    List<EpochSummary> history = new ArrayList<>();
    for (int i = 0; i < epoch; i++) {
      history.add(
          new EpochSummary(
              i,
              stepsPerEpoch,
              rows[i * HISTORY_COLUMNS],
              rows[i * HISTORY_COLUMNS + 1],
              rows[i * HISTORY_COLUMNS + 2]));
    }
    return new Values(step, (int) epoch, seed, (int) batch, (int) examples, history);
  }

  /**
   * Checkpoints are saved at the end of epochs, so the global step is the epochs times the steps
   * per epoch; anything else is a crafted or foreign file (and a resume would replay that many
   * batches).
   */
  private static boolean stepMatchesEpochs(long step, long epoch, long stepsPerEpoch) {
    try {
      return step == Math.multiplyExact(epoch, stepsPerEpoch);
    } catch (ArithmeticException e) {
      return false;
    }
  }

  private static TensorInfo need(CheckpointReader reader, String key, DataType dtype)
      throws CheckpointException {
    if (!reader.contains(key)) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "has global_step but no " + key + ": not saved by a training run of this project");
    }
    TensorInfo info = reader.info(key);
    if (info.dtype() != dtype) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          key + " should be " + dtype + ", found " + info.numpyType());
    }
    return info;
  }

  private static long scalar(CheckpointReader reader, String key) throws CheckpointException {
    TensorInfo info = need(reader, key, DataType.DT_INT64);
    if (info.shape().length != 0) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          key + " should be a scalar, found shape " + info.compactShape());
    }
    return reader.read(key).longs()[0];
  }
}
