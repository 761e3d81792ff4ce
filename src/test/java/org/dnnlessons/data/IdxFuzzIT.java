package org.dnnlessons.data;

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
 * {@link IdxFuzz} in a second JVM with a 64 MiB heap: a reader that allocated what a header claims
 * would die there of {@code OutOfMemoryError}. The child's peak resident memory (VmHWM) is reported
 * and bounded.
 */
class IdxFuzzIT {

  /** The child's heap. */
  static final String HEAP = "-Xmx64m";

  /** Peak resident memory allowed for the child: its heap and the JVM's own, with room. */
  static final long MAX_RESIDENT_KIB = 320 << 10;

  @TempDir Path dir;

  @Test
  void fuzzedReadsInA64MegabyteHeapNeverCrash() throws Exception {
    int rounds = Integer.getInteger("fuzz.child.rounds", 2000);
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    HEAP,
                    "-cp",
                    System.getProperty("java.class.path"),
                    IdxFuzz.class.getName(),
                    Integer.toString(rounds),
                    "7",
                    dir.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the fuzzing JVM did not finish: " + out);
    System.out.println(out.strip());
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains(" 0 crashes"), out);
    Matcher m = Pattern.compile("peak resident (\\d+) KiB").matcher(out);
    assertTrue(m.find(), out);
    long kib = Long.parseLong(m.group(1));
    assertTrue(kib > 0 && kib < MAX_RESIDENT_KIB, "peak resident " + kib + " KiB: " + out);
  }
}
