package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import picocli.CommandLine.Option;

/**
 * The options of the commands that load a saved model ({@code evaluate}, {@code predict}): what the
 * file computes is read from the file itself ({@link MlpWeights#read(Path, Path)}); {@code
 * --config} states it for the weights-only forms, {@code --input-scale} what a white pixel is fed
 * as, {@code --hidden} the widths of a plain stack of Dense layers.
 */
final class RestoredNetworkOptions {

  @Option(
      names = "--hidden",
      paramLabel = "LIST",
      split = ",",
      description = "Hidden layer widths; by default read from the checkpoint.")
  List<Integer> hidden;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "For weights-only files (.weights.h5, TF2 checkpoints): the model's .keras file, or the"
              + " JSON model.to_json() writes, saying its layers and activations. Without it they"
              + " are read as the lesson's MLP, and a line says so.")
  Path config;

  @Option(
      names = "--input-scale",
      paramLabel = "S",
      description =
          "What the model is fed for a white pixel: 1 (pixels/255, the lesson's) or 255 (raw"
              + " pixels, as Keras feeds a model whose first layer is Rescaling). Default: 255 when"
              + " the model starts with Rescaling, else 1.")
  Double inputScale;

  @Option(
      names = "--map",
      paramLabel = "KEY=NAME",
      split = ",",
      description =
          "Read a checkpoint by its own keys: KEY (e.g. a tf.Module's"
              + " w1/.ATTRIBUTES/VARIABLE_VALUE, tf.keras 2's"
              + " layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE) into the lesson's NAME"
              + " (hidden_layer/weights, ..., out/biases), or scope OLD/ into NEW/;"
              + " comma-separated. Read as the lesson's MLP, and a line says so.")
  Map<String, String> map;

  @Option(
      names = "--activation",
      paramLabel = "NAME",
      description =
          "With --map: the hidden layers' activation, as Keras 3 names it (default relu, the"
              + " lesson's).")
  String activation;

  private MlpWeights weights;

  /**
   * Reads the file and returns the network it describes, with {@code --hidden} and {@code
   * --input-scale} applied.
   */
  Mlp.Options resolve(Path checkpoint) throws CheckpointException {
    if (activation != null && map == null) {
      throw new IllegalArgumentException(
          "--activation goes with --map; a Keras file says its activations, and --config states a"
              + " weights-only file's");
    }
    if (map != null && config != null) {
      throw new IllegalArgumentException("--map and --config cannot be combined");
    }
    weights =
        map != null
            ? MlpWeights.readMapped(
                checkpoint, map, Activation.named(activation == null ? "relu" : activation))
            : MlpWeights.read(checkpoint, config);
    ModelDescription model = weights.model();
    if (hidden != null) {
      model = model.withHidden(hidden);
    }
    if (inputScale != null) {
      model = model.withInputScale(inputScale);
    }
    return Mlp.Options.lesson().withModel(model);
  }

  /** The weights {@link #resolve} read. */
  MlpWeights weights() {
    return weights;
  }

  /**
   * Prints what was assumed or converted reading the file, and what the model is fed, to {@code
   * err}.
   */
  void report(PrintStream err, Mlp.Options options) {
    weights.notes().forEach(err::println);
    double scale = options.model().inputScale();
    boolean lesson = weights.format() == MlpWeights.Format.LESSON_CHECKPOINT;
    if (lesson && scale == 1.0) {
      return;
    }
    err.println(inputLine(options.model(), inputScale != null));
  }

  /** One line saying what the model is fed. */
  static String inputLine(ModelDescription model, boolean stated) {
    double scale = model.inputScale();
    if (stated) {
      return "Input: pixels/255 * " + scale + " (--input-scale " + scale + ")";
    }
    if (scale == 255.0) {
      return "Input: raw pixels 0-255, as Keras fed the model (its first layer is Rescaling);"
          + " --input-scale 1 feeds pixels/255";
    }
    return "Input: pixels/255, as the lesson's read_data_sets (the model's first layer is not"
        + " Rescaling); --input-scale 255 feeds raw 0-255 pixels";
  }
}
