package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Uploads that stall or trickle do not starve other requests: with {@code workers + 1} of them
 * open, a normal {@code :predict} is answered before any of them is cut off, and each of them is
 * then answered 408 with a JSON error once the body deadline passes (a trickle does not extend it).
 */
class SlowUploadTest {

  private static final int WORKERS = 2;
  private static final long BODY_TIMEOUT_MILLIS = 4_000;

  private static ModelServer start(ModelManager manager, int workers, int ioThreads)
      throws IOException {
    return ModelServer.start(
        ServeOptions.defaults()
            .withAddress("127.0.0.1", 0)
            .withLimits(workers, 8, 64 * 1024)
            .withReading(ioThreads, BODY_TIMEOUT_MILLIS),
        manager,
        line -> {});
  }

  /** Sends the headers and the first bytes of a 1000-byte body, then stalls. */
  private static Socket stall(int port) throws IOException {
    return Http.raw(
        port,
        "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
            + "{\"instances\"");
  }

  @Test
  void stalledAndTricklingUploadsDoNotKeepAPredictionWaiting() throws Exception {
    try (ModelManager manager = new ModelManager(new FakeModel(7));
        ModelServer server = start(manager, WORKERS, ServeOptions.IO_THREADS_DEFAULT)) {
      List<Socket> slow = new ArrayList<>();
      ExecutorService trickle = Executors.newSingleThreadExecutor();
      try {
        for (int i = 0; i < WORKERS; i++) {
          slow.add(stall(server.port()));
        }
        Socket trickling = stall(server.port());
        slow.add(trickling);
        Future<?> drip =
            trickle.submit(
                () -> {
                  OutputStream o = trickling.getOutputStream();
                  for (int i = 0; i < 80; i++) { // a space every 100 ms: 8 s, past the deadline
                    o.write(' ');
                    o.flush();
                    Thread.sleep(100);
                  }
                  return null;
                });
        Thread.sleep(300); // the server has read their headers and is waiting on their bodies

        Http.Answer a =
            Http.post(
                server.url() + "v1/models/mnist:predict",
                "{\"instances\": [" + ModelServerTest.flat(ModelServerTest.image(3)) + "]}");
        assertEquals(200, a.status(), a.body());
        assertEquals(
            3,
            JsonParser.parseString(a.body())
                .getAsJsonObject()
                .getAsJsonArray("predictions")
                .get(0)
                .getAsJsonObject()
                .get("classes")
                .getAsInt());
        // answered while every slow upload is still open and unanswered: not after a cut-off
        assertEquals(0, server.timedOut(), "slow uploads cut off before the prediction");
        for (Socket s : slow) {
          assertEquals(0, s.getInputStream().available(), "a slow upload answered already");
        }

        for (Socket s : slow) {
          String r = Http.readAll(s);
          assertTrue(r.startsWith("HTTP/1.1 408 "), r);
          String json = r.substring(r.indexOf("\r\n\r\n") + 4);
          String error = JsonParser.parseString(json).getAsJsonObject().get("error").getAsString();
          assertTrue(error.contains("did not arrive within 4000 ms"), error);
        }
        assertEquals(WORKERS + 1, server.timedOut());
        try {
          drip.get();
        } catch (java.util.concurrent.ExecutionException expected) {
          // the server closed the trickling connection while it still wrote
        }
        assertEquals(200, Http.get(server.url() + "v1/models/mnist").status(), "still serving");
      } finally {
        trickle.shutdownNow();
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }

  @Test
  void aBodyThatArrivesInPiecesWithinTheDeadlineIsAnswered() throws Exception {
    try (ModelManager manager = new ModelManager(new FakeModel(7));
        ModelServer server = start(manager, 1, 4)) {
      String body = "{\"instances\": [" + ModelServerTest.flat(ModelServerTest.image(4)) + "]}";
      int half = body.length() / 2;
      Socket s =
          Http.raw(
              server.port(),
              "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body.substring(0, half));
      Thread.sleep(500);
      OutputStream o = s.getOutputStream();
      o.write(body.substring(half).getBytes(StandardCharsets.US_ASCII));
      o.flush();
      String r = Http.readAll(s);
      s.close();
      assertTrue(r.startsWith("HTTP/1.1 200 "), r);
      assertTrue(r.contains("\"classes\":4"), r);
      assertEquals(0, server.timedOut());
    }
  }
}
