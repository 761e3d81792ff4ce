package org.dnnlessons.train;

import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.tensorflow.Session;

/**
 * A checkpoint every {@code --save-every} epochs during training, as TensorFlow's {@code
 * CheckpointSaverHook} and DJL's {@code CheckpointsTrainingListener}; not after the last epoch,
 * whose checkpoint the run saves once training is done.
 */
final class PeriodicCheckpoints implements TrainingListener {

  private final Saver saver;
  private final Session session;
  private final String prefix;
  private final int every;
  private final int epochs;
  private final TrainingHistory history;

  /**
   * Saves through {@code saver}.
   *
   * @param saver the run's saver
   * @param session the session whose variables are saved
   * @param prefix the checkpoint prefix; each save adds {@code -STEP}
   * @param every epochs between saves, {@code >= 1}
   * @param epochs the run's total epochs
   * @param history the global step, heard about each epoch before this listener
   */
  PeriodicCheckpoints(
      Saver saver, Session session, String prefix, int every, int epochs, TrainingHistory history) {
    this.saver = saver;
    this.session = session;
    this.prefix = prefix;
    this.every = every;
    this.epochs = epochs;
    this.history = history;
  }

  @Override
  public void epochFinished(EpochSummary summary) throws CheckpointException {
    int done = summary.epoch() + 1;
    if (done % every == 0 && done < epochs) {
      saver.save(session, prefix, history.globalStep());
    }
  }
}
