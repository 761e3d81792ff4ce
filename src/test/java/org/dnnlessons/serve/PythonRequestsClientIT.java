package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TensorFlow Serving client: Python {@code requests} posting what TensorFlow Serving's
 * documentation shows ({@code src/test/python/serve_client.py}). Its predictions are the served
 * model's own within {@link #EPSILON}: the JSON floats read back to the same float32, but the
 * session may split a matmul's sum across threads differently from one call to the next.
 */
class PythonRequestsClientIT {

  /** The project's float32 tolerance. */
  private static final float EPSILON = 1e-5f;

  @TempDir Path dir;

  @Test
  void pythonRequestsClientGetsTheModelsOwnProbabilitiesAndTfServingErrors() throws Exception {
    Checkpoints.save(dir, 42, 7);
    float[][] images = new float[3][ServedModel.PIXELS];
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < images.length; i++) {
      json.append(i == 0 ? "[" : ",[");
      for (int r = 0; r < 28; r++) {
        json.append(r == 0 ? "[" : ",[");
        for (int c = 0; c < 28; c++) {
          float v = ((r * 3 + c * 5 + i * 11) % 23) / 22f;
          images[i][r * 28 + c] = v;
          json.append(c == 0 ? "" : ",").append(v);
        }
        json.append(']');
      }
      json.append(']');
    }
    Path file = dir.resolve("images.json");
    Files.writeString(file, json.append(']').toString());
    try (ModelManager manager =
            new ModelManager(CheckpointSource.loadLatest(dir, MlpServedModel::load));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, line -> {})) {
      float[][] expected;
      try (ModelManager.ServableHandle h = manager.acquire()) {
        expected = h.model().predict(images);
      }
      List<String> out = python(server.url().replaceAll("/$", ""), file.toString());
      assertEquals("status 42 AVAILABLE OK", out.get(0));
      JsonArray predictions = JsonParser.parseString(value(out, "predictions")).getAsJsonArray();
      assertEquals(3, predictions.size());
      for (int i = 0; i < 3; i++) {
        JsonArray p = predictions.get(i).getAsJsonObject().getAsJsonArray("probabilities");
        for (int c = 0; c < 10; c++) {
          assertEquals(
              expected[i][c], p.get(c).getAsFloat(), EPSILON, "image " + i + " class " + c);
        }
        assertEquals(
            ModelServer.argmax(expected[i]),
            predictions.get(i).getAsJsonObject().get("classes").getAsInt());
      }
      JsonArray columnar =
          JsonParser.parseString(value(out, "outputs"))
              .getAsJsonObject()
              .getAsJsonArray("probabilities");
      assertEquals(expected[2][9], columnar.get(2).getAsJsonArray().get(9).getAsFloat(), EPSILON);
      JsonArray classify =
          JsonParser.parseString(value(out, "classify")).getAsJsonArray().get(0).getAsJsonArray();
      assertEquals("5", classify.get(5).getAsJsonArray().get(0).getAsString());
      assertEquals(expected[0][5], classify.get(5).getAsJsonArray().get(1).getAsFloat(), EPSILON);
      List<String> errors = out.stream().filter(l -> l.startsWith("error ")).toList();
      assertEquals(3, errors.size(), out.toString());
      assertTrue(
          errors.get(0).startsWith("error 400 ") && errors.get(0).contains("NaN"), errors.get(0));
      assertTrue(errors.get(1).startsWith("error 404 Servable not found"), errors.get(1));
      assertTrue(errors.get(2).startsWith("error 405 "), errors.get(2));
    }
  }

  private static String value(List<String> lines, String key) {
    return lines.stream()
        .filter(l -> l.startsWith(key + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + key + "' line in " + lines))
        .substring(key.length() + 1);
  }

  private static List<String> python(String... args) throws Exception {
    Path python = Path.of(System.getProperty("user.home"), ".cache/dnn-lessons/venv-tf/bin/python");
    String configured = System.getProperty("interop.python");
    if (configured != null) {
      python = Path.of(configured);
    }
    assertTrue(
        Files.isExecutable(python), python + " is missing: run src/test/python/ensure_venv.sh");
    List<String> command =
        new ArrayList<>(List.of(python.toString(), "src/test/python/serve_client.py"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), stderr);
    return new String(stdout, StandardCharsets.UTF_8).lines().toList();
  }
}
