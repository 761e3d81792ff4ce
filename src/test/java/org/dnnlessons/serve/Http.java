package org.dnnlessons.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A test's HTTP client for the server: one request, its status and body. */
final class Http {

  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** The status and body of an answer. */
  record Answer(int status, String body, String contentType) {}

  static Answer get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static Answer post(String url, String body) throws IOException, InterruptedException {
    return post(url, body.getBytes(StandardCharsets.UTF_8));
  }

  static Answer post(String url, byte[] body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r =
        CLIENT.send(
            request.timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }

  /**
   * A connection of its own to the server on {@code port} (reads time out after 30 s), on which
   * {@code bytes} are sent as they are: a request the HTTP client would not send (half a body, a
   * garbage line).
   */
  static Socket raw(int port, String bytes) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    OutputStream o = s.getOutputStream();
    o.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    o.flush();
    return s;
  }

  /** What the server sent on {@code s}, read to the connection's end. */
  static String readAll(Socket s) throws IOException {
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private Http() {}
}
