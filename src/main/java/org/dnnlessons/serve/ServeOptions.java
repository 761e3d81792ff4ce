package org.dnnlessons.serve;

/**
 * How the server listens and what it accepts.
 *
 * @param host the address to bind ({@code 127.0.0.1} by default: this machine only)
 * @param port the TCP port (TensorFlow Serving's REST default, 8501; 0 picks a free one)
 * @param name the model's name in URLs, {@code /v1/models/NAME}
 * @param workers requests parsed, run and answered at once (the bounded pool of permits)
 * @param queue connections waiting for a reading thread before the accepting thread reads them
 *     itself
 * @param maxInstances images in one request at most (more: 400)
 * @param maxBodyBytes request body size at most (more: 413)
 * @param ioThreads threads reading requests (their line, headers and body) off the connections,
 *     apart from the {@code workers}: a slow or stalled upload holds one of these, never a worker
 * @param bodyTimeoutMillis milliseconds a request's body may take to arrive once its headers have
 *     (more: 408 and the connection closed)
 */
public record ServeOptions(
    String host,
    int port,
    String name,
    int workers,
    int queue,
    int maxInstances,
    int maxBodyBytes,
    int ioThreads,
    long bodyTimeoutMillis) {

  /** TensorFlow Serving's default REST port. */
  public static final int PORT_DEFAULT = 8501;

  /** The default model name. */
  public static final String NAME_DEFAULT = "mnist";

  /** Images per request at most, by default. */
  public static final int MAX_INSTANCES_DEFAULT = 256;

  /** Body size at most, by default: 8 MiB, room for 256 images written with 9 digits a pixel. */
  public static final int MAX_BODY_BYTES_DEFAULT = 8 << 20;

  /** Threads reading requests, by default: 64 uploads read at once. */
  public static final int IO_THREADS_DEFAULT = 64;

  /**
   * Milliseconds a body may take to arrive, by default: 10 s, room for 8 MiB at 1 MB/s, well below
   * the 60 s after which the JDK's server cuts a request off.
   */
  public static final long BODY_TIMEOUT_MILLIS_DEFAULT = 10_000;

  /** The largest {@code --max-body-bytes}: 1 GiB (a body is held in memory whole). */
  public static final int MAX_BODY_BYTES_LIMIT = 1 << 30;

  /**
   * Checks the values.
   *
   * @param host the address to bind
   * @param port the TCP port, 0 to 65535 (0 picks a free one)
   * @param name the model's name in URLs: 1 to 128 letters, digits, {@code _}, {@code .} or {@code
   *     -}
   * @param workers threads answering requests, 1 to 1024
   * @param queue connections waiting for a reading thread, {@code >= 0}
   * @param maxInstances images in one request at most, 1 to 100000
   * @param maxBodyBytes request body size at most, 1024 to {@link #MAX_BODY_BYTES_LIMIT}
   * @param ioThreads threads reading requests, 1 to 4096
   * @param bodyTimeoutMillis milliseconds a body may take to arrive, 1 to {@code 60_000} (the JDK
   *     server's own cut-off, {@link ModelServer#EXCHANGE_SECONDS})
   * @throws IllegalArgumentException one line naming the option ({@code --port}, {@code --workers},
   *     ...), its range and the value found
   */
  public ServeOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be from 0 to 65535, found " + port);
    }
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,128}")) {
      throw new IllegalArgumentException(
          "--name must be 1 to 128 letters, digits, '_', '.' or '-', found '" + name + "'");
    }
    if (workers < 1 || workers > 1024) {
      throw new IllegalArgumentException("--workers must be from 1 to 1024, found " + workers);
    }
    if (queue < 0) {
      throw new IllegalArgumentException("the queue must be 0 or more, found " + queue);
    }
    if (maxInstances < 1 || maxInstances > 100_000) {
      throw new IllegalArgumentException(
          "--max-instances must be from 1 to 100000, found " + maxInstances);
    }
    if (maxBodyBytes < 1024 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "--max-body-bytes must be from 1024 to "
              + MAX_BODY_BYTES_LIMIT
              + ", found "
              + maxBodyBytes);
    }
    if (ioThreads < 1 || ioThreads > 4096) {
      throw new IllegalArgumentException("--io-threads must be from 1 to 4096, found " + ioThreads);
    }
    if (bodyTimeoutMillis < 1 || bodyTimeoutMillis > 1000L * ModelServer.EXCHANGE_SECONDS) {
      throw new IllegalArgumentException(
          "--body-timeout-seconds must be from 0.001 to "
              + ModelServer.EXCHANGE_SECONDS
              + ", found "
              + bodyTimeoutMillis / 1000.0);
    }
  }

  /**
   * The defaults: this machine only, port 8501, name mnist, a worker per core (at least 2).
   *
   * @return {@code 127.0.0.1:8501}, model {@code mnist}, {@code max(2, cores)} workers, a queue of
   *     4 per worker, 256 instances and 8 MiB a request, 64 threads reading requests, 10 s for a
   *     body to arrive
   */
  public static ServeOptions defaults() {
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    return new ServeOptions(
        "127.0.0.1",
        PORT_DEFAULT,
        NAME_DEFAULT,
        workers,
        4 * workers,
        MAX_INSTANCES_DEFAULT,
        MAX_BODY_BYTES_DEFAULT,
        IO_THREADS_DEFAULT,
        BODY_TIMEOUT_MILLIS_DEFAULT);
  }

  /**
   * These options with another host and port.
   *
   * @param host the address to bind, e.g. {@code 0.0.0.0} for every interface
   * @param port the TCP port, 0 to 65535 (0 picks a free one)
   * @return new options; these are unchanged
   */
  public ServeOptions withAddress(String host, int port) {
    return new ServeOptions(
        host, port, name, workers, queue, maxInstances, maxBodyBytes, ioThreads, bodyTimeoutMillis);
  }

  /**
   * These options with another model name.
   *
   * @param value the model's name in URLs ({@code --name})
   * @return new options; these are unchanged
   */
  public ServeOptions withName(String value) {
    return new ServeOptions(
        host,
        port,
        value,
        workers,
        queue,
        maxInstances,
        maxBodyBytes,
        ioThreads,
        bodyTimeoutMillis);
  }

  /**
   * These options with other limits.
   *
   * @param workers threads answering requests, 1 to 1024; the queue becomes 4 per worker
   * @param maxInstances images in one request at most, 1 to 100000
   * @param maxBodyBytes request body size at most, 1024 to {@link #MAX_BODY_BYTES_LIMIT}
   * @return new options; these are unchanged
   */
  public ServeOptions withLimits(int workers, int maxInstances, int maxBodyBytes) {
    return new ServeOptions(
        host,
        port,
        name,
        workers,
        4 * workers,
        maxInstances,
        maxBodyBytes,
        ioThreads,
        bodyTimeoutMillis);
  }

  /**
   * These options with other limits on reading requests.
   *
   * @param ioThreads threads reading requests, 1 to 4096
   * @param bodyTimeoutMillis milliseconds a body may take to arrive, 1 to {@code 60_000}
   * @return new options; these are unchanged
   */
  public ServeOptions withReading(int ioThreads, long bodyTimeoutMillis) {
    return new ServeOptions(
        host, port, name, workers, queue, maxInstances, maxBodyBytes, ioThreads, bodyTimeoutMillis);
  }
}
