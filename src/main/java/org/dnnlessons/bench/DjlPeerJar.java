package org.dnnlessons.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.jvm.JvmOptions;

/**
 * The DJL (PyTorch engine) row's program: a separate Maven build, {@code bench-djl/}, so that the
 * product's dependencies do not grow by DJL and its 112 MB native PyTorch. Its jar serves the
 * lesson's network, written with DJL's NDArray operations and {@code GradientCollector}, over the
 * same line protocol as {@code bench.py --serve} (peer name {@code djl}); {@code bench} runs the
 * row only when the jar has been built.
 */
final class DjlPeerJar {

  /** Where {@code bench-djl}'s build leaves the jar, relative to the repository root. */
  static final Path JAR = Path.of("bench-djl", "target", "bench-djl.jar");

  /** The one command that builds it (from the repository root; downloads DJL once). */
  static final String BUILD = "mvn -B -f bench-djl/pom.xml package";

  /** The peer's name in the protocol. */
  static final String NAME = "djl";

  /** The row's label in the table. */
  static final String LABEL = "DJL (PyTorch engine), NDArray ops + GradientCollector";

  private DjlPeerJar() {}

  /** The line the table prints instead of the row when {@code jar} is missing. */
  static String missing(Path jar) {
    return "DJL (PyTorch engine) row left out: no "
        + jar
        + " (build it once with `"
        + BUILD
        + "`; it fetches DJL 0.36.0 and PyTorch 2.7.1's CPU library, 112 MB, from Maven Central).";
  }

  /**
   * Starts the jar's server in a JVM like this one's, reading the digits from {@code data}, and
   * waits for its {@code ready}.
   *
   * @throws IOException naming the jar when it is missing, cannot start or does not answer
   */
  static PythonTrainingServer start(Path jar, Path data) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(missing(jar));
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(JvmOptions.forChildJvm());
    command.addAll(List.of("-jar", jar.toString(), "--data", data.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    // libtorch's OpenMP threads spin as PyTorch's do in Python (the same libgomp)
    PythonTrainingServer.passiveOpenMp(builder);
    return PythonTrainingServer.start(
        builder,
        jar.toString(),
        b -> {
          try {
            return b.start();
          } catch (IOException e) {
            throw new IOException(
                java + ": cannot start a JVM for " + jar + " (" + e.getMessage() + ")", e);
          }
        });
  }
}
