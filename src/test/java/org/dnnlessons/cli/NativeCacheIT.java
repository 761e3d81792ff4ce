package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs in time zones 25 hours apart ({@code Pacific/Kiritimati}, UTC+14, and {@code
 * Pacific/Pago_Pago}, UTC-11) start {@code evaluate} together, sharing one home directory and so
 * JavaCPP's cache, first with the cache empty ({@value #COLD_ROUNDS} rounds, each from an empty
 * cache), then warm ({@value #WARM_ROUNDS} rounds): every run ends with status 0 and the test
 * accuracy, and no run rewrites a library another extracted (each {@code libtensorflow_cc.so.2}
 * keeps its inode and modification time from the first round on). Without {@link NativeCache} each
 * zone's JVM found the other's copy "changed" and re-extracted it in place while the other mapped
 * it: SIGBUS (exit 134) in 2 of 6 rounds. {@code -Dnative.cache.rounds=N} runs N of each.
 */
class NativeCacheIT {

  static final int COLD_ROUNDS = 1;
  static final int WARM_ROUNDS = 2;
  static final List<String> ZONES = List.of("Pacific/Kiritimati", "Pacific/Pago_Pago");

  @TempDir Path home;

  @Test
  void jvmsInDifferentTimeZonesShareTheHomeWithoutRewritingEachOthersLibraries() throws Exception {
    int cold = Integer.getInteger("native.cache.rounds", COLD_ROUNDS);
    int warm = Integer.getInteger("native.cache.rounds", WARM_ROUNDS);
    Map<Path, String> libraries = null;
    int runs = 0;
    for (int round = 0; round < cold + warm; round++) {
      boolean coldRound = round < cold;
      if (coldRound) {
        PathUtils.deleteDirectory(home);
        Files.createDirectories(home);
      }
      List<Process> processes = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      for (String zone : ZONES) {
        Path log =
            home.resolveSibling(home.getFileName() + "-" + round + "-" + zone.replace('/', '_'));
        logs.add(log);
        ProcessBuilder pb =
            new ProcessBuilder(
                    ChildJvm.command(
                        "-Duser.home=" + home,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "evaluate",
                        "--checkpoint",
                        "src/test/resources/org/dnnlessons/checkpoint/python/mlp/model.ckpt"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TZ", zone);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
        processes.add(pb.start());
      }
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        String what = (coldRound ? "cold" : "warm") + " round " + round + " in " + ZONES.get(i);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), what + " did not finish");
        String out = Files.readString(logs.get(i), StandardCharsets.UTF_8);
        Files.delete(logs.get(i));
        assertEquals(0, p.exitValue(), what + " ended with " + p.exitValue() + ":\n" + out);
        assertTrue(out.contains("Test Accuracy: 0.8320"), what + ":\n" + out);
        runs++;
      }
      Map<Path, String> now = libraries();
      assertTrue(!now.isEmpty(), "no libtensorflow_cc.so.2 under " + home);
      if (coldRound) {
        libraries = now;
      } else {
        assertEquals(libraries, now, "warm round " + round + " rewrote a cached library");
      }
    }
    System.out.println(
        runs + " runs in " + ZONES + ", " + cold + " cold and " + warm + " warm rounds, 0 aborts");
  }

  /** Every extracted libtensorflow_cc.so.2 under the home, with its inode and modification time. */
  private Map<Path, String> libraries() throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.filter(f -> f.endsWith("libtensorflow_cc.so.2")).toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        out.put(home.relativize(p), a.fileKey() + " " + a.lastModifiedTime());
      }
    }
    return out;
  }
}
