package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s refusals: one line each, before anything listens. */
class ServeCommandTest {

  @TempDir Path dir;

  @Test
  void aMissingModelIsOneLineAndStatus1() {
    CliRun r = CliRun.of("serve", "--model", dir.resolve("nothing").toString(), "--port", "0");
    assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("nothing"), r.err());
  }

  @Test
  void badOptionsAreUsageErrors() {
    for (String[] args :
        new String[][] {
          {"--port", "70000"},
          {"--name", "a/b"},
          {"--workers", "0"},
          {"--max-instances", "0"},
          {"--max-body-bytes", "10"},
          {"--max-body-bytes", "2147483647"},
          {"--poll-seconds", "0"}
        }) {
      String[] all = new String[args.length + 3];
      all[0] = "serve";
      all[1] = "--model";
      all[2] = dir.toString();
      System.arraycopy(args, 0, all, 3, args.length);
      CliRun r = CliRun.of(all);
      assertEquals(Main.EXIT_USAGE, r.status(), String.join(" ", all) + ": " + r.err());
      assertTrue(r.err().contains(args[0]), r.err());
    }
  }
}
