package org.dnnlessons.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Readers are pure Java: reading a {@code .keras} archive, a {@code .weights.h5} file and a lesson
 * checkpoint's {@code .meta} graph, their activations included, and {@code inspect} on each, map no
 * native TensorFlow library into the process. Checked in a child JVM ({@link NoNativeReads}), whose
 * {@code /proc/self/maps} no other test has touched: when {@code Activation} registered its {@code
 * Erfc} gradient in its static initializer, the first activation read loaded {@code
 * libtensorflow_cc.so.2}.
 */
class NoNativeReadsTest {

  private static final Path RESOURCES = Path.of("src", "test", "resources", "org", "dnnlessons");

  @Test
  void readingKerasFilesAndLessonCheckpointsLoadsNoNativeTensorFlow() throws Exception {
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    "-cp",
                    System.getProperty("java.class.path"),
                    NoNativeReads.class.getName(),
                    RESOURCES.resolve("keras/fuzz/seed.keras").toString(),
                    RESOURCES.resolve("keras/fuzz/seed.weights.h5").toString(),
                    RESOURCES.resolve("checkpoint/python/mlp/model.ckpt").toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    // each file read with its activations, and inspected
    assertTrue(out.contains("read seed.keras: ") && out.contains("relu"), out);
    assertTrue(out.contains("read seed.weights.h5: "), out);
    assertTrue(out.contains("read model.ckpt: "), out);
    assertEquals(3, out.lines().filter(l -> l.matches("inspect .*: status 0")).count(), out);
    assertTrue(out.contains("native: none"), out);
  }
}
