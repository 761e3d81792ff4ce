package org.dnnlessons.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's training loop kept running between requests ({@code bench.py --serve}), so that the
 * benchmark can interleave Java's repetitions with Python's: both then see the same machine, which
 * on a shared machine drifts by 10-30% from one minute to the next.
 *
 * <p>Each request runs {@code steps} steps of the lesson's loop ({@code next_batch} and one {@code
 * sess.run(train_op, feed_dict)}) at a batch size, in one session per batch size kept from request
 * to request, and answers with the seconds they took.
 */
public final class PythonTrainingServer implements AutoCloseable {

  private final Process process;
  private final BufferedReader answers;
  private final PrintWriter requests;
  private final Path errors;

  private PythonTrainingServer(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code bench.py --serve} and waits until it has read the data.
   *
   * @param python the interpreter (numpy and TensorFlow 2.21)
   * @param data the directory of the MNIST files ({@code data/mnist})
   * @throws IOException naming the interpreter or the script when it cannot start
   */
  public static PythonTrainingServer start(Path python, Path data) throws IOException {
    Path script = PythonPeer.SCRIPTS.resolve("bench.py");
    if (!Files.isRegularFile(script)) {
      throw new IOException(
          script + ": the Python benchmark script is missing; run from the repository root");
    }
    Path errors = Files.createTempFile("bench-python-serve", ".err");
    Process process;
    try {
      process =
          PythonPeer.start(
              python,
              new ProcessBuilder(
                      python.toString(), script.toString(), "--serve", "--data", data.toString())
                  .redirectError(errors.toFile()));
    } catch (IOException e) {
      Files.deleteIfExists(errors);
      throw e;
    }
    PythonTrainingServer server = new PythonTrainingServer(process, errors);
    try {
      server.expect("ready");
    } catch (IOException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Runs {@code steps} training steps at {@code batch} in Python; returns their seconds, as Python
   * measured them.
   *
   * @throws IOException when Python fails or answers something else, with its last error line
   */
  public double train(int batch, int steps) throws IOException {
    requests.println("train " + batch + " " + steps);
    String answer = expect("time train_b" + batch + " ");
    return Double.parseDouble(answer.substring(answer.lastIndexOf(' ') + 1));
  }

  private String expect(String prefix) throws IOException {
    String line = answers.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IOException(
          PythonPeer.SCRIPTS.resolve("bench.py")
              + " --serve: expected '"
              + prefix.trim()
              + "...', got "
              + (line == null ? "end of output" : "'" + line + "'")
              + lastError());
    }
    return line;
  }

  private String lastError() throws IOException {
    List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "" : " (" + lines.get(lines.size() - 1).trim() + ")";
  }

  /** Asks the server to stop, and stops it if it does not within ten seconds. */
  @Override
  public void close() throws IOException {
    if (!process.isAlive()) {
      Files.deleteIfExists(errors);
      return;
    }
    requests.println("quit");
    requests.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
