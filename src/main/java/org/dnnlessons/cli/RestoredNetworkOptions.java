package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.RestoredMlp;
import picocli.CommandLine.Option;

/**
 * {@code --hidden} for the commands that load a checkpoint: optional, because the widths can be
 * read from the checkpoint itself ({@code hidden_layer/weights}, {@code hidden_layer_2/weights},
 * ... and their shapes).
 */
final class RestoredNetworkOptions {

  @Option(
      names = "--hidden",
      paramLabel = "LIST",
      split = ",",
      description = "Hidden layer widths; by default read from the checkpoint.")
  List<Integer> hidden;

  /** The lesson's network with the given widths, or the checkpoint's. */
  Mlp.Options resolve(Path checkpoint) throws CheckpointException {
    return Mlp.Options.lesson().withHidden(hidden != null ? hidden : widthsIn(checkpoint));
  }

  /**
   * The hidden layer widths of a checkpoint of this project's MLP, from its weights' shapes.
   *
   * @throws CheckpointException when the checkpoint does not hold the MLP's names
   */
  static List<Integer> widthsIn(Path checkpoint) throws CheckpointException {
    return RestoredMlp.widthsIn(checkpoint);
  }
}
