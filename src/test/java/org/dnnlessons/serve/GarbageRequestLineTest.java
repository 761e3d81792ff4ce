package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * What a request line the JDK's server cannot parse is answered with: the JDK answers it itself,
 * before any handler of {@code serve} runs (its {@code ServerImpl.Exchange} rejects it), so the
 * answer is the JDK's 400 with a short HTML body and the connection closed, not TensorFlow
 * Serving's JSON error; the server keeps serving. serving.md says so; this test pins it, so a JDK
 * that changes it is noticed.
 */
class GarbageRequestLineTest {

  private static String send(int port, String request) throws Exception {
    try (Socket s = Http.raw(port, request)) {
      return Http.readAll(s);
    }
  }

  @Test
  void theJdkAnswersAGarbageRequestLineWithItsOwn400() throws Exception {
    try (ModelManager manager = new ModelManager(new FakeModel(5));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, line -> {})) {
      for (String garbage :
          new String[] {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /v1/models/mnist\r\n\r\n"}) {
        String r = send(server.port(), garbage);
        assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
        assertTrue(r.contains("Content-Type: text/html"), r);
        assertTrue(r.contains("Connection: close"), r);
        assertTrue(r.endsWith("Bad request line"), r);
      }
      // a line the JDK parses reaches serve's handler: TensorFlow Serving's JSON error
      String r =
          send(server.port(), "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(r.startsWith("HTTP/1.1 404 "), r);
      assertTrue(r.endsWith("{\"error\":\"Malformed request: GET /nothing\"}"), r);
      assertEquals(200, Http.get(server.url() + "v1/models/mnist").status(), "still serving");
    }
  }
}
