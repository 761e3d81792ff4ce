package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.serve.ModelLoaders;
import org.dnnlessons.serve.ModelManager;
import org.dnnlessons.serve.ModelServer;
import org.dnnlessons.serve.ServeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose first layer is {@code Rescaling(1/255)} takes raw pixels 0-255 in Keras; {@code
 * serve} takes pixels 0-1 on its API (and makes them on its page and image route, through the same
 * {@code ServedModel.predict}) and must feed such a model {@code 255 * pixel}, the lesson's MLP the
 * pixel itself. For the forms Keras writes ({@code .keras}, read as layers; {@code m.export}, run
 * through its signature) of two such models ({@code serve_rescaling.py}: flat 784 input, and
 * 28x28x1 with Flatten after Rescaling), the probabilities {@code :predict} answers for {@code
 * raw/255} equal Keras's {@code softmax(model(raw))} within {@link KerasZooIT#TOLERANCE}, and the
 * start log says which scale was assumed; {@code tf.saved_model.save}'s form is refused in one line
 * (Keras 3 writes variables TensorFlow's loader leaves uninitialized).
 */
class ServeRescalingIT {

  @TempDir Path dir;

  @Test
  void aModelStartingWithRescalingIsFedRawPixelsWhateverItsForm() throws Exception {
    PythonTensorFlow.run("serve_rescaling.py", dir.toString());
    HttpClient client = HttpClient.newHttpClient();
    List<String> report = new ArrayList<>();
    for (String name : List.of("flat", "image")) {
      Path d = dir.resolve(name);
      List<String> raw = Files.readAllLines(d.resolve("raw.txt"));
      List<String> expected = Files.readAllLines(d.resolve("p.txt"));
      StringBuilder body = new StringBuilder("{\"instances\": [");
      for (int i = 0; i < raw.size(); i++) {
        body.append(i == 0 ? "[" : ",[");
        String[] v = raw.get(i).trim().split(" ");
        for (int p = 0; p < v.length; p++) {
          // what read_data_sets and the page give: float32 pixel / 255
          body.append(p == 0 ? "" : ",").append(Float.parseFloat(v[p]) / 255f);
        }
        body.append(']');
      }
      body.append("]}");
      // Keras 3's tf.saved_model.save leaves variables the loader cannot initialize: refused
      Exception refused =
          assertThrows(Exception.class, () -> ModelLoaders.load(d.resolve("saved_model"), 1));
      assertTrue(
          refused.getMessage().contains("model.export(dir) writes a SavedModel that runs"),
          refused.getMessage());
      for (String form : List.of("model.keras", "export")) {
        List<String> log = new ArrayList<>();
        try (ModelManager manager = new ModelManager(ModelLoaders.load(d.resolve(form), 1));
            ModelServer server =
                ModelServer.start(
                    ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, log::add)) {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create(server.url() + "v1/models/mnist:predict"))
                      .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode(), r.body());
          JsonArray predictions =
              JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
          double worst = 0;
          for (int i = 0; i < expected.size(); i++) {
            String[] e = expected.get(i).trim().split(" ");
            JsonArray got = predictions.get(i).getAsJsonObject().getAsJsonArray("probabilities");
            for (int c = 0; c < 10; c++) {
              double want = Double.parseDouble(e[c]);
              double diff = Math.abs(got.get(c).getAsDouble() - want);
              worst = Math.max(worst, diff);
              assertTrue(
                  diff <= KerasZooIT.TOLERANCE + KerasZooIT.TOLERANCE * Math.abs(want),
                  name
                      + " "
                      + form
                      + " image "
                      + i
                      + " class "
                      + c
                      + ": served "
                      + got.get(c)
                      + ", Keras model(raw) "
                      + want
                      + "; log "
                      + log);
            }
          }
          assertTrue(
              log.stream().anyMatch(l -> l.contains("note: input: raw pixels 0-255")),
              name + " " + form + ": the start log names the raw-pixel input: " + log);
          report.add(
              String.format(Locale.ROOT, "%s %s: max |served - Keras| %.2e", name, form, worst));
        }
      }
    }
    System.out.println(String.join("\n", report));
  }
}
