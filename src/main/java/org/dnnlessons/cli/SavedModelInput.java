package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.savedmodel.SavedModelRunner;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code evaluate} and {@code predict} share for a SavedModel directory: the runner of its
 * serving signature, the input scale (the model's own or {@code --input-scale}) and the two lines
 * that say what is fed and what comes out. Close it to free the runner.
 *
 * @param runner the SavedModel's serving signature
 * @param inputScale what a white pixel is fed as
 */
record SavedModelInput(SavedModelRunner runner, double inputScale) implements AutoCloseable {

  /**
   * Opens {@code dir} for images shaped like {@code data}'s and prints, on {@code notes}, the input
   * scale and the output's kind.
   *
   * @param options {@code --input-scale}; {@code --hidden} and {@code --config} are refused (a
   *     SavedModel runs its own layers)
   */
  static SavedModelInput open(
      CommandSpec spec, Path dir, DataSet data, RestoredNetworkOptions options, PrintStream notes)
      throws Exception {
    if (options.hidden != null || options.config != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          (options.hidden != null ? "--hidden" : "--config")
              + " does not apply to a SavedModel: its own serving signature runs");
    }
    Double stated = options.inputScale;
    SavedModelRunner runner = SavedModelRunner.open(dir, data.imageSize());
    try {
      double s = Main.options(spec, () -> scale(stated, runner.defaultInputScale()));
      notes.println(
          "note: "
              + (stated == null
                  ? runner.inputScaleReason()
                  : "input: pixel * " + s + "/255 (--input-scale " + s + ")"));
      notes.println("note: " + runner.outputReason());
      return new SavedModelInput(runner, s);
    } catch (Exception | Error e) {
      runner.close();
      throw e;
    }
  }

  private static double scale(Double stated, double modelDefault) {
    if (stated == null) {
      return modelDefault;
    }
    if (!(stated > 0) || stated.isInfinite()) {
      throw new IllegalArgumentException("--input-scale must be positive, found " + stated);
    }
    return stated;
  }

  @Override
  public void close() {
    runner.close();
  }
}
