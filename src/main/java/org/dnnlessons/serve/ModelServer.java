package org.dnnlessons.serve;

import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.data.DigitImage;
import org.dnnlessons.serve.ModelManager.ServableHandle;

/**
 * The HTTP server of {@code dnn-lessons serve}: TensorFlow Serving's REST API over the model a
 * {@link ModelManager} holds, and the drawing page.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET /v1/models/NAME[/versions/N]}</td><td>{@code model_version_status}</td></tr>
 *   <tr><td>{@code GET /v1/models/NAME[/versions/N]/metadata}</td><td>{@code model_spec},
 *       {@code metadata.signature_def}</td></tr>
 *   <tr><td>{@code POST /v1/models/NAME[/versions/N]:predict}</td><td>{@code predictions}
 *       (row form) or {@code outputs} (columnar form): {@code probabilities}, {@code
 *       classes}</td></tr>
 *   <tr><td>{@code POST /v1/models/NAME[/versions/N]:classify}</td><td>{@code results}: ten
 *       {@code [label, score]} pairs per example</td></tr>
 *   <tr><td>{@code POST .../NAME:regress}</td><td>400: the model is a classifier</td></tr>
 *   <tr><td>{@code GET /}</td><td>the drawing page</td></tr>
 *   <tr><td>{@code POST /draw} (a PNG)</td><td>the 28×28 image {@link DigitImage} made of it
 *       and its probabilities</td></tr>
 * </table>
 *
 * <p>HTTP is the JDK's own {@code com.sun.net.httpserver} (module {@code jdk.httpserver}, no
 * dependency). Requests are read (line, headers, body) on a bounded pool of {@code ioThreads}
 * threads with a bounded queue; when the queue is full the accepting thread reads the request
 * itself, which stops it accepting more: back pressure instead of unbounded memory. A body must
 * arrive within {@code bodyTimeoutMillis} of its headers, else it is answered 408 and its
 * connection closed. Only a request whose body has arrived takes one of the {@code workers} permits
 * to be parsed, run and answered, so uploads that trickle or stall never keep the model from
 * answering others (TensorFlow Serving's REST server, on libevent, likewise reads a body before a
 * thread of its own runs the request). Errors are TensorFlow Serving's {@code {"error": "..."}}.
 */
public final class ModelServer implements AutoCloseable {

  private static final Pattern MODEL_PATH =
      Pattern.compile(
          "/v1/models/([^/:]+)(?:/versions/([^/:]+)|/labels/([^/:]+))?(/metadata|:[A-Za-z]+)?");

  private static final String PAGE = "page/index.html";

  /** Seconds a request may take to arrive, and a response to be taken, before it is cut off. */
  public static final int EXCHANGE_SECONDS = 60;

  static {
    // the JDK's server waits forever by default: a client sending a body slowly would hold a
    // worker of the bounded pool for good (read once, when the JDK's ServerConfig loads)
    System.setProperty(
        "sun.net.httpserver.maxReqTime",
        System.getProperty("sun.net.httpserver.maxReqTime", Integer.toString(EXCHANGE_SECONDS)));
    System.setProperty(
        "sun.net.httpserver.maxRspTime",
        System.getProperty("sun.net.httpserver.maxRspTime", Integer.toString(EXCHANGE_SECONDS)));
    // a request whose body is cut off by the deadline is not drained (the JDK would read up to 64
    // KiB more of it, blocking on a stalled client): its connection is closed instead
    System.setProperty("sun.net.httpserver.drainAmount", "0");
  }

  private final ServeOptions options;
  private final ModelManager manager;
  private final Consumer<String> log;
  private final HttpServer http;
  private final ThreadPoolExecutor pool;
  private final Semaphore workers;
  private final BodyBudget bodies;
  private final ScheduledExecutorService deadlines;
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final byte[] page;
  private boolean stopped;
  private volatile boolean draining;

