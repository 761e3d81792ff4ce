package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} refuses what cannot work before it trains: options that size memory beyond the
 * machine, steps per run that take minutes to build, output targets that cannot be written, empty
 * splits. Each is one line naming the option or file, a non-zero status, and no training.
 */
class TrainPreflightTest {

  @TempDir Path dir;

  /**
   * Runs train with one epoch and {@code args}; asserts one error line and that nothing trained.
   */
  private static String refused(int status, String... args) {
    List<String> all = new ArrayList<>(List.of("train", "--epochs", "1", "--seed", "1"));
    all.addAll(List.of(args));
    long start = System.nanoTime();
    CliRun r = CliRun.of(all.toArray(new String[0]));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(status, r.status(), r.err() + r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.out().contains("Epoch"), "trained before refusing: " + r.out());
    assertFalse(r.err().contains("unexpected"), r.err());
    // refused before the graph is built: --hidden 2000000000 used to run 62 s (157 s on a busy
    // machine) before failing; a generous bound that only catches a run that went ahead
    assertTrue(seconds < 60, "took " + seconds + " s");
    return r.err().strip();
  }

  @Test
  void hiddenWidthBeyondTheMachineIsRefusedBeforeTheGraph() {
    // was: 62 s, then "unexpected TFResourceExhaustedException"
    String err = refused(Main.EXIT_USAGE, "--hidden", "2000000000");
    assertTrue(
        err.startsWith(
            "error: --hidden 2000000000: the network's weights and their gradients need 23.1 TiB"
                + " and its activations on the split evaluated in one run 43.7 TiB; the run needs"
                + " about 71.4 TiB in all, more than the "),
        err);
    // widths whose products overflow 64 bits saturate instead of wrapping to a small number
    err = refused(Main.EXIT_USAGE, "--hidden", "2147483647,2147483647,2147483647");
    assertTrue(
        err.startsWith("error: --hidden 2147483647,2147483647,2147483647: the network's weights"),
        err);
    assertTrue(err.contains("need more than 8 EiB"), err);
  }

  @Test
  void lessonMlpChecksTheSameMemory() {
    long start = System.nanoTime();
    CliRun r = CliRun.of("lesson", "mlp", "--hidden", "2000000000");
    assertTrue((System.nanoTime() - start) / 1e9 < 60);
    assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: --hidden 2000000000: the network's weights"), r.err());
  }

  @Test
  void stepsPerRunIsBoundedByTheGraphAndTheEpoch() {
    // was: a hang (1000 unrolled steps take minutes to build)
    assertEquals(
        "error: --steps-per-run must be between 1 and 64 (without --jit-compile each step is"
            + " unrolled into the graph, which then takes minutes to build), found 1000 (see"
            + " 'dnn-lessons train --help')",
        refused(Main.EXIT_USAGE, "--steps-per-run", "1000"));
    // the embedded digits: 7000 training examples of batch 128 are 54 steps
    assertEquals(
        "error: --steps-per-run 60 is more than the 54 steps of an epoch (7000 training examples,"
            + " --batch-size 128); expected 1 to 54 (see 'dnn-lessons train --help')",
        refused(Main.EXIT_USAGE, "--steps-per-run", "60"));
  }

  @Test
  void emptySavePrefixIsRefused() {
    // was: "-54.index" written into the working directory
    assertEquals(
        "error: --save: the path is empty; expected a checkpoint prefix such as run/model.ckpt"
            + " (see 'dnn-lessons train --help')",
        refused(Main.EXIT_USAGE, "--save", ""));
  }

  @Test
  void targetsUnderAFileAreRefusedBeforeTraining() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    for (String option : List.of("--save", "--export", "--plot", "--logdir")) {
      Path target = file.resolve("sub").resolve("out");
      assertEquals(
          "error: "
              + option
              + " "
              + target
              + ": "
              + file
              + " is a file, not a directory, so nothing can be created under it (see 'dnn-lessons"
              + " train --help')",
          refused(Main.EXIT_USAGE, option, target.toString()));
    }
  }

  @Test
  void targetsOfTheWrongKindAreRefusedBeforeTraining() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path existing = Files.createDirectory(dir.resolve("existing"));
    assertTrue(
        refused(Main.EXIT_USAGE, "--export", existing.toString())
            .startsWith(
                "error: --export "
                    + existing
                    + ": already exists (a directory); expected a new directory to export to"));
    assertTrue(
        refused(Main.EXIT_USAGE, "--logdir", file.toString())
            .startsWith("error: --logdir " + file + ": is a file, not a directory"));
    assertTrue(
        refused(Main.EXIT_USAGE, "--plot", existing.toString())
            .startsWith("error: --plot " + existing + ": is a directory; expected a file name ("));
    assertTrue(
        refused(Main.EXIT_USAGE, "--save", existing.toString())
            .startsWith(
                "error: --save "
                    + existing
                    + ": is a directory; expected a checkpoint prefix, such as "
                    + existing.resolve("model.ckpt")));
  }

  @Test
  void unwritableDirectoryIsRefusedBeforeTraining() throws Exception {
    Path locked = Files.createDirectory(dir.resolve("locked"));
    // root writes into a directory whatever its mode (CI runs as root), but not into a read-only
    // file system: as root the directory becomes a read-only tmpfs, otherwise mode r-xr-xr-x
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      assertEquals(
          0, exec("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", locked.toString()));
    } else {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    try {
      assertFalse(Files.isWritable(locked), locked + " is still writable");
      assertEquals(
          "error: --save "
              + locked.resolve("model.ckpt")
              + ": cannot create files in "
              + locked
              + " (permission denied) (see 'dnn-lessons train --help')",
          refused(Main.EXIT_USAGE, "--save", locked.resolve("model.ckpt").toString()));
    } finally {
      if (root) {
        assertEquals(0, exec("umount", locked.toString()));
      } else {
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static int exec(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    return p.waitFor();
  }
}
