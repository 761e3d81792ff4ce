package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Keras file is written only under a name Keras opens: {@code keras.models.load_model} refuses a
 * {@code .keras} archive named otherwise ("File format not supported: filepath=model.txt") and
 * {@code load_weights} a weights file not named {@code *.weights.h5}; export and train once wrote
 * such files without a word.
 */
class KerasFileNamesTest {

  @TempDir Path dir;

  private static void assertRefused(CliRun r, String option, Path file, String suffix) {
    assertEquals(Main.EXIT_USAGE, r.status(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "error: "
                    + option
                    + " "
                    + file
                    + ": Keras opens this format only from a file named *"
                    + suffix),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(file));
  }

  @Test
  void exportRefusesANameKerasWouldNotOpen() {
    for (String[] c :
        new String[][] {
          {"keras", "model.txt", ".keras"},
          {"keras", "model.h5", ".keras"},
          {"keras", ".keras", ".keras"},
          {"weights-h5", "model.h5", ".weights.h5"},
          {"weights-h5", "model.keras", ".weights.h5"}
        }) {
      Path out = dir.resolve(c[1]);
      CliRun r =
          CliRun.of(
              "export",
              "--format",
              c[0],
              "--checkpoint",
              dir.resolve("none").toString(),
              "--out",
              out.toString());
      assertRefused(r, "--out", out, c[2]);
    }
  }

  @Test
  void trainRefusesAnExportKerasNameKerasWouldNotOpenBeforeTraining() {
    Path out = dir.resolve("model.txt");
    CliRun r =
        CliRun.of(
            "train",
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--save",
            dir.resolve("run/model.ckpt").toString(),
            "--export-keras",
            out.toString());
    assertRefused(r, "--export-keras", out, ".keras");
    assertFalse(Files.exists(dir.resolve("run")));
  }
}
