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
   * @param hiddenGiven whether {@code --hidden} was passed (a SavedModel has its own layers)
   */
  static SavedModelInput open(
      CommandSpec spec,
      Path dir,
      DataSet data,
      InputScaleOption scale,
      boolean hiddenGiven,
      PrintStream notes)
      throws Exception {
    if (hiddenGiven) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--hidden does not apply to a SavedModel: its own serving signature runs");
    }
    SavedModelRunner runner = SavedModelRunner.open(dir, data.imageSize());
    try {
      double s = Main.options(spec, () -> scale.resolve(runner.defaultInputScale()));
      notes.println(
          "note: "
              + (scale.inputScale == null
                  ? runner.inputScaleReason()
                  : "input: pixel * " + s + "/255 (--input-scale " + s + ")"));
      notes.println("note: " + runner.outputReason());
      return new SavedModelInput(runner, s);
    } catch (Exception | Error e) {
      runner.close();
      throw e;
    }
  }

  /** Refuses {@code --input-scale} for a path that is not a SavedModel. */
  static void refuseScale(CommandSpec spec, InputScaleOption scale) {
    if (scale.inputScale != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--input-scale applies to a SavedModel directory; a checkpoint of the lesson's MLP takes"
              + " pixels/255");
    }
  }

  @Override
  public void close() {
    runner.close();
  }
}
