package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dnnlessons.lessons.LessonCatalog;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.testing.PrintedText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors of the command line, run in-process. */
@CpuNumerics
class MainTest {

  @TempDir Path dir;

  private static void assertOneErrorLine(CliRun r, String expected) {
    assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
    assertEquals("error: " + expected, r.err().strip());
  }

  @Test
  void reluLessonPrintsTheMatrix() {
    CliRun r = CliRun.of("lesson", "relu");
    assertEquals(0, r.status(), r.err());
    // the notebook's digits, up to the CPU's last bits (frozen on one machine: a tolerance)
    PrintedText.assertClose(PrintedText.RELU_QUIZ, r.out());
  }

  @Test
  void listNamesEveryLessonWithItsSection() {
    CliRun r = CliRun.of("lesson", "--list");
    assertEquals(0, r.status());
    for (LessonCatalog lesson : LessonCatalog.values()) {
      assertTrue(r.out().contains(lesson.command()), lesson.command());
      assertTrue(r.out().contains(lesson.section()), lesson.section());
    }
  }

  @Test
  void aMistypedCommandOrOptionSuggestsTheClosest() {
    CliRun command = CliRun.of("trian");
    assertEquals(Main.EXIT_USAGE, command.status());
    assertEquals(
        "error: Unknown command 'trian'; did you mean train? (see 'dnn-lessons --help')",
        command.err().strip());
    CliRun option = CliRun.of("train", "--epoch", "3");
    assertEquals(Main.EXIT_USAGE, option.status());
    assertTrue(option.err().contains("; did you mean --epochs?"), option.err());
  }

  @Test
  void unknownLessonIsAUsageError() {
    CliRun r = CliRun.of("lesson", "nosuch");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertOneErrorLine(
        r,
        "unknown lesson 'nosuch'; 'dnn-lessons lesson --list' names them"
            + " (see 'dnn-lessons lesson --help')");
  }

  @Test
  void badKeepProbIsAUsageError() {
    CliRun r = CliRun.of("lesson", "dropout", "--keep-prob", "1.5");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertOneErrorLine(
        r,
        "keep_prob must be in (0, 1] (the probability of keeping a unit),"
            + " found 1.5 (see 'dnn-lessons lesson dropout --help')");
  }

  @Test
  void malformedNumberIsAUsageError() {
    CliRun r = CliRun.of("lesson", "dropout", "--keep-prob", "half");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("--keep-prob"), r.err());
  }

  @Test
  void namingErrorPrintsOneLineAndExitsOne() {
    String prefix = dir.resolve("model.ckpt").toString();
    CliRun r = CliRun.of("lesson", "naming-error", "--file", prefix);
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertOneErrorLine(
        r,
        prefix
            + ": shape mismatch for variable 'Variable': the checkpoint"
            + " holds shape [2, 3], the graph's variable has shape [3]");
    assertTrue(r.out().contains("Load Bias: Variable:0"), r.out());
  }

  @Test
  void missingCheckpointPrintsOneLineAndExitsOne() {
    String prefix = dir.resolve("none.ckpt").toString();
    CliRun r = CliRun.of("lesson", "load-variables", "--file", prefix);
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertOneErrorLine(
        r, prefix + ": no checkpoint here: expected the file " + prefix + ".index to exist");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun r = CliRun.of();
    assertEquals(Main.EXIT_USAGE, r.status());
    assertOneErrorLine(r, "missing COMMAND (see 'dnn-lessons --help')");
  }
}
