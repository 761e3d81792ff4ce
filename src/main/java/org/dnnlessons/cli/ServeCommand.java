package org.dnnlessons.cli;

import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.dnnlessons.serve.CheckpointSource;
import org.dnnlessons.serve.ModelLoaders;
import org.dnnlessons.serve.ModelManager;
import org.dnnlessons.serve.ModelServer;
import org.dnnlessons.serve.ServeOptions;
import org.dnnlessons.serve.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dnn-lessons serve}: TensorFlow Serving's REST API and a drawing page over a trained
 * network, until SIGTERM or Ctrl-C.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a trained network with TensorFlow Serving's REST API (GET /v1/models/NAME,"
          + " .../metadata, POST /v1/models/NAME:predict, :classify) and a page at / to draw a"
          + " digit. A directory of train --save checkpoints serves its newest and swaps in newer"
          + " ones as training writes them. Stops on SIGTERM or Ctrl-C after answering the"
          + " requests in flight."
    })
final class ServeCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "PATH",
      required = true,
      description =
          "A checkpoint directory (its newest checkpoint, watched for newer ones) or prefix, a"
              + " Keras file (.keras, .h5, .weights.h5, a TF2 checkpoint), or a SavedModel directory"
              + " (run through its serving_default signature).")
  Path model;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "TCP port (default: ${DEFAULT-VALUE}, TensorFlow Serving's REST port).")
  int port = ServeOptions.PORT_DEFAULT;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
  String host = "127.0.0.1";

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The model's name in URLs /v1/models/NAME (default: ${DEFAULT-VALUE}).")
  String name = ServeOptions.NAME_DEFAULT;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Requests parsed, run and answered at once (default: the number of cores, at least 2).")
  Integer workers;

  @Option(
      names = "--max-instances",
      paramLabel = "N",
      description = "Images in one request at most; more is a 400 (default: ${DEFAULT-VALUE}).")
  int maxInstances = ServeOptions.MAX_INSTANCES_DEFAULT;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      description = "Request body size at most; more is a 413 (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes = ServeOptions.MAX_BODY_BYTES_DEFAULT;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description =
          "Threads reading requests off the connections, apart from the workers: a slow or"
              + " stalled upload holds one of these, never a worker (default: ${DEFAULT-VALUE}).")
  int ioThreads = ServeOptions.IO_THREADS_DEFAULT;

  @Option(
      names = "--body-timeout-seconds",
      paramLabel = "S",
      description =
          "Seconds a request body may take to arrive after its headers; later is a 408 and the"
              + " connection closed (default: 10, at most 60).")
  double bodyTimeoutSeconds = ServeOptions.BODY_TIMEOUT_MILLIS_DEFAULT / 1000.0;

  @Option(
      names = "--poll-seconds",
      paramLabel = "S",
      description =
          "How often a checkpoint directory is checked for a newer checkpoint (default:"
              + " ${DEFAULT-VALUE}).")
  double pollSeconds = 1;

  private long bodyTimeoutMillis() {
    if (!(bodyTimeoutSeconds >= 0.001 && bodyTimeoutSeconds <= ModelServer.EXCHANGE_SECONDS)) {
      throw new IllegalArgumentException(
          "--body-timeout-seconds must be from 0.001 to "
              + ModelServer.EXCHANGE_SECONDS
              + ", found "
              + bodyTimeoutSeconds);
    }
    return Math.round(bodyTimeoutSeconds * 1000);
  }

  /**
   * "cannot listen on 127.0.0.1:8501: address already in use (another serve?); pass --port N, or
   * --port 0 for a free one": the address, the reason, and for a busy port the way out (the JDK
   * says only "Address already in use").
   */
  private String cannotListen(BindException e) {
    String reason = e.getMessage() == null ? "cannot bind" : e.getMessage();
    String line = "cannot listen on " + host + ":" + port + ": " + reason.toLowerCase(Locale.ROOT);
    return reason.toLowerCase(Locale.ROOT).contains("already in use")
        ? line + " (another serve?); pass --port N, or --port 0 for a free one"
        : line;
  }

  @Override
  public Integer call() throws Exception {
    ServeOptions options =
        Main.options(
            spec,
            () -> {
              if (!(pollSeconds >= 0.01 && pollSeconds <= 86_400)) {
                throw new IllegalArgumentException(
                    "--poll-seconds must be from 0.01 to 86400, found " + pollSeconds);
              }
              ServeOptions d = ServeOptions.defaults();
              return d.withAddress(host, port)
                  .withName(name)
                  .withLimits(workers != null ? workers : d.workers(), maxInstances, maxBodyBytes)
                  .withReading(ioThreads, bodyTimeoutMillis());
            });
    PrintStream out = main.out();
    Consumer<String> log =
        line -> {
          synchronized (out) {
            out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
            out.flush();
          }
        };
    ServedModel.Loader loader = ModelLoaders::load;
    ModelManager manager = new ModelManager(CheckpointSource.loadLatest(model, loader));
    CheckpointSource source = new CheckpointSource(model, manager, loader, log);
    ModelServer server;
    try {
      server = ModelServer.start(options, manager, log);
    } catch (BindException e) {
      manager.close();
      throw new BindException(cannotListen(e));
    } catch (Exception e) {
      manager.close();
      throw e;
    }
    if (CheckpointSource.isWatchable(model)) {
      source.start(Duration.ofMillis(Math.round(pollSeconds * 1000)));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              source.close();
              server.close(); // answers the requests in flight first
              manager.close();
              stopped.countDown();
            },
            "serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await(); // until SIGTERM or Ctrl-C runs the hook
    return Main.EXIT_OK;
  }
}
