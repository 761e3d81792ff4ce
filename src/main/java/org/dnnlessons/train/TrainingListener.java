package org.dnnlessons.train;

import java.util.List;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Session;

/**
 * Hears about a training run as it goes, as DJL's {@code TrainingListener} and Keras's {@code
 * Callback} do; every method does nothing by default. {@link TrainingRun} builds its own features
 * from listeners (history and global step, console progress, the divergence warning, TensorBoard,
 * periodic checkpoints) and calls a caller's listener among them.
 */
public interface TrainingListener {

  /**
   * The variables are initialized, warm-started or resumed, and training is about to start (Keras's
   * {@code on_train_begin}). Called by {@link TrainingRun} only, once, even when a resumed run has
   * no epoch left to train.
   *
   * @param session the run's session, its variables set
   * @param net the network being trained
   * @throws Exception to stop the run before its first step
   */
  default void trainingStarted(Session session, Mlp.Network net) throws Exception {}

  /**
   * Epoch {@code epoch} (from 0) is about to run {@code steps} steps.
   *
   * @param epoch the epoch's number, from 0
   * @param steps the steps it will run, {@code >= 1}
   */
  default void epochStarted(int epoch, int steps) {}

  /**
   * A step of the current epoch finished.
   *
   * @param stepInEpoch the step just finished, from 1 to the epoch's steps
   */
  default void stepFinished(int stepInEpoch) {}

  /**
   * An epoch finished (and was validated, if due).
   *
   * @param summary the epoch's cost and, when validated, its validation accuracy
   * @throws Exception to end training (it reaches the caller of {@link Trainer#train}); a listener
   *     may save a checkpoint here
   */
  default void epochFinished(EpochSummary summary) throws Exception {}

  /**
   * All of {@code listeners}, each told of every event in the order given; an exception from one
   * reaches the caller at once, and the listeners after it do not hear that event.
   *
   * @param listeners the listeners, in the order they hear each event
   * @return one listener telling them all
   */
  static TrainingListener all(List<TrainingListener> listeners) {
    return new CompositeListener(listeners);
  }

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};
}
