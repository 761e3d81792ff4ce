package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Session;

/**
 * The run's history and global step, as Keras's {@code History} callback and TensorFlow's {@code
 * global_step} keep them: each finished epoch adds its summary and its steps. Both are also written
 * to the graph's {@code global_step} and {@code train_state/*} variables ({@link TrainState}) when
 * training starts and after every epoch, so any checkpoint saved after that says where the run
 * stands. Listeners that need the global step hear about an epoch after this one.
 */
final class TrainingHistory implements TrainingListener {

  private final TrainState state;
  private final Session session;
  private final TrainState.Values start;
  private final List<EpochSummary> epochs;
  private long globalStep;

  /**
   * A history continuing {@code start}.
   *
   * @param state the graph's progress variables
   * @param session the session they live in
   * @param start the global step and history to start from (a resumed run's, or step 0 and none),
   *     with the run's shuffling seed, batch size and training examples
   */
  TrainingHistory(TrainState state, Session session, TrainState.Values start) {
    this.state = state;
    this.session = session;
    this.start = start;
    this.epochs = new ArrayList<>(start.history());
    this.globalStep = start.globalStep();
  }

  @Override
  public void trainingStarted(Session session, Mlp.Network net) {
    write();
  }

  @Override
  public void epochFinished(EpochSummary summary) {
    globalStep += summary.steps();
    epochs.add(summary);
    write();
  }

  /** The global step: steps run since the run's first epoch, resumed runs included. */
  long globalStep() {
    return globalStep;
  }

  /** Every epoch's summary since the run's first epoch, resumed runs included. */
  List<EpochSummary> epochs() {
    return List.copyOf(epochs);
  }

  private void write() {
    state.write(
        session,
        new TrainState.Values(
            globalStep,
            epochs.size(),
            start.shuffleSeed(),
            start.batchSize(),
            start.trainExamples(),
            epochs));
  }
}
