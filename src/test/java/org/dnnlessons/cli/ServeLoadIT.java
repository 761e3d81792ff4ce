package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar dnn-lessons.jar serve} as users start it, under load from a second process:
 * {@code wrk} with 64 connections on loopback posts one-image {@code :predict} requests for {@code
 * -Dserve.load.seconds} (5 by default; the closing note's run used 30). No errors, no non-2xx
 * answers; requests/s, p50/p99 and the server's resident memory before and after are printed. Then
 * training writes a newer checkpoint and the server swaps it in; SIGTERM stops it with its log
 * line.
 */
class ServeLoadIT {

  @TempDir Path dir;

  @Test
  void servesUnderLoadSwapsANewerCheckpointAndStopsOnSigterm() throws Exception {
    Path run = dir.resolve("run");
    CliRun train =
        CliRun.of(
            "train",
            "--hidden",
            "64",
            "--epochs",
            "1",
            "--learning-rate",
            "0.5",
            "--init-stddev",
            "0.1",
            "--save",
            run.resolve("model.ckpt").toString());
    assertEquals(0, train.status(), train.err());
    String jar = Path.of(System.getProperty("dnnlessons.jar")).toAbsolutePath().toString();
    Process server =
        new ProcessBuilder(
                ChildJvm.command(
                    "-jar",
                    jar,
                    "serve",
                    "--model",
                    run.toString(),
                    "--port",
                    "0",
                    "--poll-seconds",
                    "0.2"))
            .redirectErrorStream(true)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
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
      String started = await(lines, "serve: model mnist version 54 from ");
      Matcher port =
          Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/v1/models/mnist").matcher(started);
      assertTrue(port.find(), started);
      String url = "http://127.0.0.1:" + port.group(1) + "/v1/models/mnist";

      Path body = dir.resolve("one.json");
      StringBuilder instance = new StringBuilder("{\"instances\":[[");
      for (int p = 0; p < 784; p++) {
        instance.append(p == 0 ? "" : ",").append(p % 5 == 0 ? "0.5" : "0");
      }
      Files.writeString(body, instance.append("]]}").toString());
      Path lua = dir.resolve("post.lua");
      Files.writeString(
          lua,
          "local f = io.open(\""
              + body
              + "\", \"r\")\n"
              + "wrk.method = \"POST\"\n"
              + "wrk.body = f:read(\"*a\")\n"
              + "f:close()\n"
              + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
      long rssBefore = rssKb(server.pid());
      int seconds = Integer.getInteger("serve.load.seconds", 5);
      List<Long> rss = new ArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Thread.sleep(Math.max(1000, seconds * 200L));
                    rss.add(rssKb(server.pid()) / 1024);
                  }
                } catch (InterruptedException | IOException e) {
                  // done
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      Process wrk =
          new ProcessBuilder(
                  "wrk",
                  "-t2",
                  "-c64",
                  "-d" + seconds + "s",
                  "--timeout",
                  "10s",
                  "--latency",
                  "-s",
                  lua.toString(),
                  url + ":predict")
              .redirectErrorStream(true)
              .start();
      String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(wrk.waitFor(seconds + 60, TimeUnit.SECONDS));
      sampler.interrupt();
      long rssAfter = rssKb(server.pid());
      System.out.println(report);
      assertEquals(0, wrk.exitValue(), report);
      assertTrue(!report.contains("Non-2xx") && !report.contains("Socket errors"), report);
      double rps = number(report, "Requests/sec:\\s+([\\d.]+)");
      System.out.printf(
          Locale.ROOT,
          "serve load: %d s, 64 connections: %.0f requests/s, p50 %s, p99 %s, 0 errors;"
              + " server RSS %d MB before, %s MB during, %d MB after%n",
          seconds,
          rps,
          text(report, "\\s50%\\s+(\\S+)"),
          text(report, "\\s99%\\s+(\\S+)"),
          rssBefore / 1024,
          rss,
          rssAfter / 1024);
      assertTrue(rps > 0, report);

      CliRun more =
          CliRun.of(
              "train",
              "--hidden",
              "64",
              "--epochs",
              "2",
              "--learning-rate",
              "0.5",
              "--init-stddev",
              "0.1",
              "--save",
              run.resolve("model.ckpt").toString(),
              "--overwrite");
      assertEquals(0, more.status(), more.err());
      await(lines, "serve: version 108 from ");
    } finally {
      server.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of stdout)
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
    }
    await(lines, "serve: stopped after ");
    assertEquals(143, server.exitValue(), "killed by SIGTERM after the shutdown hook ran");
  }

  private static String await(BlockingQueue<String> lines, String start) throws Exception {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        continue;
      }
      seen.add(line);
      int at = line.indexOf(start);
      if (at >= 0) {
        return line;
      }
    }
    throw new AssertionError("no line with '" + start + "' in " + seen);
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static double number(String report, String regex) {
    return Double.parseDouble(text(report, regex));
  }

  private static String text(String report, String regex) {
    Matcher m = Pattern.compile(regex).matcher(report);
    assertTrue(m.find(), regex + " in " + report);
    return m.group(1);
  }
}
