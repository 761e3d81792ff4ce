package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends half a request and stalls does not hold a worker for good: the server cuts it
 * off after {@code sun.net.httpserver.maxReqTime} seconds ({@code serve} sets 60; 2 here) and keeps
 * serving.
 */
class SlowClientIT {

  @TempDir Path dir;

  @Test
  void aStalledRequestIsCutOffAndTheServerKeepsServing() throws Exception {
    Path run = dir.resolve("run");
    CliRun train =
        CliRun.of(
            "train",
            "--hidden",
            "16",
            "--epochs",
            "1",
            "--save",
            run.resolve("model.ckpt").toString());
    assertEquals(0, train.status(), train.err());
    String jar = Path.of(System.getProperty("dnnlessons.jar")).toAbsolutePath().toString();
    Process server =
        new ProcessBuilder(
                ChildJvm.command(
                    "-Dsun.net.httpserver.maxReqTime=2",
                    "-jar",
                    jar,
                    "serve",
                    "--model",
                    run.toString(),
                    "--port",
                    "0",
                    "--workers",
                    "1"))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      for (String line; port < 0 && (line = out.readLine()) != null; ) {
        Matcher m =
            Pattern.compile("serve: model .* at http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "the start line");
      try (Socket slow = new Socket("127.0.0.1", port)) {
        OutputStream o = slow.getOutputStream();
        o.write(
            ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
                    + "{\"instances\"")
                .getBytes(StandardCharsets.US_ASCII));
        o.flush();
        slow.setSoTimeout(30_000);
        long t0 = System.nanoTime();
        InputStream in = slow.getInputStream();
        in.readAllBytes(); // returns when the server closes the connection
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 15, "cut off after " + seconds + " s");
      }
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/v1/models/mnist"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode(), "still serving with its one worker");
    } finally {
      server.toHandle().destroy();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    }
  }
}
