package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads against a real HTTP server on 127.0.0.1: good files, a corrupt file, a truncated
 * transfer, a server that stalls, a flaky server, and no server at all. Every request loop is
 * bounded by the downloader's attempt count and timeouts.
 */
class MnistDownloaderTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @TempDir Path cache;

  private HttpServer server;
  private URI base;
  private final byte[] content = new byte[50_000];
  private MnistDownloader.RemoteFile remote;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  @BeforeEach
  void startServer() throws Exception {
    new Random(7).nextBytes(content);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    remote = new MnistDownloader.RemoteFile("t10k-labels-idx1-ubyte.gz", content.length, sha);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String mode = path.split("/")[1];
    int n = requests.computeIfAbsent(mode, k -> new AtomicInteger()).incrementAndGet();
    try (ex;
        OutputStream out = ex.getResponseBody()) {
      switch (mode) {
        case "good" -> {
          ex.sendResponseHeaders(200, content.length);
          out.write(content);
        }
        case "corrupt" -> {
          byte[] bad = content.clone();
          bad[1234] ^= 1;
          ex.sendResponseHeaders(200, bad.length);
          out.write(bad);
        }
        case "truncated" -> {
          ex.sendResponseHeaders(200, content.length);
          out.write(content, 0, content.length / 2);
          out.flush();
          ex.getHttpContext().getServer(); // then the exchange closes mid-body
          throw new IOException("hang up mid-transfer");
        }
        case "stall" -> {
          ex.sendResponseHeaders(200, content.length);
          out.write(content, 0, 100);
          out.flush();
          sleep(TIMEOUT.multipliedBy(4));
        }
        case "flaky" -> {
          if (n == 1) {
            ex.sendResponseHeaders(503, -1);
          } else {
            ex.sendResponseHeaders(200, content.length);
            out.write(content);
          }
        }
        default -> ex.sendResponseHeaders(404, -1);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private MnistDownloader downloader(String mode) {
    return new MnistDownloader(
        base.resolve(mode + "/"), cache, List.of(remote), TIMEOUT, TIMEOUT, 2);
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.toList();
    }
  }

  @Test
  void goodFileIsDownloadedVerifiedAndThenServedFromTheCache() throws IOException {
    downloader("good").fetchAll();
    assertArrayEquals(content, Files.readAllBytes(cache.resolve(remote.name())));
    assertEquals(List.of(cache.resolve(remote.name())), cacheFiles(), "no temporary file left");
    downloader("good").fetchAll();
    assertEquals(1, requests.get("good").get(), "a verified cached file is not fetched again");
  }

  @Test
  void corruptFileFailsItsChecksumAndLeavesNothing() throws IOException {
    DatasetException e =
        assertThrows(DatasetException.class, () -> downloader("corrupt").fetchAll());
    assertEquals(base.resolve("corrupt/" + remote.name()).toString(), e.source());
    assertTrue(
        e.getMessage().contains("download failed after 2 attempts (SHA-256 "), e.getMessage());
    assertTrue(e.getMessage().contains("expected " + remote.sha256()), e.getMessage());
    assertEquals(2, requests.get("corrupt").get());
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void truncatedTransferFailsAndLeavesNothing() throws IOException {
    DatasetException e =
        assertThrows(DatasetException.class, () -> downloader("truncated").fetchAll());
    assertTrue(e.getMessage().contains("download failed after 2 attempts"), e.getMessage());
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void stalledServerTimesOutWithinTheBoundedAttempts() throws IOException {
    long start = System.nanoTime();
    DatasetException e = assertThrows(DatasetException.class, () -> downloader("stall").fetchAll());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    assertEquals(2, requests.get("stall").get());
    assertTrue(millis < 10_000, "gave up after " + millis + " ms");
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void aFailedAttemptIsRetried() throws IOException {
    downloader("flaky").fetchAll();
    assertEquals(2, requests.get("flaky").get());
    assertArrayEquals(content, Files.readAllBytes(cache.resolve(remote.name())));
  }

  @Test
  void corruptCachedFileIsReplaced() throws IOException {
    Files.write(cache.resolve(remote.name()), new byte[] {1, 2, 3});
    downloader("good").fetchAll();
    assertArrayEquals(content, Files.readAllBytes(cache.resolve(remote.name())));
  }

  @Test
  void offlineFailsWithOneLineNamingTheUrlAndSuggestingData() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/mnist/");
    MnistDownloader d = new MnistDownloader(nowhere, cache, List.of(remote), TIMEOUT, TIMEOUT, 2);
    DatasetException e = assertThrows(DatasetException.class, d::fetchAll);
    assertEquals(nowhere.resolve(remote.name()).toString(), e.source());
    assertTrue(
        e.getMessage().endsWith("offline? pass --data DIR with the four MNIST files"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void publishedChecksumsAreWellFormed() {
    assertEquals(4, MnistDownloader.FILES.size());
    for (MnistDownloader.RemoteFile f : MnistDownloader.FILES) {
      assertTrue(f.sha256().matches("[0-9a-f]{64}"), f.toString());
    }
  }
}
