package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.ChildJvm;

/**
 * {@code java [jvmFlags] -jar dnn-lessons.jar serve ...} in a process of its own, as users start
 * it: its log lines read as they come, the port from its start line. Closing it sends SIGTERM and
 * waits for it to stop.
 */
final class ServeProcess implements AutoCloseable {

  private static final Pattern PORT =
      Pattern.compile("serve: model .* at http://127\\.0\\.0\\.1:(\\d+)/v1/models/");

  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  /** The start line ({@code serve: model NAME version N from ... at URL ...}). */
  final String started;

  /** The port it listens on, read from the start line. */
  final int port;

  private ServeProcess(List<String> command) throws Exception {
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("reader: " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      started = await("serve: model ");
      Matcher m = PORT.matcher(started);
      assertTrue(m.find(), started);
      port = Integer.parseInt(m.group(1));
    } catch (Throwable e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Starts {@code serve} on a free port ({@code --port 0} is added) and waits for its start line.
   *
   * @param jvmFlags flags before {@code -jar}, e.g. {@code -Dsun.net.httpserver.maxReqTime=2}
   * @param serveArgs the arguments after {@code serve}
   */
  static ServeProcess start(List<String> jvmFlags, String... serveArgs) throws Exception {
    // ChildJvm's flags keep JDK 25 quiet
    List<String> command = new ArrayList<>(ChildJvm.command(jvmFlags.toArray(String[]::new)));
    command.add("-jar");
    command.add(Path.of(System.getProperty("dnnlessons.jar")).toAbsolutePath().toString());
    command.add("serve");
    command.addAll(List.of(serveArgs));
    command.addAll(List.of("--port", "0"));
    return new ServeProcess(command);
  }

  /** {@code http://127.0.0.1:PORT/}. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The next log line containing {@code text}, waiting up to 120 s for it. */
  String await(String text) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        if (!process.isAlive() && lines.isEmpty()) {
          break;
        }
        continue;
      }
      seen.add(line);
      if (line.contains(text)) {
        return line;
      }
    }
    throw new AssertionError("no line with '" + text + "' in " + seen);
  }

  /**
   * Sends SIGTERM (the shutdown hook runs) and waits up to 30 s for the process to end.
   *
   * @return its exit status (143 after SIGTERM)
   */
  int stop() throws InterruptedException {
    process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of stdout)
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
