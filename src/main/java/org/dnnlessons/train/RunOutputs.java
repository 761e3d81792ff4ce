package org.dnnlessons.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Session;

/**
 * What a {@link TrainingRun} does once training is done, each with its line: the test accuracy, the
 * checkpoint, the SavedModel, the Keras file, the learning-curve plot, and the summary line.
 */
final class RunOutputs {

  private final PrintStream out;
  private final TrainingRunOptions options;
  private final Mlp.Options network;
  private final Session session;
  private final Mlp.Network net;
  private final Saver saver;

  /**
   * Outputs of a trained network.
   *
   * @param out where the lines go
   * @param options the run's options: what to write where
   * @param network the network's options (the plot's title names its widths and learning rate)
   * @param session the session holding the trained variables
   * @param net the network
   * @param saver the run's saver, or {@code null} when nothing is saved or exported
   */
  RunOutputs(
      PrintStream out,
      TrainingRunOptions options,
      Mlp.Options network,
      Session session,
      Mlp.Network net,
      Saver saver) {
    this.out = out;
    this.options = options;
    this.network = network;
    this.session = session;
    this.net = net;
    this.saver = saver;
  }

  /**
   * Measures, saves, exports and plots.
   *
   * @param test the split to measure the accuracy on
   * @param result the loop's result (empty when nothing was trained)
   * @param history the run's history and global step
   * @param board the TensorBoard summaries, or {@code null}
   * @param trained false when a resumed run had nothing left to train: then no checkpoint is saved
   *     and no summary line printed
   * @return what the run did
   * @throws CheckpointException when the checkpoint or the SavedModel's variables cannot be written
   * @throws IOException when the SavedModel, the Keras file or the plot cannot be written
   */
  TrainingRun.Result write(
      DataSet test,
      TrainingResult result,
      TrainingHistory history,
      TensorBoardSummaries board,
      boolean trained)
      throws IOException, CheckpointException {
    float accuracy = Evaluator.accuracy(session, net, test);
    out.println(String.format(Locale.ROOT, "Test Accuracy: %.4f", accuracy));
    if (board != null) {
      board.testAccuracy(accuracy);
    }
    String written = null;
    if (options.checkpoints().save() != null && trained) {
      written = saver.save(session, options.checkpoints().save().toString(), history.globalStep());
      out.println("Saved " + written);
    }
    export(history.epochs());
    if (trained) {
      out.println(result.summaryLine());
    }
    return new TrainingRun.Result(
        result, accuracy, written, history.globalStep(), history.epochs());
  }

  private void export(List<EpochSummary> epochs) throws IOException, CheckpointException {
    TrainingRunOptions.Outputs outputs = options.outputs();
    if (outputs.export() != null) {
      SavedModelExport.export(session, net, saver, outputs.export());
      out.println("Exported SavedModel to " + outputs.export());
    }
    if (outputs.exportKeras() != null) {
      KerasExport.write(
          MlpWeights.of(session, net, network.model()),
          outputs.exportKeras(),
          KerasExport.Format.KERAS);
      out.println("Exported Keras model to " + outputs.exportKeras());
    }
    if (outputs.plot() != null && !epochs.isEmpty()) {
      LearningCurvePlot.write(
          epochs,
          "hidden " + network.hidden() + ", learning rate " + network.learningRate(),
          outputs.plot());
      out.println("Plotted " + outputs.plot());
    }
  }
}
