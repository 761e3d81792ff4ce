package org.dnnlessons.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.serve.ModelLoaders;
import org.dnnlessons.serve.ModelManager;
import org.dnnlessons.serve.ModelServer;
import org.dnnlessons.serve.ServeOptions;

/**
 * {@code bench --serve MODEL}: requests/s and p99 latency of {@code :predict} with 1 and 64 images
 * a request, {@code serve} against the same weights served from Python (a small Flask app calling
 * Keras {@code predict}, {@code src/test/python/serve_peer.py}), both loaded by {@code wrk} from
 * this machine's loopback, interleaved round by round so both see the same machine load.
 */
public final class ServingComparison {

  /** Connections {@code wrk} keeps open. */
  public static final int CONNECTIONS = 16;

  private ServingComparison() {}

  /** One {@code wrk} run's result. */
  record Run(String server, int images, double requestsPerSecond, double p99Ms, String errors) {}

  /**
   * Runs the comparison and prints its table.
   *
   * @param model what {@code serve --model} takes (its weights are exported to a .keras file for
   *     the Python side)
   * @param python an interpreter with Keras and Flask
   * @param rounds how many interleaved rounds
   * @param seconds each {@code wrk} run's duration
   * @param out where the table is printed
   * @throws Exception when a server cannot start or the model cannot be exported
   */
  public static void run(Path model, Path python, int rounds, int seconds, PrintStream out)
      throws Exception {
    Path work = Files.createTempDirectory("dnn-lessons-bench-serve");
    Path keras = work.resolve("model.keras");
    KerasExport.write(MlpWeights.read(model, null), keras, KerasExport.Format.KERAS);
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    Path one = work.resolve("one.lua");
    Path batch = work.resolve("batch.lua");
    String batchBody = body(test, 64);
    script(one, body(test, 1));
    script(batch, batchBody);
    Process peer =
        new ProcessBuilder(
                python.toString(),
                PythonPeer.SCRIPTS.resolve("serve_peer.py").toString(),
                keras.toString())
            .redirectErrorStream(true)
            .start();
    try (ModelManager manager = new ModelManager(ModelLoaders.load(model, 1));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, l -> {})) {
      String pythonUrl = "http://127.0.0.1:" + listening(peer) + "/v1/models/mnist:predict";
      String javaUrl = server.url() + "v1/models/mnist:predict";
      out.println(
          "Same weights: largest |p_java - p_python| over 64 images "
              + String.format(Locale.ROOT, "%.2e", difference(javaUrl, pythonUrl, batchBody)));
      List<Run> runs = new ArrayList<>();
      List<Double> loads = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        loads.add(TrainingComparison.loadAverage());
        boolean javaFirst = r % 2 == 0;
        for (Path lua : List.of(one, batch)) {
          int images = lua == one ? 1 : 64;
          for (int k = 0; k < 2; k++) {
            boolean java = (k == 0) == javaFirst;
            runs.add(
                wrk(
                    java ? "serve (Java)" : "Flask + Keras predict",
                    images,
                    java ? javaUrl : pythonUrl,
                    lua,
                    seconds));
          }
        }
      }
      out.printf(
          Locale.ROOT,
          "bench --serve: %d rounds of %d s per cell, %d connections (wrk, loopback), %d cores,"
              + " load average at each round %s%n",
          rounds,
          seconds,
          CONNECTIONS,
          Runtime.getRuntime().availableProcessors(),
          loads);
      out.println();
      out.println("| server | images/request | requests/s | images/s | p99 latency | errors |");
      out.println("|---|---|---|---|---|---|");
      for (int images : new int[] {1, 64}) {
        for (String name : List.of("serve (Java)", "Flask + Keras predict")) {
          List<Run> cell =
              runs.stream().filter(x -> x.server().equals(name) && x.images() == images).toList();
          double rps = median(cell.stream().mapToDouble(Run::requestsPerSecond).toArray());
          double p99 = median(cell.stream().mapToDouble(Run::p99Ms).toArray());
          String errors =
              cell.stream().map(Run::errors).filter(e -> !e.equals("0")).findFirst().orElse("0");
          out.printf(
              Locale.ROOT,
              "| %s | %d | %.0f | %.0f | %.1f ms | %s |%n",
              name,
              images,
              rps,
              rps * images,
              p99,
              errors);
        }
      }
      out.println("(medians over the rounds)");
    } finally {
      peer.destroy();
      peer.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String body(DataSet test, int n) {
    StringBuilder s = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "[" : ",[");
      for (int p = 0; p < 784; p++) {
        s.append(p == 0 ? "" : ",").append(test.pixel(i, p / 28, p % 28) * DataSet.PIXEL_SCALE);
      }
      s.append(']');
    }
    return s.append("]}").toString();
  }

  private static void script(Path lua, String body) throws IOException {
    Path json = lua.resolveSibling(lua.getFileName() + ".json");
    Files.writeString(json, body);
    Files.writeString(
        lua,
        "local f = io.open(\""
            + json
            + "\", \"r\")\n"
            + "wrk.method = \"POST\"\nwrk.body = f:read(\"*a\")\nf:close()\n"
            + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
  }

  private static int listening(Process peer) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line; (line = r.readLine()) != null; ) {
      if (line.startsWith("listening ")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    r.transferTo(Writer.nullWriter());
                  } catch (IOException e) {
                    // the peer stopped
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(line.substring("listening ".length()).trim());
      }
      seen.add(line);
    }
    if (seen.stream().anyMatch(l -> l.contains("No module named 'flask'"))) {
      throw new IOException(
          "the Python interpreter has no Flask, which bench --serve's Python server needs: run"
              + " bash src/test/python/ensure_bench_venv.sh (it installs Flask into"
              + " $DNN_LESSONS_PYTHON, else ~/.cache/dnn-lessons/venv-tf), or pip install flask"
              + " into the --python interpreter");
    }
    throw new IOException("the Python server (serve_peer.py) stopped before listening: " + seen);
  }

  private static double difference(String javaUrl, String pythonUrl, String body) throws Exception {
    JsonArray a = predictions(javaUrl, body);
    JsonArray b = predictions(pythonUrl, body);
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      JsonArray pa = a.get(i).getAsJsonObject().getAsJsonArray("probabilities");
      JsonArray pb = b.get(i).getAsJsonObject().getAsJsonArray("probabilities");
      for (int c = 0; c < pa.size(); c++) {
        max = Math.max(max, Math.abs(pa.get(c).getAsDouble() - pb.get(c).getAsDouble()));
      }
    }
    return max;
  }

  private static JsonArray predictions(String url, String body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
  }

  private static Run wrk(String server, int images, String url, Path lua, int seconds)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t1",
                "-c" + CONNECTIONS,
                "-d" + seconds + "s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                lua.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("wrk failed: " + report);
    }
    Matcher rps = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(report);
    Matcher p99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)").matcher(report);
    if (!rps.find() || !p99.find()) {
      throw new IOException("wrk's report not understood: " + report);
    }
    double ms = Double.parseDouble(p99.group(1));
    ms =
        switch (p99.group(2)) {
          case "us" -> ms / 1000;
          case "s" -> ms * 1000;
          default -> ms;
        };
    Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(report);
    Matcher socket = Pattern.compile("Socket errors: ([^\\n]+)").matcher(report);
    String errors =
        (non2xx.find() ? non2xx.group(1) + " non-2xx " : "")
            + (socket.find() ? "socket " + socket.group(1) : "");
    return new Run(
        server,
        images,
        Double.parseDouble(rps.group(1)),
        ms,
        errors.isEmpty() ? "0" : errors.trim());
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length == 0
        ? Double.NaN
        : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
