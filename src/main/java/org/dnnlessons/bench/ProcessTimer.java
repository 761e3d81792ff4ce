package org.dnnlessons.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.jvm.JvmOptions;

/** Times whole processes, start to exit, for the rows that include start-up. */
final class ProcessTimer {

  private ProcessTimer() {}

  /** Seconds per run of {@code command}, after one warm-up run. */
  static Measurement time(int reps, List<String> command) throws Exception {
    return Measurement.time(1, reps, () -> run(command));
  }

  /**
   * {@code java ... MainClass args}: the packaged jar when running from it, else the class path.
   */
  static List<String> javaCommand(String mainClass, String... args) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path codeSource =
        Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(javaBin));
    command.addAll(JvmOptions.forChildJvm());
    command.addAll(
        List.of(
            "-cp",
            codeSource.toString().endsWith(".jar")
                ? codeSource.toString()
                : System.getProperty("java.class.path"),
            mainClass));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code command} and parses the numbers it prints on its last line. */
  static long[] output(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || text.isEmpty()) {
      p.destroyForcibly();
      throw new IOException("benchmark command failed: " + String.join(" ", command));
    }
    String[] last = text.lines().reduce((a, b) -> b).orElseThrow().split(" ");
    long[] out = new long[last.length];
    for (int i = 0; i < last.length; i++) {
      out[i] = Long.parseLong(last[i]);
    }
    return out;
  }

  private static void run(List<String> command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("benchmark command failed: " + String.join(" ", command));
    }
  }
}
