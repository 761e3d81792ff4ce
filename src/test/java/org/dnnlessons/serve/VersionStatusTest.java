package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/models/NAME} lists every version the server has known, as TensorFlow Serving's
 * {@code GetModelStatus} does: the served one {@code AVAILABLE}, one still held by a request after
 * a newer one came {@code UNLOADING}, then {@code END}, and one whose load failed {@code END} with
 * its error; {@code /versions/N} answers that version's status, served or not.
 */
class VersionStatusTest {

  @TempDir Path dir;

  /** {@code [version, state, error_code]} of each entry, in order. */
  private static List<String> states(String body) {
    JsonArray a =
        JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("model_version_status");
    List<String> out = new ArrayList<>();
    for (var e : a) {
      JsonObject o = e.getAsJsonObject();
      out.add(
          o.get("version").getAsString()
              + " "
              + o.get("state").getAsString()
              + " "
              + o.getAsJsonObject("status").get("error_code").getAsString());
    }
    return out;
  }

  @Test
  void everyKnownVersionIsListedWithItsState() throws Exception {
    Checkpoints.save(dir, 100, 1);
    ServedModel.Loader loader =
        (path, version) -> {
          if (version == 300) {
            throw new java.io.IOException("model.ckpt-300 is damaged");
          }
          return new FakeModel(version);
        };
    try (ModelManager manager = new ModelManager(CheckpointSource.loadLatest(dir, loader));
        CheckpointSource source = new CheckpointSource(dir, manager, loader, line -> {});
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, line -> {})) {
      String base = server.url() + "v1/models/mnist";
      assertEquals(List.of("100 AVAILABLE OK"), states(Http.get(base).body()));

      ModelManager.ServableHandle held = manager.acquire(); // a request still running on 100
      Checkpoints.save(dir, 200, 2);
      assertTrue(source.poll());
      assertEquals(List.of("200 AVAILABLE OK", "100 UNLOADING OK"), states(Http.get(base).body()));
      held.close();
      assertEquals(List.of("200 AVAILABLE OK", "100 END OK"), states(Http.get(base).body()));

      Checkpoints.save(dir, 300, 3);
      source.poll();
      String body = Http.get(base).body();
      assertEquals(
          List.of("300 END UNKNOWN", "200 AVAILABLE OK", "100 END OK"), states(body), body);
      assertTrue(body.contains("\"error_message\":\"model.ckpt-300 is damaged\""), body);

      assertEquals(List.of("100 END OK"), states(Http.get(base + "/versions/100").body()));
      Http.Answer unknown = Http.get(base + "/versions/150");
      assertEquals(404, unknown.status());
      assertTrue(
          unknown.body().contains("Could not find version 150 of model mnist"), unknown.body());
      String one = "{\"instances\": [" + ModelServerTest.flat(ModelServerTest.image(1)) + "]}";
      assertEquals(404, Http.post(base + "/versions/100:predict", one).status(), "ended");
      assertEquals(200, Http.post(base + "/versions/200:predict", one).status(), "served");
    }
  }
}
