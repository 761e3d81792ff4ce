package org.dnnlessons.keras;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.cli.Main;

/**
 * The child JVM of {@link NoNativeReadsTest}: reads each file given as the commands do ({@link
 * MlpWeights#read(Path)}, then {@code inspect}), prints each file's model description, then the
 * native libraries of TensorFlow this process has mapped ({@code /proc/self/maps}), or {@code
 * native: none}.
 */
final class NoNativeReads {

  private NoNativeReads() {}

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      Path file = Path.of(arg);
      System.out.println("read " + file.getFileName() + ": " + MlpWeights.read(file).model());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          Main.execute(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              "inspect",
              arg);
      System.out.println("inspect " + file.getFileName() + ": status " + status);
    }
    String tensorflow =
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(l -> l.contains("tensorflow"))
            .map(l -> l.substring(l.lastIndexOf(' ') + 1))
            .distinct()
            .reduce((a, b) -> a + " " + b)
            .orElse("none");
    System.out.println("native: " + tensorflow);
  }
}
