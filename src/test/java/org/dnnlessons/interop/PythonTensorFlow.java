package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real peer: runs the scripts of {@code src/test/python/} with Python TensorFlow 2.21 from the
 * venv {@code mvn verify} creates ({@code ensure_venv.sh}). A missing interpreter fails the test
 * with a message saying how to get it; only {@code -Dinterop.skip=true}, which CI never sets,
 * leaves these tests out.
 */
final class PythonTensorFlow {

  static final Path SCRIPTS = Path.of("src", "test", "python");

  private PythonTensorFlow() {}

  /** The interpreter of the interop venv. */
  static Path python() {
    String configured = System.getProperty("interop.python");
    Path python =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache/dnn-lessons/venv-tf/bin/python");
    assertTrue(
        Files.isExecutable(python),
        "Python TensorFlow is missing: "
            + python
            + " does not exist. 'mvn verify' creates it (src/test/python/ensure_venv.sh); pass"
            + " -Dinterop.skip=true to leave the interop tests out.");
    return python;
  }

  /**
   * Runs {@code script} with {@code args}; fails the test with Python's output when it exits with
   * an error.
   *
   * @return the lines {@code KEY VALUE...} it printed on standard output, by key
   */
  static Map<String, String> run(String script, String... args)
      throws IOException, InterruptedException {
    return run(Map.of(), script, args);
  }

  /** As {@link #run(String, String...)}, with extra environment variables. */
  static Map<String, String> run(Map<String, String> env, String script, String... args)
      throws IOException, InterruptedException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : output(env, script, args).lines().toList()) {
      int space = line.indexOf(' ');
      if (space > 0) {
        values.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    return values;
  }

  /**
   * Runs {@code script} with {@code args} and extra environment variables (the rest, {@code
   * ONEDNN_MAX_CPU_ISA} included, is this JVM's); fails the test with Python's output when it exits
   * with an error.
   *
   * @return everything it printed on standard output
   */
  static String output(Map<String, String> env, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(python().toString(), SCRIPTS.resolve(script).toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("python", ".out");
    Path err = Files.createTempFile("python", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
      pb.environment().putAll(env);
      Process p = pb.start();
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), script + " did not finish in 300 s");
      assertEquals(0, p.exitValue(), () -> script + " failed:\n" + read(err));
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
