package org.dnnlessons.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.train.OutputTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dnn-lessons export}: a checkpoint of the MLP as a Keras 3 {@code .keras} or weights file.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Writes a checkpoint of the multilayer perceptron as a Keras 3 model:"
            + " keras.models.load_model(\"model.keras\") in Python opens it.")
final class ExportCommand implements Callable<Integer> {

  /** The values of {@code --format}. */
  enum ExportFormat {
    keras(KerasExport.Format.KERAS),
    weights_h5(KerasExport.Format.WEIGHTS_H5);

    final KerasExport.Format format;

    ExportFormat(KerasExport.Format format) {
      this.format = format;
    }

    @Override
    public String toString() {
      return name().replace('_', '-');
    }
  }

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Mixin CheckpointOption checkpointOption = new CheckpointOption();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      required = true,
      converter = FormatConverter.class,
      description =
          "keras (a .keras archive for keras.models.load_model) or weights-h5 (a .weights.h5 file"
              + " for model.load_weights).")
  ExportFormat format;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to write.")
  Path out;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "For weights-only files (.weights.h5, TF2 checkpoints): the model's .keras file, or the"
              + " JSON model.to_json() writes, saying its layers and activations.")
  Path config;

  @Option(
      names = "--map",
      paramLabel = "KEY=NAME",
      split = ",",
      description =
          "Read a checkpoint by its own keys: KEY into the lesson's NAME (hidden_layer/weights,"
              + " ..., out/biases), or scope OLD/ into NEW/; comma-separated (relu hidden layers,"
              + " or --activation's).")
  Map<String, String> map;

  @Option(
      names = "--activation",
      paramLabel = "NAME",
      description = "With --map: the hidden layers' activation (default relu).")
  String activation;

  @Option(names = "--overwrite", description = "Replace --out when it exists (refused otherwise).")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    // before the checkpoint is read: an empty --out resolved to the working directory (the rename
    // then aimed at it), and a parent that is a file said only "already exists"
    Main.options(
        spec,
        () -> {
          OutputTargets.checkFile("--out", out);
          OutputTargets.checkKerasSuffix(
              "--out", out, format == ExportFormat.keras ? ".keras" : ".weights.h5");
          if (!overwrite && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(
                "--out " + out + " already exists; --overwrite replaces it");
          }
          return null;
        });
    MlpWeights weights =
        Main.options(
            spec,
            () ->
                map != null
                    ? MlpWeights.readMapped(
                        checkpointOption.prefix(main.err()),
                        map,
                        Activation.named(activation == null ? "relu" : activation))
                    : MlpWeights.read(checkpointOption.prefix(main.err()), config));
    weights.notes().forEach(main.err()::println);
    KerasExport.write(weights, out, format.format);
    main.out().println("Wrote " + out + " (" + format + ": hidden " + weights.hidden() + ")");
    if (!weights.model().isLessonMlp()) {
      main.out().println("Model: " + weights.model().summary());
    }
    return Main.EXIT_OK;
  }

  /** Accepts {@code keras} and {@code weights-h5}. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ExportFormat> {
    @Override
    public ExportFormat convert(String value) {
      for (ExportFormat f : ExportFormat.values()) {
        if (f.toString().equals(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "expected keras or weights-h5, found '" + value + "'");
    }
  }
}
