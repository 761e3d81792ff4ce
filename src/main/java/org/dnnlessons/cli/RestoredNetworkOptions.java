package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
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
    if (MlpWeights.isKerasForm(checkpoint)) {
      return MlpWeights.read(checkpoint).hidden();
    }
    CheckpointReader reader = CheckpointReader.open(checkpoint);
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; reader.contains(Mlp.hiddenScope(i) + "/weights"); i++) {
      String name = Mlp.hiddenScope(i) + "/weights";
      long[] shape = reader.info(name).shape();
      if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE) {
        throw new CheckpointException(
            reader.prefix(),
            CheckpointException.NO_OFFSET,
            "'"
                + name
                + "' has shape "
                + reader.info(name).compactShape()
                + ", expected [inputs, width] with a width from 1 to "
                + Integer.MAX_VALUE
                + "; pass --hidden to say the layers");
      }
      widths.add((int) shape[1]);
    }
    if (widths.isEmpty() || !reader.contains("out/weights")) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "no hidden_layer/weights and out/weights: not a checkpoint of the lesson's MLP;"
              + " pass --hidden to say its layers");
    }
    return widths;
  }
}
