package org.dnnlessons.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python side of the benchmark ({@code src/test/python/bench.py}) and reads its timings.
 * The script prints one line per task, {@code time NAME t1 t2 ...} in seconds, warm-up excluded.
 */
public final class PythonPeer {

  /** The Python scripts, relative to the repository root. */
  public static final Path SCRIPTS = Path.of("src", "test", "python");

  private final Path python;

  /**
   * Runs the Python peer scripts with the given interpreter.
   *
   * @param python the interpreter (needs numpy, and TensorFlow for the training rows)
   */
  public PythonPeer(Path python) {
    this.python = python;
  }

  /**
   * The interpreter to use: {@code DNN_LESSONS_PYTHON}, else the venv the build creates for the
   * interop tests ({@code ~/.cache/dnn-lessons/venv-tf}), else {@code python3}.
   *
   * @return the interpreter's path, e.g. {@code ~/.cache/dnn-lessons/venv-tf/bin/python}
   */
  public static Path defaultPython() {
    String env = System.getenv("DNN_LESSONS_PYTHON");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path venv =
        Path.of(
            System.getProperty("user.home"), ".cache", "dnn-lessons", "venv-tf", "bin", "python");
    return Files.isExecutable(venv) ? venv : Path.of("python3");
  }

  /**
   * Starts {@code builder}'s command, whose interpreter is {@code python}.
   *
   * @throws IOException naming the interpreter, and how to choose another, when it cannot start
   */
  static Process start(Path python, ProcessBuilder builder) throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException(
          python
              + ": cannot start the Python interpreter ("
              + e.getMessage()
              + "); set DNN_LESSONS_PYTHON or pass --python",
          e);
    }
  }

  /**
   * Runs {@code SCRIPTS/scriptName} with the given arguments. The script prints {@code time NAME t1
   * t2 ...} or {@code value NAME v1 v2 ...} lines.
   *
   * @param scriptName a script of {@code src/test/python}, e.g. {@code bench.py}
   * @param args its command-line arguments
   * @param timeoutSeconds how long the script may run; it is then ended and an {@code IOException}
   *     thrown
   * @return the numbers of each line by name
   * @throws IOException naming the interpreter when it cannot run or the script fails
   * @throws InterruptedException when this thread is interrupted while waiting for the script
   */
  public Map<String, double[]> run(String scriptName, List<String> args, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path script = SCRIPTS.resolve(scriptName);
    if (!Files.isRegularFile(script)) {
      throw new IOException(
          script + ": the Python benchmark script is missing; run from the repository root");
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
    command.addAll(args);
    Path out = Files.createTempFile("bench-python", ".txt");
    Path err = Files.createTempFile("bench-python", ".err");
    try {
      Process p =
          start(
              python,
              new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()));
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(script + ": did not finish in " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        String last = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        throw new IOException(script + ": exited with status " + p.exitValue() + ": " + last);
      }
      Map<String, double[]> values = new HashMap<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length >= 3 && (parts[0].equals("time") || parts[0].equals("value"))) {
          double[] v = new double[parts.length - 2];
          for (int i = 2; i < parts.length; i++) {
            v[i - 2] = Double.parseDouble(parts[i]);
          }
          values.put(parts[1], v);
        }
      }
      return values;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
