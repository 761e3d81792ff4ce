package org.dnnlessons.train;

import java.util.List;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Session;

/** Several listeners heard as one ({@link TrainingListener#all}), in their order. */
final class CompositeListener implements TrainingListener {

  private final List<TrainingListener> listeners;

  CompositeListener(List<TrainingListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void trainingStarted(Session session, Mlp.Network net) throws Exception {
    for (TrainingListener l : listeners) {
      l.trainingStarted(session, net);
    }
  }

  @Override
  public void epochStarted(int epoch, int steps) {
    for (TrainingListener l : listeners) {
      l.epochStarted(epoch, steps);
    }
  }

  @Override
  public void stepFinished(int stepInEpoch) {
    for (TrainingListener l : listeners) {
      l.stepFinished(stepInEpoch);
    }
  }

  @Override
  public void epochFinished(EpochSummary summary) throws Exception {
    for (TrainingListener l : listeners) {
      l.epochFinished(summary);
    }
  }
}
