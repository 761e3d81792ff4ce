package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} refuses output names it cannot honour before it reads data or trains: a plot not
 * named {@code *.png} (the file is a PNG image whatever its name), and a checkpoint prefix holding
 * a line break or other control character (the state file names checkpoints one per line, so the
 * save at the end would fail after the whole run).
 */
class TrainOutputNamesTest {

  @TempDir Path dir;

  private static void assertRefusedAtOnce(CliRun r, String expected) {
    assertEquals(Main.EXIT_USAGE, r.status(), r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(r.out().contains("Training on"), r.out());
  }

  @Test
  void aPlotNotNamedPngIsRefused() {
    for (String name : new String[] {"curve.jpg", "curve", "curve.png.txt", ".png"}) {
      Path plot = dir.resolve(name);
      CliRun r = CliRun.of("train", "--hidden", "8", "--epochs", "1", "--plot", plot.toString());
      assertRefusedAtOnce(r, "--plot " + plot + ": the plot is a PNG image");
      assertFalse(Files.exists(plot));
    }
  }

  @Test
  void aPrefixWithAControlCharacterIsRefused() {
    for (String bad : new String[] {"run/model\n.ckpt", "run/a\tb.ckpt", "run/m\u2028.ckpt"}) {
      CliRun r =
          CliRun.of(
              "train", "--hidden", "8", "--epochs", "1", "--save", dir.resolve(bad).toString());
      assertRefusedAtOnce(r, "a checkpoint prefix cannot hold a line break");
      assertFalse(Files.exists(dir.resolve("run")));
    }
  }
}
