package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dnn-lessons data info|show}: output and one-line errors. */
class DataCommandTest {

  @TempDir Path dir;

  @Test
  void infoOnTheEmbeddedDigitsPrintsEachSplit() {
    CliRun r = CliRun.of("data", "info");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("train         7000  [732, 798"), r.out());
    assertTrue(r.out().contains("validation    1000"), r.out());
    assertTrue(r.out().contains("test          2000  [176, 215"), r.out());
  }

  @Test
  void infoReadsADirectoryGivenAsArgument() {
    CliRun r = CliRun.of("data", "info", "data/mnist");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Data set: data/mnist"), r.out());
  }

  @Test
  void showDrawsTheDigitAndWritesAPng() throws Exception {
    Path png = dir.resolve("digit.png");
    CliRun r = CliRun.of("data", "show", "--index", "0", "--png", png.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("@@"), "ink is drawn");
    assertTrue(r.out().contains("Label: 8"), r.out());
    byte[] header = Files.readAllBytes(png);
    assertEquals((byte) 0x89, header[0]);
    assertEquals('P', header[1]);
  }

  @Test
  void missingDirectoryIsOneLineAndStatusOne() {
    Path absent = dir.resolve("absent");
    CliRun r = CliRun.of("data", "info", "--data", absent.toString());
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals(
        "error: "
            + absent
            + ": no such directory; expected a directory of MNIST-format"
            + " IDX files",
        r.err().strip());
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliRun unknown = CliRun.of("data", "info", "--dataset", "cifar");
    assertEquals(Main.EXIT_USAGE, unknown.status());
    assertEquals(1, unknown.err().lines().count(), unknown.err());
    assertTrue(
        unknown
            .err()
            .contains(
                "unknown data set 'cifar', expected one of mnist," + " fashion-mnist, mnist-full"),
        unknown.err());
    CliRun both = CliRun.of("data", "info", "data/mnist", "--dataset", "mnist");
    assertEquals(Main.EXIT_USAGE, both.status());
    CliRun index = CliRun.of("data", "show", "--index", "-1");
    assertEquals(Main.EXIT_USAGE, index.status());
    assertTrue(index.err().contains("--index must be between 0 and 1999"), index.err());
  }

  @Test
  void pngTargetIsCheckedBeforeTheImageIsShown() throws Exception {
    // was: an empty directory silently replaced by the PNG ("Wrote out"), a parent that is a file
    // "error: /tmp/x/afile: already exists", an empty path "error: Invalid argument"
    Path emptyDir = Files.createDirectory(dir.resolve("out"));
    CliRun r = CliRun.of("data", "show", "--index", "0", "--png", emptyDir.toString());
    assertEquals(Main.EXIT_USAGE, r.status(), r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--png " + emptyDir + ": is a directory"), r.err());
    assertTrue(Files.isDirectory(emptyDir), "the directory is still there");
    assertEquals("", r.out(), "nothing is drawn before the target is checked");
    Path file = Files.writeString(dir.resolve("afile"), "keep");
    r = CliRun.of("data", "show", "--index", "0", "--png", file.resolve("x.png").toString());
    assertEquals(Main.EXIT_USAGE, r.status());
    assertTrue(
        r.err().contains("--png " + file.resolve("x.png") + ": " + file + " is a file"), r.err());
    assertEquals("keep", Files.readString(file));
    r = CliRun.of("data", "show", "--index", "0", "--png", "");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertTrue(r.err().startsWith("error: --png: the path is empty"), r.err());
  }
}
