package org.dnnlessons.interop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.cli.Main;
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
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          Main.execute(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              "inspect",
              "--all",
              arg);
      System.out.println(
          "inspect "
              + file.getFileName()
              + ": "
              + status
              + " "
              + err.toString(StandardCharsets.UTF_8).strip());
    }
  }
}
