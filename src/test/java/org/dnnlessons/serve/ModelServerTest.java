package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow Serving's REST API as {@code serve} answers it: the field names, shapes and status
 * codes of TF Serving's api_rest.md and its {@code get_model_status.proto}, {@code
 * get_model_metadata.proto} and {@code json_tensor.cc}, over a model whose answers are known.
 */
class ModelServerTest {

  private ModelManager manager;
  private ModelServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    manager = new ModelManager(new FakeModel(540));
    server =
        ModelServer.start(
            ServeOptions.defaults().withAddress("127.0.0.1", 0).withLimits(2, 8, 64 * 1024),
            manager,
            line -> {});
    base = server.url() + "v1/models/mnist";
  }

  @AfterEach
  void stop() {
    server.close();
    manager.close();
  }

  /** An image of 784 pixels whose sum is {@code digit} + 0.5, so the fake model says digit. */
  static float[] image(int digit) {
    float[] p = new float[ServedModel.PIXELS];
    for (int i = 0; i < 2 * digit + 1; i++) {
      p[i] = 0.5f;
    }
    return p;
  }

  static String flat(float[] image) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < image.length; i++) {
      s.append(i == 0 ? "" : ",").append(image[i]);
    }
    return s.append(']').toString();
  }

  /** The image as nested lists, [28][28] or [28][28][1]. */
  static String nested(float[] image, boolean channel) {
    StringBuilder s = new StringBuilder("[");
    for (int r = 0; r < 28; r++) {
      s.append(r == 0 ? "[" : ",[");
      for (int c = 0; c < 28; c++) {
        String v = Float.toString(image[r * 28 + c]);
        s.append(c == 0 ? "" : ",").append(channel ? "[" + v + "]" : v);
      }
      s.append(']');
    }
    return s.append(']').toString();
  }

  private static JsonObject json(Http.Answer a) {
    assertTrue(a.contentType().startsWith("application/json"), a.contentType());
    return JsonParser.parseString(a.body()).getAsJsonObject();
  }

  private static void assertError(int status, String fragment, Http.Answer a) {
    assertEquals(status, a.status(), a.body());
    JsonObject o = json(a);
    assertEquals(1, o.size(), a.body());
    assertTrue(o.get("error").getAsString().contains(fragment), a.body());
  }

  @Test
  void statusIsModelVersionStatusWithTheServedVersionAvailable() throws Exception {
    String expected =
        "{\"model_version_status\":[{\"version\":\"540\",\"state\":\"AVAILABLE\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}";
    Http.Answer a = Http.get(base);
    assertEquals(200, a.status());
    assertEquals(expected, a.body());
    assertEquals(expected, Http.get(base + "/versions/540").body());
    assertError(404, "Could not find version 7 of model mnist", Http.get(base + "/versions/7"));
    assertError(404, "Latest(other)", Http.get(server.url() + "v1/models/other"));
    assertError(404, "label", Http.get(base + "/labels/stable"));
  }

  @Test
  void metadataIsTheSignatureDefMapAsTensorFlowServingPrintsIt() throws Exception {
    JsonObject o = json(Http.get(base + "/metadata"));
    assertEquals(
        "{\"name\":\"mnist\",\"signature_name\":\"\",\"version\":\"540\"}",
        o.get("model_spec").toString());
    JsonObject sig =
        o.getAsJsonObject("metadata")
            .getAsJsonObject("signature_def")
            .getAsJsonObject("signature_def")
            .getAsJsonObject("serving_default");
    assertEquals("tensorflow/serving/predict", sig.get("method_name").getAsString());
    JsonObject x = sig.getAsJsonObject("inputs").getAsJsonObject("x");
    assertEquals("DT_FLOAT", x.get("dtype").getAsString());
    assertEquals(
        "{\"dim\":[{\"size\":\"-1\",\"name\":\"\"},{\"size\":\"28\",\"name\":\"\"},"
            + "{\"size\":\"28\",\"name\":\"\"},{\"size\":\"1\",\"name\":\"\"}],"
            + "\"unknown_rank\":false}",
        x.get("tensor_shape").toString());
    JsonObject outputs = sig.getAsJsonObject("outputs");
    assertEquals("DT_FLOAT", outputs.getAsJsonObject("probabilities").get("dtype").getAsString());
    assertEquals("DT_INT64", outputs.getAsJsonObject("classes").get("dtype").getAsString());
    assertEquals(json(Http.get(base + "/versions/540/metadata")), o);
  }

  @Test
  void rowFormAnswersPredictionsOneObjectPerInstanceInEveryImageShape() throws Exception {
    String body =
        "{\"signature_name\":\"serving_default\",\"instances\":["
            + flat(image(3))
            + ","
            + flat(image(7))
            + "]}";
    JsonArray predictions = json(Http.post(base + ":predict", body)).getAsJsonArray("predictions");
    assertEquals(2, predictions.size());
    assertEquals(3, predictions.get(0).getAsJsonObject().get("classes").getAsInt());
    assertEquals(7, predictions.get(1).getAsJsonObject().get("classes").getAsInt());
    JsonArray p = predictions.get(1).getAsJsonObject().getAsJsonArray("probabilities");
    assertEquals(10, p.size());
    assertEquals(1.0, p.get(7).getAsDouble());
    for (String instance :
        List.of(
            nested(image(5), true),
            nested(image(5), false),
            "{\"x\":" + flat(image(5)) + "}",
            "{\"x\":" + nested(image(5), true) + "}")) {
      Http.Answer a = Http.post(base + ":predict", "{\"instances\":[" + instance + "]}");
      assertEquals(200, a.status(), a.body());
      assertEquals(
          5,
          json(a).getAsJsonArray("predictions").get(0).getAsJsonObject().get("classes").getAsInt());
    }
    Http.Answer versioned =
        Http.post(base + "/versions/540:predict", "{\"instances\":[" + flat(image(1)) + "]}");
    assertEquals(200, versioned.status(), versioned.body());
    assertError(
        404,
        "Specific(mnist, 9)",
        Http.post(base + "/versions/9:predict", "{\"instances\":[" + flat(image(1)) + "]}"));
  }

  @Test
  void columnarFormAnswersOutputsKeyedByOutputName() throws Exception {
    String tensor = "[" + nested(image(2), true) + "," + nested(image(4), true) + "]";
    for (String inputs : List.of(tensor, "{\"x\":" + tensor + "}")) {
      JsonObject outputs =
          json(Http.post(base + ":predict", "{\"inputs\":" + inputs + "}"))
              .getAsJsonObject("outputs");
      assertEquals("[2,4]", outputs.get("classes").toString());
      assertEquals(2, outputs.getAsJsonArray("probabilities").size());
      assertEquals(
          1.0,
          outputs.getAsJsonArray("probabilities").get(1).getAsJsonArray().get(4).getAsDouble());
    }
  }

  @Test
  void classifyAnswersResultsOfLabelScorePairsAndRegressDoesNotApply() throws Exception {
    String body = "{\"examples\":[{\"x\":" + flat(image(6)) + "},{\"x\":" + flat(image(0)) + "}]}";
    JsonArray results = json(Http.post(base + ":classify", body)).getAsJsonArray("results");
    assertEquals(2, results.size());
    JsonArray first = results.get(0).getAsJsonArray();
    assertEquals(10, first.size());
    assertEquals("[\"6\",1.0]", first.get(6).toString());
    assertEquals("[\"0\",0.0]", first.get(0).toString());
    assertError(400, "regression", Http.post(base + ":regress", body));
    assertError(
        400,
        "context",
        Http.post(base + ":classify", "{\"context\":{\"y\":1},\"examples\":[{\"x\":[0]}]}"));
  }

  @Test
  void badRequestsAre400WithTheirReason() throws Exception {
    String one = flat(image(1));
    String[][] cases = {
      {"{\"instances\": [[0.5, 1", "malformed JSON: the body ends inside a list"},
      {"[1, 2]", "JSON object"},
      {"{}", "missing \"inputs\" or \"instances\""},
      {"{\"instances\":[" + one + "],\"inputs\":[" + one + "]}", "not both"},
      {"{\"instances\":[[0.5, 0.5]]}", "shape [1, 2]"},
      {"{\"instances\":[" + one.replaceFirst("0\\.5", "\"0.5\"") + "]}", "found a string"},
      {"{\"instances\":[" + one.replaceFirst("0\\.5", "NaN") + "]}", "NaN"},
      {
        "{\"instances\":[" + one.replaceFirst("0\\.5", "1e400") + "]}",
        "is 1e400: a number beyond the range of a double"
      },
      {"{\"instances\":[" + one.replaceFirst("0\\.5", "255") + "]}", "is 255: pixels are from 0"},
      {"{\"instances\":[" + one.replaceFirst("0\\.5", "-0.5") + "]}", "is -0.5"},
      {
        "{\"instances\":[" + String.join(",", Collections.nCopies(9, one)) + "]}",
        "too many instances: at most 8"
      },
      {"{\"instances\":[[0.5],[0.5,0.5]]}", "equal lengths"},
      {"{\"instances\":[]}", "empty list"},
      {"{\"signature_name\":\"other\",\"instances\":[" + one + "]}", "\"other\" not found"},
      {"{\"instances\":[{\"y\":" + one + "}]}", "\"y\" is not in the signature"},
      {"{\"instances\":[{\"x\":" + one + ",\"y\":1}]}", "\"y\" is not in the signature"},
      {"{\"instances\":[{\"x\":" + one + ",\"x\":" + one + "}]}", "\"x\" appears twice"},
      {"[".repeat(40) + "]".repeat(40), "nested deeper"},
      {"{\"instances\":[" + one + "]} x", "malformed JSON: data after the JSON value"},
    };
    for (String[] c : cases) {
      assertError(400, c[1], Http.post(base + ":predict", c[0]));
    }
    assertError(400, "not UTF-8", Http.post(base + ":predict", new byte[] {'{', (byte) 0xff, '}'}));
  }

  @Test
  void wrongMethodIs405AndUnknownPathIs404() throws Exception {
    Http.Answer a = Http.get(base + ":predict");
    assertError(405, "allowed: POST", a);
    assertError(405, "allowed: GET", Http.post(base, "{}"));
    assertError(404, "Malformed request", Http.get(server.url() + "v2/nothing"));
    assertError(404, "Malformed request", Http.post(base + ":explain", "{}"));
  }

  @Test
  void bodyOverTheLimitIs413WhetherDeclaredOrStreamed() throws Exception {
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertError(413, "larger than the limit of 65536 bytes", Http.post(base + ":predict", big));
    // chunked: no Content-Length, the limit is found while reading
    HttpRequest.Builder chunked =
        HttpRequest.newBuilder(URI.create(base + ":predict"))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)));
    assertError(413, "larger than the limit", Http.send(chunked));
    assertEquals(200, Http.get(base).status(), "still serving");
  }

  @Test
  void pageIsServedFromTheJarWithoutExternalReferences() throws Exception {
    Http.Answer a = Http.get(server.url());
    assertEquals(200, a.status());
    assertTrue(a.contentType().startsWith("text/html"), a.contentType());
    assertTrue(a.body().contains("<canvas"), a.body());
    String lower = a.body().toLowerCase(Locale.ROOT);
    assertTrue(!lower.contains("http://") && !lower.contains("https://"), "no CDN: " + a.body());
  }

  @Test
  void closingAnswersRequestsInFlightFirst() throws Exception {
    List<Thread> clients = new ArrayList<>();
    List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
    String body = "{\"instances\":[" + flat(image(1)) + "]}";
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  statuses.add(Http.post(base + ":predict", body).status());
                } catch (Exception e) {
                  statuses.add(-1);
                }
              });
      t.start();
      clients.add(t);
    }
    Thread.sleep(50);
    server.close();
    for (Thread t : clients) {
      t.join();
    }
    // each request either answered (200) or refused as the server stopped (503, or the
    // connection refused once it had stopped: -1); none cut off half-answered
    for (int s : statuses) {
      assertTrue(s == 200 || s == 503 || s == -1, statuses.toString());
    }
  }
}
