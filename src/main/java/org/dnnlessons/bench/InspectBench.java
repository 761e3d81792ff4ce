package org.dnnlessons.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The {@code inspect} row: a whole {@code dnn-lessons inspect} process against {@code python -m
 * tensorflow.python.tools.inspect_checkpoint} on the lesson's checkpoint, start-up included.
 */
final class InspectBench {

  private InspectBench() {}

  static BenchmarkReport.Row row(Path python, int reps) throws Exception {
    Path dir = Files.createTempDirectory("bench-inspect");
    try {
      String prefix;
      try (Graph graph = new Graph()) {
        Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
        Saver saver = Saver.builder(graph).build();
        try (Session s = net.model().newSession()) {
          s.run(net.init());
          prefix = saver.save(s, dir.resolve("model.ckpt").toString());
        }
      }
      return BenchmarkReport.Row.times(
          "inspect a checkpoint (whole process)",
          ProcessTimer.time(
              reps, ProcessTimer.javaCommand("org.dnnlessons.cli.Main", "inspect", prefix)),
          ProcessTimer.time(
              reps,
              List.of(
                  python.toString(),
                  "-m",
                  "tensorflow.python.tools.inspect_checkpoint",
                  "--file_name=" + prefix)),
          "pure Java reader vs inspect_checkpoint");
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}
