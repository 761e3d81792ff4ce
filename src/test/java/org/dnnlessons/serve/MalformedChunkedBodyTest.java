package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * A chunked body the JDK cannot decode (a chunk size that is not hexadecimal, or one past any
 * length) is answered 400 with a JSON error naming why, not by closing the connection unanswered.
 */
class MalformedChunkedBodyTest {

  @Test
  void aChunkedBodyThatCannotBeDecodedIsA400WithAJsonError() throws Exception {
    try (ModelManager manager = new ModelManager(new FakeModel(7));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, line -> {})) {
      for (String chunk : new String[] {"zz\r\nabc\r\n0\r\n\r\n", "7fffffffffffffffff\r\nabc"}) {
        try (Socket s =
            Http.raw(
                server.port(),
                "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + chunk)) {
          s.shutdownOutput();
          String answer = Http.readAll(s);
          assertTrue(answer.startsWith("HTTP/1.1 400"), chunk + ": " + answer);
          assertTrue(
              answer.contains("{\"error\":\"the request body could not be read: "),
              chunk + ": " + answer);
        }
      }
    }
  }
}
