package org.dnnlessons.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Python's training loop kept running between requests ({@code bench.py --serve}), so that the
 * benchmark can interleave Java's repetitions with Python's: both then see the same machine, which
 * on a shared machine drifts by 10-30% from one minute to the next. The DJL peer ({@link
 * DjlPeerJar}, a separate JVM) speaks the same line protocol and is driven by this class too.
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
  private final String program;

  private PythonTrainingServer(Process process, Path errors, String program) {
    this.process = process;
    this.errors = errors;
    this.program = program;
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code bench.py --serve} and waits until it has read the data.
   *
   * @param python the interpreter (numpy and TensorFlow 2.21)
   * @param data the directory of the MNIST files ({@code data/mnist})
   * @return the running server; close it to end the Python process
   * @throws IOException naming the interpreter or the script when it cannot start
   */
  public static PythonTrainingServer start(Path python, Path data) throws IOException {
    return start(python, data, List.of("lesson"));
  }

  /**
   * Starts {@code bench.py --serve --peers ...} for the named peers ({@code bench_peers.py}: {@code
   * lesson}, {@code tf_function}, {@code jax_scan}, ...) and waits until it has read the data.
   *
   * @param python the interpreter (numpy and TensorFlow 2.21; JAX and PyTorch for their peers)
   * @param data the directory of the MNIST files ({@code data/mnist})
   * @param peers the peers to load, by name
   * @return the running server; close it to end the Python process
   * @throws IOException naming the interpreter or the script when it cannot start
   */
  public static PythonTrainingServer start(Path python, Path data, List<String> peers)
      throws IOException {
    Path script = PythonPeer.SCRIPTS.resolve("bench.py");
    if (!Files.isRegularFile(script)) {
      throw new IOException(
          script + ": the Python benchmark script is missing; run from the repository root");
    }
    ProcessBuilder builder =
        new ProcessBuilder(
            python.toString(),
            script.toString(),
            "--serve",
            "--peers",
            String.join(",", peers),
            "--data",
            data.toString());
    if (peers.stream().anyMatch(p -> p.startsWith("torch"))) {
      passiveOpenMp(builder);
    }
    return start(builder, script + " --serve", b -> PythonPeer.start(python, b));
  }

  /**
   * PyTorch's OpenMP threads spin while they wait for work; on a busy 2-core machine that spinning
   * starves the thread doing the work (measured: 5 steps/s instead of 90 at batch 128 under load);
   * the benchmark's header says it sets this.
   */
  static void passiveOpenMp(ProcessBuilder builder) {
    builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
  }

  /** How a server's process is started (its errors already redirected). */
  interface Starter {
    Process start(ProcessBuilder builder) throws IOException;
  }

  /**
   * Starts {@code builder}'s command, a server of the line protocol named {@code program} in
   * messages, and waits for its {@code ready}.
   *
   * @throws IOException naming {@code program} when it cannot start or does not answer {@code
   *     ready}, with its last error line
   */
  static PythonTrainingServer start(ProcessBuilder builder, String program, Starter starter)
      throws IOException {
    return start(builder, program, starter, READY_TIMEOUT);
  }

  /**
   * How long a server may take to answer {@code ready} (importing TensorFlow or PyTorch takes
   * seconds, not minutes); a server still silent then is stopped, so that a peer that hangs at
   * start costs the benchmark one line instead of the whole run.
   */
  static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /** As above, waiting at most {@code readyTimeout} for {@code ready}. */
  static PythonTrainingServer start(
      ProcessBuilder builder, String program, Starter starter, Duration readyTimeout)
      throws IOException {
    Path errors = Files.createTempFile("bench-peer-serve", ".err");
    builder.redirectError(errors.toFile());
    Process process;
    try {
      process = starter.start(builder);
    } catch (IOException e) {
      Files.deleteIfExists(errors);
      throw e;
    }
    PythonTrainingServer server = new PythonTrainingServer(process, errors, program);
    AtomicBoolean answered = new AtomicBoolean();
    AtomicBoolean stopped = new AtomicBoolean();
    CompletableFuture.delayedExecutor(readyTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (!answered.get()) {
                stopped.set(true);
                process.destroyForcibly();
              }
            });
    try {
      server.expect("ready");
      answered.set(true);
    } catch (IOException e) {
      answered.set(true);
      server.close();
      if (stopped.get()) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s: no 'ready' within %.1f s; stopped it",
                program,
                readyTimeout.toMillis() / 1000.0),
            e);
      }
      throw e;
    }
    return server;
  }

  /**
   * Runs {@code steps} training steps at {@code batch} in Python; returns their seconds, as Python
   * measured them.
   *
   * @param batch examples per step
   * @param steps training steps, {@code >= 1}
   * @return the seconds the steps took, as Python measured them
   * @throws IOException when Python fails or answers something else, with its last error line
   */
  public double train(int batch, int steps) throws IOException {
    requests.println("train " + batch + " " + steps);
    String answer = expect("time train_b" + batch + " ");
    return Double.parseDouble(answer.substring(answer.lastIndexOf(' ') + 1));
  }

  /**
   * Runs {@code steps} training steps of {@code peer} at {@code batch}; returns their seconds, as
   * Python measured them (the peer's work finished, not only queued).
   *
   * @param peer the peer's name, one given to {@link #start(Path, Path, List)}
   * @param batch examples per step
   * @param steps training steps, {@code >= 1}
   * @return the seconds the steps took, as Python measured them
   * @throws IOException when Python fails or answers something else, with its last error line
   */
  public double train(String peer, int batch, int steps) throws IOException {
    requests.println("train " + peer + " " + batch + " " + steps);
    String answer = expect("time " + peer + " " + batch + " ");
    return Double.parseDouble(answer.substring(answer.lastIndexOf(' ') + 1));
  }

  /**
   * Sets {@code peer}'s weights at {@code batch} from {@code weights} (raw little-endian float32:
   * W1, W2, b1, b2), trains one step per batch of {@code indices} (raw little-endian int32 into the
   * training split, batch after batch) and returns the mean cross-entropy on the validation split.
   *
   * @param peer the peer's name
   * @param batch examples per step
   * @param weights a file of raw little-endian float32 weights: W1, W2, b1, b2
   * @param indices a file of raw little-endian int32 positions in the training split
   * @return the mean cross-entropy on the validation split after the steps
   * @throws IOException when Python fails or answers something else, with its last error line
   */
  public double validationLossAfter(String peer, int batch, Path weights, Path indices)
      throws IOException {
    requests.println("check " + peer + " " + batch + " " + weights + " " + indices);
    String answer = expect("loss " + peer + " " + batch + " ");
    return Double.parseDouble(answer.substring(answer.lastIndexOf(' ') + 1));
  }

  /**
   * The runtime serving {@code peer}, with its version (e.g. {@code JAX 0.10.2 ...}).
   *
   * @param peer the peer's name
   * @return one line, e.g. {@code JAX 0.10.2 (CPU)}
   * @throws IOException when Python fails or answers something else, with its last error line
   */
  public String describe(String peer) throws IOException {
    requests.println("describe " + peer);
    return expect("describe " + peer + " ").substring(("describe " + peer + " ").length());
  }

  private String expect(String prefix) throws IOException {
    String line = answers.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IOException(
          program
              + ": expected '"
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
