package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dnnlessons.bench.Benchmark;
import org.dnnlessons.bench.PythonPeer;
import org.dnnlessons.bench.ServingComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dnn-lessons bench}: the Java-versus-Python table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks Java against Python TensorFlow/numpy in the same run and prints one"
            + " table. Run from the repository root.")
final class BenchCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--quick", description = "Fewer repetitions.")
  boolean quick;

  @Option(
      names = "--levers",
      description =
          "Print only the levers table: each way of running the training step tried for"
              + " speed (thread pools, steps per run, resource variables, BiasAdd, float pixels,"
              + " XLA, a whole epoch per run), timed against train's loop; no Python needed.")
  boolean levers;

  @Option(
      names = "--python",
      paramLabel = "PATH",
      description =
          "Python interpreter with numpy and TensorFlow (default: $DNN_LESSONS_PYTHON,"
              + " else ~/.cache/dnn-lessons/venv-tf/bin/python, else python3).")
  Path python;

  @Option(
      names = "--bench-python",
      paramLabel = "PATH",
      description =
          "Python interpreter with JAX and PyTorch for their training rows (default:"
              + " $DNN_LESSONS_BENCH_PYTHON, else ~/.cache/dnn-lessons/venv-bench/bin/python, made"
              + " by src/test/python/ensure_bench_venv.sh); rows left out when missing.")
  Path benchPython;

  @Option(
      names = "--serve",
      paramLabel = "MODEL",
      description =
          "Instead: requests/s and p99 of serve's :predict (1 and 64 images a request) against the"
              + " same weights served by Flask calling Keras predict (needs wrk, and Flask in the"
              + " --python interpreter), interleaved.")
  Path serve;

  @Option(
      names = "--serve-seconds",
      paramLabel = "S",
      description = "With --serve: seconds per wrk run (default: ${DEFAULT-VALUE}).")
  int serveSeconds = 10;

  @Override
  public Integer call() throws Exception {
    if (serve != null) {
      ServingComparison.run(
          serve,
          python != null ? python : PythonPeer.defaultPython(),
          quick ? 1 : 3,
          serveSeconds,
          main.out());
      return Main.EXIT_OK;
    }
    if (levers) {
      Benchmark.levers(quick, main.out());
      return Main.EXIT_OK;
    }
    Benchmark.Options options =
        new Benchmark.Options(quick, python != null ? python : PythonPeer.defaultPython());
    if (benchPython != null) {
      options = new Benchmark.Options(options.quick(), options.python(), benchPython);
    }
    Benchmark.run(options, main.out());
    return Main.EXIT_OK;
  }
}
