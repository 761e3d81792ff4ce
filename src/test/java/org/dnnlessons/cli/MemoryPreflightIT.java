package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate} under {@code ulimit -v}: where the address space left cannot hold TensorFlow and
 * the network it refuses at once with one line naming the limit (it printed an {@code
 * UnsatisfiedLinkError} trace, or aborted in {@code std::bad_alloc}); with room it evaluates.
 */
class MemoryPreflightIT {

  @Test
  void anAddressSpaceLimitTooSmallForTensorFlowIsOneLine() throws Exception {
    Result r = evaluate(3_000_000);
    assertEquals(Main.EXIT_FAILURE, r.status, r.output);
    assertEquals(1, r.output.strip().lines().count(), r.output);
    assertTrue(r.output.startsWith("error: "), r.output);
    assertTrue(r.output.contains("limit (ulimit -v) leaves"), r.output);
  }

  @Test
  void anAddressSpaceLimitWithRoomEvaluates() throws Exception {
    Result r = evaluate(5_000_000);
    assertEquals(Main.EXIT_OK, r.status, r.output);
    assertTrue(r.output.contains("Test Accuracy: 0.8320"), r.output);
  }

  private record Result(int status, String output) {}

  private static Result evaluate(long limitKib) throws Exception {
    List<String> jvm = ChildJvm.command();
    String java = jvm.get(0);
    String options = String.join(" ", jvm.subList(1, jvm.size())); // JDK 25's, none on JDK 17
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                "ulimit -v "
                    + limitKib
                    // the JVM's own reservations kept small and alike on JDK 17 and 25 (JDK 25's
                    // defaults ran out of address space before main under this limit)
                    + " && exec \"$0\" "
                    + options
                    + " -Xmx512m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"
                    + " -XX:CICompilerCount=2 -cp \"$1\" "
                    + Main.class.getName()
                    + " evaluate --checkpoint"
                    + " src/test/resources/org/dnnlessons/checkpoint/python/mlp/model.ckpt",
                java,
                System.getProperty("java.class.path"))
            .redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    return new Result(p.exitValue(), out);
  }
}
