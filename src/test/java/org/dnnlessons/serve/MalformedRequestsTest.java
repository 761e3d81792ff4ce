package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 malformed {@code :predict} requests (fuzzed JSON, wrong shapes, NaN, huge numbers,
 * truncated bodies, non-JSON bytes, too many instances, nesting bombs), sent 8 at a time: each is
 * answered with a 4xx and a JSON {@code {"error": "..."}}, and the server still answers a good
 * request afterwards.
 */
class MalformedRequestsTest {

  private static final int REQUESTS = 1000;

  @TempDir Path dir;

  /** One malformed body and the kind of damage done to it. */
  record Case(String kind, byte[] body) {}

  static String goodBody(Random random, int instances) {
    StringBuilder s = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < instances; i++) {
      s.append(i == 0 ? "[" : ",[");
      for (int p = 0; p < ServedModel.PIXELS; p++) {
        s.append(p == 0 ? "" : ",").append(random.nextInt(3) == 0 ? "0.5" : "0");
      }
      s.append(']');
    }
    return s.append("]}").toString();
  }

  /** Replaces the {@code k}-th pixel value of a good body with {@code token}. */
  static String replacePixel(String body, int k, String token) {
    int at = body.indexOf("[[") + 2;
    for (int i = 0; i < k; i++) {
      at = body.indexOf(',', at) + 1;
    }
    int end = at;
    while (body.charAt(end) != ',' && body.charAt(end) != ']') {
      end++;
    }
    return body.substring(0, at) + token + body.substring(end);
  }

  static List<Case> cases(long seed, int maxInstances) {
    Random random = new Random(seed);
    String[] badTokens = {
      "NaN", "Infinity", "-Infinity", "nan", "\"0.5\"", "true", "null", "{}", "[]", "[0.5]",
      "]", ",", ":", "0x10", "1.", ".5", "--1", "1e", "\"\\u0000\"", "{\"x\":1}"
    };
    int[][] wrongShapes = {
      {1, 783},
      {1, 785},
      {2, 28, 27},
      {1, 28, 28, 2},
      {1, 29, 28, 1},
      {1, 27, 28},
      {784},
      {1, 1},
      {1, 28, 28, 1, 1},
      {1, 4, 196}
    };
    List<Case> cases = new ArrayList<>();
    while (cases.size() < REQUESTS) {
      String good = goodBody(random, 1 + random.nextInt(2));
      int pixel = random.nextInt(ServedModel.PIXELS);
      switch (cases.size() % 8) {
        case 0 -> {
          int cut = random.nextInt(good.length() - 1); // any proper prefix of an object
          cases.add(
              new Case("truncated body", good.substring(0, cut).getBytes(StandardCharsets.UTF_8)));
        }
        case 1 ->
            cases.add(
                new Case(
                    "fuzzed token",
                    replacePixel(good, pixel, badTokens[random.nextInt(badTokens.length)])
                        .getBytes(StandardCharsets.UTF_8)));
        case 2 -> {
          int[] shape = wrongShapes[random.nextInt(wrongShapes.length)];
          cases.add(
              new Case(
                  "wrong shape",
                  ("{\"instances\":" + tensor(shape) + "}").getBytes(StandardCharsets.UTF_8)));
        }
        case 3 -> {
          String huge = (random.nextBoolean() ? "" : "-") + "1e" + (2 + random.nextInt(400));
          cases.add(
              new Case(
                  "huge number", replacePixel(good, pixel, huge).getBytes(StandardCharsets.UTF_8)));
        }
        case 4 -> {
          byte[] junk = new byte[random.nextInt(200)];
          random.nextBytes(junk);
          cases.add(new Case("random bytes", junk));
        }
        case 5 -> {
          byte[] b = good.getBytes(StandardCharsets.UTF_8);
          int structural = good.lastIndexOf(']'); // damage the closing structure
          b[structural - random.nextInt(3)] = (byte) "{[\":x".charAt(random.nextInt(5));
          b[structural] = '[';
          cases.add(new Case("fuzzed structure", b));
        }
        case 6 ->
            cases.add(
                new Case(
                    "too many instances",
                    goodBody(random, maxInstances + 1 + random.nextInt(3))
                        .getBytes(StandardCharsets.UTF_8)));
        default -> {
          int depth = 17 + random.nextInt(20_000);
          String bomb =
              random.nextBoolean()
                  ? "[".repeat(depth) + "]".repeat(depth)
                  : "{\"instances\":" + "[".repeat(depth);
          cases.add(new Case("nesting bomb", bomb.getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    return cases;
  }

  static String tensor(int[] shape) {
    return tensor(shape, 0);
  }

  private static String tensor(int[] shape, int d) {
    if (d == shape.length) {
      return "0.25";
    }
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < shape[d]; i++) {
      s.append(i == 0 ? "" : ",").append(tensor(shape, d + 1));
    }
    return s.append(']').toString();
  }

  @Test
  void everyMalformedRequestIsA4xxWithAJsonErrorAndTheServerKeepsServing() throws Exception {
    Checkpoints.save(dir, 5, 1);
    int maxInstances = 4;
    try (ModelManager manager =
            new ModelManager(CheckpointSource.loadLatest(dir, MlpServedModel::load));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withLimits(4, maxInstances, 1 << 20),
                manager,
                line -> {})) {
      String url = server.url() + "v1/models/mnist:predict";
      long t0 = System.nanoTime();
      List<Case> cases = cases(26, maxInstances);
      System.out.println("cases made in " + (System.nanoTime() - t0) / 1e6 + " ms");
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<Http.Answer>> answers = new ArrayList<>();
      for (Case c : cases) {
        answers.add(clients.submit(() -> Http.post(url, c.body())));
      }
      Map<String, Integer> counts = new TreeMap<>();
      for (int i = 0; i < cases.size(); i++) {
        Http.Answer a = answers.get(i).get();
        String what = cases.get(i).kind() + " #" + i + ": " + a.body();
        assertTrue(a.status() >= 400 && a.status() < 500, a.status() + " for " + what);
        JsonElement body = JsonParser.parseString(a.body());
        assertTrue(
            body.isJsonObject()
                && body.getAsJsonObject().size() == 1
                && body.getAsJsonObject().get("error").getAsJsonPrimitive().isString(),
            what);
        counts.merge(cases.get(i).kind() + " -> " + a.status(), 1, Integer::sum);
      }
      clients.shutdown();
      System.out.println(
          "malformed requests: " + counts + " in " + (System.nanoTime() - t0) / 1e6 + " ms");
      assertEquals(REQUESTS, counts.values().stream().mapToInt(Integer::intValue).sum());
      Http.Answer good = Http.post(url, goodBody(new Random(1), 2));
      assertEquals(200, good.status(), good.body());
      assertEquals(
          2,
          JsonParser.parseString(good.body())
              .getAsJsonObject()
              .getAsJsonArray("predictions")
              .size());
    }
  }
}
