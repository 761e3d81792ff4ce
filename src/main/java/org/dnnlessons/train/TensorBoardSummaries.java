package org.dnnlessons.train;

import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * What a run shows in TensorBoard, as Keras's {@code TensorBoard} callback: the training graph when
 * training starts, then per epoch the mean {@code cost} and, when measured, the {@code
 * validation_accuracy}, at the global step; the {@code test_accuracy} at the end.
 */
final class TensorBoardSummaries implements TrainingListener {

  private final TensorBoardLog board;
  private final Graph graph;
  private final TrainingHistory history;

  /**
   * Writes to {@code board}.
   *
   * @param board the event file
   * @param graph the model's graph, shown in TensorBoard's graph tab
   * @param history the run's global step, heard about each epoch before this listener
   */
  TensorBoardSummaries(TensorBoardLog board, Graph graph, TrainingHistory history) {
    this.board = board;
    this.graph = graph;
    this.history = history;
  }

  @Override
  public void trainingStarted(Session session, Mlp.Network net) {
    board.graph(graph);
  }

  @Override
  public void epochFinished(EpochSummary summary) {
    board.scalar("cost", history.globalStep(), summary.meanCost());
    if (summary.validated()) {
      board.scalar("validation_accuracy", history.globalStep(), summary.validationAccuracy());
    }
    board.flush();
  }

  /** Logs the accuracy on the test split after training. */
  void testAccuracy(float accuracy) {
    board.scalar("test_accuracy", history.globalStep(), accuracy);
  }
}
