package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bytes of request bodies a server holds at once are bounded ({@code 2 x --workers x
 * --max-body-bytes}): bodies read on the io threads, apart from the workers, could otherwise fill
 * the heap (40 valid 8 MB bodies at once on a 256 MiB heap: 20 answered 500 OutOfMemoryError).
 */
class BodyBudgetTest {

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void aBodyTakesItsBytesFromTheBudgetUntilClosed() throws Exception {
    BodyBudget budget = new BodyBudget(200 * 1024);
    byte[] first = bytes(150_000);
    BodyBudget.Held held = budget.read(new ByteArrayInputStream(first), 1 << 20);
    assertArrayEquals(first, held.bytes());
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> budget.read(new ByteArrayInputStream(bytes(100_000)), 1 << 20));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("204800 bytes of request bodies"), e.getMessage());
    held.close();
    // given back: the same body fits now, and the refused one took nothing with it
    byte[] second = bytes(190_000);
    try (BodyBudget.Held again = budget.read(new ByteArrayInputStream(second), 1 << 20)) {
      assertArrayEquals(second, again.bytes());
    }
    // at most max bytes are read
    assertEquals(1000, budget.read(new ByteArrayInputStream(first), 1000).bytes().length);
  }

  @Test
  void aBodyWhoseReadingFailsGivesItsBytesBack() throws Exception {
    BodyBudget budget = new BodyBudget(200 * 1024);
    InputStream broken =
        new SequenceInputStream(
            new ByteArrayInputStream(bytes(150_000)),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("connection reset");
              }
            });
    assertThrows(IOException.class, () -> budget.read(broken, 1 << 20));
    byte[] full = bytes(200 * 1024);
    try (BodyBudget.Held held = budget.read(new ByteArrayInputStream(full), 1 << 20)) {
      assertArrayEquals(full, held.bytes());
    }
  }

  @Test
  void uploadsBeyondTheBudgetAreAnswered503AtOnceAndTheServerStillAnswers() throws Exception {
    int max = 64 * 1024; // one worker: a budget of 2 x 1 x 64 KiB
    try (ModelManager manager = new ModelManager(new FakeModel(7));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withLimits(1, 8, max)
                    .withReading(ServeOptions.IO_THREADS_DEFAULT, 20_000),
                manager,
                line -> {})) {
      List<Socket> uploads = new ArrayList<>();
      try {
        // three uploads of 60,000 bytes of a 65,536-byte body each, then stalled: 180,000 bytes
        // held against a budget of 131,072; without a budget all three wait for the 20 s deadline
        String part = "x".repeat(60_000);
        for (int i = 0; i < 3; i++) {
          uploads.add(
              Http.raw(
                  server.port(),
                  "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nContent-Length: "
                      + max
                      + "\r\n\r\n"
                      + part));
        }
        // whichever crossed the budget is answered at once; the others still wait for their bodies
        List<String> answers = new ArrayList<>();
        for (Socket s : uploads) {
          s.setSoTimeout(2_000);
          try {
            answers.add(Http.readAll(s));
          } catch (SocketTimeoutException e) {
            answers.add("waiting");
          } catch (SocketException e) {
            // the 503 is sent and the connection closed with the client's bytes unread: TCP may
            // reset it before the client reads the answer
            answers.add("reset");
          }
        }
        assertEquals(2, answers.stream().filter("waiting"::equals).count(), answers::toString);
        String answer = answers.stream().filter(x -> !x.equals("waiting")).findFirst().get();
        assertTrue(
            answer.equals("reset")
                || answer.startsWith("HTTP/1.1 503")
                    && answer.contains("\"error\":\"the server already holds its limit of"),
            answer);
      } finally {
        for (Socket s : uploads) {
          s.close();
        }
      }
      // the stalled uploads, cut off by their clients, give their bytes back
      Http.Answer a = null;
      for (int i = 0; i < 50; i++) {
        a =
            Http.post(
                server.url() + "v1/models/mnist:predict",
                "{\"instances\": [" + ModelServerTest.flat(ModelServerTest.image(3)) + "]}");
        if (a.status() == 200) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(200, a.status(), a.body());
    }
  }
}
