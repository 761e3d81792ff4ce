package org.dnnlessons.interop;

import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.cli.CliRun;
import org.dnnlessons.keras.MlpWeights;

/**
 * The child JVM of {@link HdfByteBudgetIT}: reads each file given as {@code evaluate} does ({@link
 * MlpWeights#read(Path)}) and as {@code inspect --all} does, and prints one line for each: {@code
 * read FILE: ok} or {@code read FILE: MESSAGE}, {@code inspect FILE: STATUS MESSAGE}.
 */
final class BudgetReads {

  private BudgetReads() {}

  public static void main(String[] args) {
    for (String arg : args) {
      Path file = Path.of(arg);
      try {
        MlpWeights.read(file);
        System.out.println("read " + file.getFileName() + ": ok");
      } catch (CheckpointException e) {
        System.out.println("read " + file.getFileName() + ": " + e.getMessage());
      }
      CliRun inspect = CliRun.of("inspect", "--all", arg);
      System.out.println(
          "inspect " + file.getFileName() + ": " + inspect.status() + " " + inspect.err().strip());
    }
  }
}
