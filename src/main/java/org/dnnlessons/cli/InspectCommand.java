package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.checkpoint.TensorJson;
import org.dnnlessons.checkpoint.TensorPrinter;
import org.dnnlessons.format.NumpyPrintOptions;
import org.dnnlessons.keras.KerasWeightsFile;
import org.dnnlessons.keras.SavedModelVariables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dnn-lessons inspect}: what a checkpoint holds, in the format of Python's {@code python -m
 * tensorflow.python.tools.inspect_checkpoint}. Pure Java: no native TensorFlow is loaded.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Lists a checkpoint's tensors (name, dtype, shape) as Python's"
            + " inspect_checkpoint does; --tensor or --all print values; --json for programs.")
final class InspectCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(
      paramLabel = "PREFIX|DIR",
      description =
          "A checkpoint prefix, a directory (its latest checkpoint), a SavedModel directory, or a"
              + " Keras .keras/.h5 file.")
  Path checkpoint;

  @Option(names = "--tensor", paramLabel = "NAME", description = "Print this tensor's values.")
  String tensor;

  @Option(names = "--all", description = "Print every tensor's values.")
  boolean all;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"tensors\":[{\"name\",\"dtype\","
              + "\"shape\"[,\"values\"]}], \"total_params\"}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (KerasWeightsFile.accepts(checkpoint)) {
      return inspectTensors(main.out(), KerasWeightsFile.read(checkpoint));
    }
    if (SavedModelVariables.accepts(checkpoint)) {
      return inspectTensors(main.out(), SavedModelVariables.read(checkpoint));
    }
    PrintStream out = main.out();
    if (json) {
      // streamed: a tensor of gigabytes is never held as text (no retry for a racing save here)
      CheckpointReader reader =
          CheckpointReader.open(checkpoint, w -> main.err().println("warning: " + w));
      List<TensorInfo> selected = tensor != null ? List.of(reader.info(tensor)) : reader.tensors();
      TensorJson.write(reader, selected, tensor != null || all, out);
      out.println();
      return Main.EXIT_OK;
    }
    // the text is made whole before it is printed, so that a read racing a save that replaces
    // the checkpoint is done again (as Saver.restore does) instead of a false checksum mismatch
    String text =
        CheckpointReader.readRetrying(
            checkpoint, w -> main.err().println("warning: " + w), this::describe);
    out.print(text);
    return Main.EXIT_OK;
  }

  private String describe(CheckpointReader reader) throws CheckpointException {
    StringBuilder out = new StringBuilder();
    List<TensorInfo> selected = tensor != null ? List.of(reader.info(tensor)) : reader.tensors();
    boolean values = tensor != null || all;
    if (!values) {
      for (TensorInfo t : selected) {
        out.append(t.name() + " (" + t.dtype().name() + ") " + t.compactShape()).append('\n');
      }
      out.append('\n');
    } else {
      for (TensorInfo t : selected) {
        String read = TensorPrinter.format(reader, t.name(), NumpyPrintOptions.DEFAULT);
        out.append("tensor: " + t.name() + " (" + t.numpyType() + ") " + Arrays.toString(t.shape()))
            .append('\n');
        out.append(read).append('\n');
      }
    }
    out.append("# Total number of params: " + reader.totalParameters()).append('\n');
    return out.toString();
  }

  /**
   * A Keras {@code .weights.h5} or {@code .keras} (its datasets as Keras names them in the file),
   * or a SavedModel directory (its variables as Python names them).
   */
  private int inspectTensors(PrintStream out, List<CheckpointTensor> all) throws Exception {
    List<CheckpointTensor> selected = all;
    if (tensor != null) {
      selected = all.stream().filter(t -> t.info().name().equals(tensor)).toList();
      if (selected.isEmpty()) {
        throw new CheckpointException(
            checkpoint,
            CheckpointException.NO_OFFSET,
            "no weight named '"
                + tensor
                + "' (the file has "
                + String.join(", ", all.stream().map(t -> t.info().name()).toList())
                + ")");
      }
    }
    boolean values = tensor != null || this.all;
    if (json) {
      out.println(TensorJson.write(selected, values));
      return Main.EXIT_OK;
    }
    long total = 0;
    for (CheckpointTensor t : selected) {
      TensorInfo info = t.info();
      total += info.numElements();
      if (values) {
        out.println(
            "tensor: "
                + info.name()
                + " ("
                + info.numpyType()
                + ") "
                + Arrays.toString(info.shape()));
        out.println(t.format());
      } else {
        out.println(info.name() + " (" + info.dtype().name() + ") " + info.compactShape());
      }
    }
    if (!values) {
      out.println();
    }
    out.println("# Total number of params: " + total);
    return Main.EXIT_OK;
  }
}
