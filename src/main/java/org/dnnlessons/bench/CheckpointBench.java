package org.dnnlessons.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Initializers;
import org.dnnlessons.nn.ModelGraph;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

/**
 * Java's side of the checkpoint rows: save and restore 64 float32 variables of 4 MB (256 MB) with
 * the {@link Saver}, as {@code bench.py} does with Python's Saver; and {@code dd}'s write bandwidth
 * on the same disk, for scale.
 */
final class CheckpointBench {

  /** Bytes in the benchmark checkpoint. */
  static final long BYTES = 64L * 1024 * 1024 * 4;

  private CheckpointBench() {}

  /** {save, restore} seconds per repetition. */
  static Measurement[] saveAndRestore(Path dir, int reps) throws Exception {
    Files.createDirectories(dir);
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph, 1);
      Ops tf = g.tf();
      for (int i = 0; i < 64; i++) {
        g.variable(
            tf,
            String.format(Locale.ROOT, "v%02d", i),
            Initializers.randomNormal(g, tf, Shape.of(1024, 1024)));
      }
      Saver saver = Saver.builder(graph).maxToKeep(1).writeMetaGraph(false).build();
      String prefix = dir.resolve("big.ckpt").toString();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        // every save starts with no dirty pages left by the one before, as in bench.py
        Measurement save =
            Measurement.time(1, reps, CheckpointBench::sync, () -> saver.save(s, prefix));
        Measurement restore = Measurement.time(1, reps, () -> saver.restore(s, prefix));
        return new Measurement[] {save, restore};
      }
    } finally {
      delete(dir);
    }
  }

  /** Seconds {@code dd} takes to write 256 MB in 4 MB blocks (page cache, as the savers write). */
  static Measurement dd(Path dir, int reps) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve("dd.bin");
    Pattern seconds = Pattern.compile("copied, ([0-9.]+) s");
    double[] out = new double[reps];
    try {
      for (int i = -1; i < reps; i++) {
        sync();
        Process p =
            new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=4M", "count=64")
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = seconds.matcher(text);
        if (!m.find()) {
          throw new IOException("dd printed no timing: " + text.strip());
        }
        if (i >= 0) {
          out[i] = Double.parseDouble(m.group(1));
        }
        Files.deleteIfExists(file);
      }
      return new Measurement(out);
    } finally {
      delete(dir);
    }
  }

  /** Runs {@code sync}: the page cache's dirty pages are written out before the next timing. */
  static void sync() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sync").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException("sync exited with status " + p.exitValue());
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
