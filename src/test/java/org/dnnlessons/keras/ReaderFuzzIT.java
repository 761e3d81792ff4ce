package org.dnnlessons.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReaderFuzz} in a second JVM with a 256 MiB heap that exits on the first {@code
 * OutOfMemoryError}: 3,000 mutated files of each format ({@code .weights.h5}, {@code .keras},
 * {@code saved_model.pb}, TF2 object graphs, the state file), none crashing. {@code
 * -Dfuzz.rounds=100000} runs more. The child's per-format lines and its peak resident memory are
 * printed.
 */
class ReaderFuzzIT {

  /** The child's heap: a reader that allocated what a header claims dies here. */
  static final String HEAP = "-Xmx256m";

  @TempDir Path dir;

  @Test
  void mutatedKerasFilesProtosAndStateFilesNeverCrashA256MegabyteHeap() throws Exception {
    int rounds = Integer.getInteger("fuzz.rounds", 3000);
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    HEAP,
                    "-XX:+ExitOnOutOfMemoryError",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ReaderFuzz.class.getName(),
                    Integer.toString(rounds),
                    Long.toString(Long.getLong("fuzz.seed", 24)),
                    dir.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(Math.max(600, rounds / 10), TimeUnit.SECONDS), out);
    System.out.println(out.strip());
    assertTrue(!out.contains("OutOfMemoryError"), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("total: 0 crashes"), out);
    for (ReaderFuzz.Format f : ReaderFuzz.Format.values()) {
      assertTrue(out.contains(f + ": " + rounds + " rounds"), out);
    }
    Matcher m = Pattern.compile("peak resident (\\d+) KiB").matcher(out);
    assertTrue(m.find(), out);
  }
}
