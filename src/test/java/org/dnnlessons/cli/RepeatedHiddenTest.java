package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code --hidden} given twice is refused, as any other option given twice is: picocli appends a
 * repeated list option, so {@code --hidden 512 --hidden 64} trained {@code [512, 64]} where a user
 * meant to replace the first width (a new user's report).
 */
class RepeatedHiddenTest {

  @Test
  void hiddenGivenTwiceIsRefusedInEveryCommandThatTakesIt() {
    for (String command : new String[] {"train", "evaluate", "predict"}) {
      CliRun r =
          command.equals("train")
              ? CliRun.of(command, "--hidden", "512", "--epochs", "1", "--hidden=64,32")
              : CliRun.of(command, "--hidden", "512", "--checkpoint", "none", "--hidden", "64,32");
      assertEquals(Main.EXIT_USAGE, r.status(), command + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(
          r.err()
              .startsWith(
                  "error: option '--hidden' should be specified only once: the layers are one list,"
                      + " such as --hidden 512,64"),
          r.err());
    }
  }

  @Test
  void oneListIsTakenWhole() {
    CliRun r = CliRun.of("train", "--hidden", "8,4", "--epochs", "1", "--seed", "1");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("hidden [8, 4]"), r.out());
  }
}