  private ModelServer(ServeOptions options, ModelManager manager, Consumer<String> log)
      throws IOException {
    this.options = options;
    this.manager = manager;
    this.log = log;
    try (InputStream in = ModelServer.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IOException("the drawing page " + PAGE + " is missing from the jar");
      }
      page = in.readAllBytes();
    }
    pool =
        new ThreadPoolExecutor(
            options.ioThreads(),
            options.ioThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(Math.max(1, options.queue())),
            r -> {
              Thread t = new Thread(r, "serve-io");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    workers = new Semaphore(options.workers(), true);
    bodies = new BodyBudget(BodyBudget.defaultBytes(options));
    deadlines =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serve-body-deadline");
              t.setDaemon(true);
              return t;
            });
    http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 256);
    http.createContext("/", this::handle);
    http.setExecutor(pool);
  }

  /**
   * Starts answering on {@code options}' address.
   *
   * @param log receives the start line (the stop line comes from {@link #close})
   * @param options the address, model name, workers and request limits
   * @param manager the models to serve; the server does not close it
   * @return the running server; close it to stop answering
   * @throws IOException when the address cannot be bound (the port is taken)
   */
  public static ModelServer start(ServeOptions options, ModelManager manager, Consumer<String> log)
      throws IOException {
    ModelServer server = new ModelServer(options, manager, log);
    server.http.start();
    try (ServableHandle h = manager.acquire()) {
      log.accept(
          "serve: model "
              + options.name()
              + " version "
              + h.model().version()
              + " from "
              + h.model().source()
              + " at "
              + server.url()
              + "v1/models/"
              + options.name()
              + " (page: "
              + server.url()
              + ")");
      h.model().notes().forEach(note -> log.accept("serve: note: " + note));
    }
    return server;
  }

  /**
   * The base URL, {@code http://host:port/}, with the port actually bound.
   *
   * @return e.g. {@code http://127.0.0.1:8501/}
   */
  public String url() {
    return "http://" + options.host() + ":" + http.getAddress().getPort() + "/";
  }

  /**
   * The port actually bound.
   *
   * @return the TCP port, the one asked for or the free one picked for port 0
   */
  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * Requests answered so far (any status).
   *
   * @return the count of responses sent, 2xx, 4xx and 5xx alike
   */
  public long answered() {
    return answered.get();
  }

  /**
   * Requests whose body did not arrive within the body deadline, answered 408.
   *
   * @return the count of 408 answers so far
   */
  public long timedOut() {
    return timedOut.get();
  }

  /**
   * Stops accepting connections, answers the requests in flight (waiting up to 10 s), then frees
   * the pool. The manager is the caller's to close.
   */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    // JDK 17's HttpServer.stop(delay) waits the whole delay even when idle (JDK-8304065), so the
    // requests in flight are waited for here; requests arriving meanwhile are answered 503
    draining = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    http.stop(0);
    deadlines.shutdownNow();
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.accept("serve: stopped after " + answered.get() + " requests");
  }

  private void handle(HttpExchange exchange) {
    inFlight.incrementAndGet();
    // who answers: this thread, or the body deadline (408) when the body is late; never both
    AtomicBoolean claimed = new AtomicBoolean();
    BodyBudget.Held held = null;
    try {
      int status;
      byte[] body;
      String type = "application/json";
      try {
        if (draining) {
          claimed.set(true);
          throw new ApiException(503, "the server is stopping");
        }
        held = body(exchange, claimed);
        if (held == null) {
          return; // the deadline answered 408 and closed the connection
        }
        byte[] request = held.bytes();
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/") || path.equals("/index.html")) {
          method(exchange, "GET");
          status = 200;
          body = page;
          type = "text/html; charset=utf-8";
        } else {
          body = compute(exchange, path, request);
          status = 200;
        }
      } catch (ApiException e) {
        status = e.status();
        body = utf8(error(e.getMessage()));
        if (e.status() == 413 || e.status() == 503) {
          // the rest of the body is not read: the connection cannot carry another request
          exchange.getResponseHeaders().set("Connection", "close");
        }
        if (e.status() == 405) {
          exchange.getResponseHeaders().set("Allow", e.getMessage().replaceAll(".* ", ""));
        }
      } catch (RuntimeException | Error e) {
        status = 500;
        body = utf8(error("internal error: " + e));
      }
      respond(exchange, status, type, body);
    } catch (IOException e) {
      // the client went away, or the deadline cut its body off and answered it
      if (claimed.compareAndSet(false, true)) {
        exchange.close();
      }
    } finally {
      if (held != null) {
        held.close();
      }
      inFlight.decrementAndGet();
    }
  }

  /** Answers and closes the exchange; the caller owns it (has claimed it). */
  private void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      answered.incrementAndGet();
    }
  }

  /** A request whose body is read: answered on one of the {@code workers} permits. */
  private byte[] compute(HttpExchange exchange, String path, byte[] request)
      throws ApiException, IOException {
    try {
      workers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "the server is stopping");
    }
    try {
      if (path.equals("/draw")) {
        method(exchange, "POST");
        return utf8(draw(request));
      }
      return utf8(api(exchange, path, request));
    } finally {
      workers.release();
    }
  }

  /**
   * The body deadline passed before the body arrived: answers 408 and closes the exchange, which
   * closes the connection (its body is not drained) and so frees the thread blocked reading it.
   */
  private void timeOut(HttpExchange exchange, AtomicBoolean claimed) {
    if (!claimed.compareAndSet(false, true)) {
      return;
    }
    timedOut.incrementAndGet();
    exchange.getResponseHeaders().set("Connection", "close");
    try {
      respond(
          exchange,
          408,
          "application/json",
          utf8(
              error(
                  "the request body did not arrive within "
                      + options.bodyTimeoutMillis()
                      + " ms of its headers (--body-timeout-seconds); the connection is"
                      + " closed")));
    } catch (IOException | RuntimeException e) {
      exchange.close(); // the client went away too
    }
  }

  private String api(HttpExchange exchange, String path, byte[] body) throws ApiException {
    Matcher m = MODEL_PATH.matcher(path);
    if (!m.matches()) {
      throw new ApiException(404, "Malformed request: " + exchange.getRequestMethod() + " " + path);
    }
    String name = m.group(1);
    String version = m.group(2);
    String label = m.group(3);
    String verb = m.group(4);
    if (verb == null || verb.equals("/metadata")) {
      method(exchange, "GET");
    } else {
      method(exchange, "POST");
    }
    if (verb == null) {
      return status(name, version, label);
    }
    try (ServableHandle h = servable(name, version, label)) {
      ServedModel model = h.model();
      return switch (verb) {
        case "/metadata" -> metadata(model);
        case ":predict" -> predict(model, ImageRequest.predict(body, options.maxInstances()));
        case ":classify" -> classify(model, ImageRequest.classify(body, options.maxInstances()));
        case ":regress" ->
            throw ApiException.badRequest(
                "Expected regression signature method_name to be tensorflow/serving/regress."
                    + " Was: tensorflow/serving/predict (the model is a classifier: use :predict"
                    + " or :classify)");
        default ->
            throw new ApiException(
                404, "Malformed request: " + exchange.getRequestMethod() + " " + path);
      };
    }
  }

  /** The model served now, if the request names it (and its version, if it names one). */
  private ServableHandle servable(String name, String version, String label) throws ApiException {
    checkName(name, version);
    if (label != null) {
      throw unknownLabel(label);
    }
    ServableHandle h = manager.acquire();
    if (version != null && !version.equals(Long.toString(h.model().version()))) {
      long served = h.model().version();
      h.close();
      throw new ApiException(
          404,
          "Servable not found for request: Specific("
              + name
              + ", "
              + version
              + ") (version "
              + served
              + " is served)");
    }
    return h;
  }

  private static ApiException unknownLabel(String label) {
    return new ApiException(
        404, "Unrecognized servable version label: " + label + " (no labels are set)");
  }

  private void checkName(String name, String version) throws ApiException {
    if (!name.equals(options.name())) {
      throw new ApiException(
          404,
          "Servable not found for request: "
              + (version != null
                  ? "Specific(" + name + ", " + version + ")"
                  : "Latest(" + name + ")"));
    }
  }

  private static void method(HttpExchange exchange, String allowed) throws ApiException {
    if (!exchange.getRequestMethod().equals(allowed)) {
      throw new ApiException(
          405,
          "method "
              + exchange.getRequestMethod()
              + " not allowed for "
              + exchange.getRequestURI().getRawPath()
              + "; allowed: "
              + allowed);
    }
  }

  /**
   * The request body (empty for a GET), refused with 413 when larger than the limit (before reading
   * it all) and 503 when the bodies held would go over their budget ({@link BodyBudget}), read
   * within the body deadline: {@code null} when the deadline passed first and answered the request
   * itself ({@link #timeOut}). On return this thread owns the exchange and the body's share of the
   * budget.
   */
  private BodyBudget.Held body(HttpExchange exchange, AtomicBoolean claimed)
      throws ApiException, IOException {
    int max = options.maxBodyBytes();
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        claimed.set(true);
        throw ApiException.badRequest("Content-Length is not a number: " + length);
      }
      if (declared > max) {
        claimed.set(true);
        throw tooLarge(declared);
      }
    }
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              // on a thread of its own: where the JDK's server was set up before this class (its
              // drainAmount not 0), closing the exchange blocks until the client sends more
              Thread t = new Thread(() -> timeOut(exchange, claimed), "serve-408");
              t.setDaemon(true);
              t.start();
            },
            options.bodyTimeoutMillis(),
            TimeUnit.MILLISECONDS);
    BodyBudget.Held body;
    try {
      // within the server's budget of body bytes held at once (503 beyond it)
      body = bodies.read(exchange.getRequestBody(), max + 1);
    } catch (ApiException e) {
      deadline.cancel(false);
      if (!claimed.compareAndSet(false, true)) {
        return null; // the deadline answered first
      }
      throw e;
    } catch (IOException e) {
      deadline.cancel(false);
      if (!claimed.compareAndSet(false, true)) {
        throw e; // the deadline answered 408 and closed the exchange
      }
      // a chunked body whose chunk header is not a size, or one cut short: a 400 with the JDK's
      // reason (when the client has gone, answering fails and the exchange is closed)
      exchange.getResponseHeaders().set("Connection", "close");
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    } finally {
      deadline.cancel(false);
    }
    if (!claimed.compareAndSet(false, true)) {
      body.close();
      return null; // it arrived just as the deadline answered
    }
    if (body.bytes().length > max) {
      body.close();
      throw tooLarge(-1);
    }
    return body;
  }

  private ApiException tooLarge(long declared) {
    return new ApiException(
        413,
        "request body "
            + (declared >= 0 ? "of " + declared + " bytes " : "")
            + "is larger than the limit of "
            + options.maxBodyBytes()
            + " bytes (--max-body-bytes)");
  }

  /**
   * {@code model_version_status}: every version known (TensorFlow Serving's {@code
   * GetModelStatus}), or the one asked for.
   */
  private String status(String name, String version, String label) throws ApiException {
    checkName(name, version);
    if (label != null) {
      throw unknownLabel(label);
    }
    List<VersionStates.Status> statuses;
    if (version == null) {
      statuses = manager.versionStatuses();
    } else {
      VersionStates.Status known =
          version.matches("\\d{1,18}") ? manager.versionStatus(Long.parseLong(version)) : null;
      if (known == null) {
        throw new ApiException(404, "Could not find version " + version + " of model " + name);
      }
      statuses = List.of(known);
    }
    return json(
        w -> {
          w.beginObject().name("model_version_status").beginArray();
          for (VersionStates.Status s : statuses) {
            w.beginObject();
            w.name("version").value(Long.toString(s.version()));
            w.name("state").value(s.state().name());
            w.name("status").beginObject();
            w.name("error_code").value(s.errorCode());
            w.name("error_message").value(s.errorMessage());
            w.endObject().endObject();
          }
          w.endArray().endObject();
        });
  }

  private String metadata(ServedModel model) {
    return json(
        w -> {
          w.beginObject();
          w.name("model_spec").beginObject();
          w.name("name").value(options.name());
          w.name("signature_name").value("");
          w.name("version").value(Long.toString(model.version()));
          w.endObject();
          w.name("metadata").beginObject().name("signature_def").beginObject();
          w.name("signature_def").beginObject().name(ImageRequest.SIGNATURE).beginObject();
          w.name("inputs").beginObject();
          tensorInfo(
              w,
              ImageRequest.INPUT,
              "DT_FLOAT",
              "x:0",
              -1,
              ServedModel.ROWS,
              ServedModel.COLUMNS,
              1);
          w.endObject();
          w.name("outputs").beginObject();
          tensorInfo(w, "probabilities", "DT_FLOAT", "probabilities:0", -1, ServedModel.CLASSES);
          tensorInfo(w, "classes", "DT_INT64", "classes:0", -1);
          w.endObject();
          w.name("method_name").value("tensorflow/serving/predict");
          w.endObject().endObject().endObject().endObject().endObject();
        });
  }

  private static void tensorInfo(JsonWriter w, String key, String dtype, String name, long... dims)
      throws IOException {
    w.name(key).beginObject();
    w.name("dtype").value(dtype);
    w.name("tensor_shape").beginObject().name("dim").beginArray();
    for (long d : dims) {
      w.beginObject().name("size").value(Long.toString(d)).name("name").value("").endObject();
    }
    w.endArray().name("unknown_rank").value(false).endObject();
    w.name("name").value(name);
    w.endObject();
  }

  private static String predict(ServedModel model, ImageRequest request) {
    float[][] p = model.predict(request.images());
    return json(
        w -> {
          w.beginObject();
          if (request.columnar()) {
            w.name("outputs").beginObject().name("probabilities").beginArray();
            for (float[] row : p) {
              floats(w, row);
            }
            w.endArray().name("classes").beginArray();
            for (float[] row : p) {
              w.value(argmax(row));
            }
            w.endArray().endObject();
          } else {
            w.name("predictions").beginArray();
            for (float[] row : p) {
              w.beginObject().name("probabilities");
              floats(w, row);
              w.name("classes").value(argmax(row)).endObject();
            }
            w.endArray();
          }
          w.endObject();
        });
  }

  private static String classify(ServedModel model, ImageRequest request) {
    float[][] p = model.predict(request.images());
    return json(
        w -> {
          w.beginObject().name("results").beginArray();
          for (float[] row : p) {
            w.beginArray();
            for (int c = 0; c < row.length; c++) {
              w.beginArray().value(Integer.toString(c)).value(Float.valueOf(row[c])).endArray();
            }
            w.endArray();
          }
          w.endArray().endObject();
        });
  }

  /** The drawing page's request: a PNG of the canvas, answered with what the network saw. */
  private String draw(byte[] png) throws ApiException {
    float[] image;
    try {
      image = DigitImage.read(png, "the drawing");
    } catch (IOException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    try (ServableHandle h = manager.acquire()) {
      float[] p = h.model().predict(new float[][] {image})[0];
      return json(
          w -> {
            w.beginObject();
            w.name("model_version").value(Long.toString(h.model().version()));
            w.name("probabilities");
            floats(w, p);
            w.name("classes").value(argmax(p));
            w.name("image");
            floats(w, image);
            w.endObject();
          });
    }
  }

  /** The index of the largest value, the first one on ties ({@code tf.argmax}'s rule). */
  static int argmax(float[] row) {
    int best = 0;
    for (int c = 1; c < row.length; c++) {
      if (row[c] > row[best]) {
        best = c;
      }
    }
    return best;
  }

  private static void floats(JsonWriter w, float[] values) throws IOException {
    w.beginArray();
    for (float v : values) {
      w.value(Float.valueOf(v)); // Float.toString: the shortest decimal that reads back the same
    }
    w.endArray();
  }

  static String error(String message) {
    return json(w -> w.beginObject().name("error").value(message).endObject());
  }

  private interface JsonBody {
    void write(JsonWriter w) throws IOException;
  }

  private static String json(JsonBody body) {
    StringWriter s = new StringWriter();
    try (JsonWriter w = new JsonWriter(s)) {
      body.write(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return s.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
