package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends half its headers and stalls does not hold a reading thread for good: the
 * JDK's server reads headers before any handler of {@code serve} runs (so the body deadline, {@code
 * --body-timeout-seconds}, cannot apply), and cuts the request off after {@code
 * sun.net.httpserver.maxReqTime} seconds ({@code serve} sets 60; 2 here); with one reading thread
 * and one worker, the server then keeps serving.
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
    try (ServeProcess server =
        ServeProcess.start(
            List.of("-Dsun.net.httpserver.maxReqTime=2"),
            "--model",
            run.toString(),
            "--workers",
            "1",
            "--io-threads",
            "1")) {
      int port = server.port;
      try (Socket slow = new Socket("127.0.0.1", port)) {
        OutputStream o = slow.getOutputStream();
        o.write(
            "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nContent-Le"
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
      assertEquals(200, status.statusCode(), "still serving with its one reading thread");
    }
  }
}
