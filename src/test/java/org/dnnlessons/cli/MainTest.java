package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dnnlessons.lessons.LessonCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors of the command line, run in-process. */
class MainTest {

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertOneErrorLine(Run r, String expected) {
    assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
    assertEquals("error: " + expected, r.err().strip());
  }

  @Test
  void reluLessonPrintsTheMatrix() {
    Run r = run("lesson", "relu");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("[[ 5.11"), r.out());
  }

  @Test
  void listNamesEveryLessonWithItsSection() {
    Run r = run("lesson", "--list");
    assertEquals(0, r.status());
    for (LessonCatalog lesson : LessonCatalog.values()) {
      assertTrue(r.out().contains(lesson.command()), lesson.command());
      assertTrue(r.out().contains(lesson.section()), lesson.section());
    }
  }

  @Test
  void unknownLessonIsAUsageError() {
    Run r = run("lesson", "nosuch");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertOneErrorLine(
        r,
        "unknown lesson 'nosuch'; 'dnn-lessons lesson --list' names them"
            + " (see 'dnn-lessons lesson --help')");
  }

  @Test
  void badKeepProbIsAUsageError() {
    Run r = run("lesson", "dropout", "--keep-prob", "1.5");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertOneErrorLine(
        r,
        "keep_prob must be in (0, 1] (the probability of keeping a unit),"
            + " found 1.5 (see 'dnn-lessons lesson dropout --help')");
  }

  @Test
  void malformedNumberIsAUsageError() {
    Run r = run("lesson", "dropout", "--keep-prob", "half");
    assertEquals(Main.EXIT_USAGE, r.status());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("--keep-prob"), r.err());
  }

  @Test
  void namingErrorPrintsOneLineAndExitsOne() {
    String prefix = dir.resolve("model.ckpt").toString();
    Run r = run("lesson", "naming-error", "--file", prefix);
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
    Run r = run("lesson", "load-variables", "--file", prefix);
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertOneErrorLine(
        r, prefix + ": no checkpoint here: expected the file " + prefix + ".index to exist");
  }

  @Test
  void noCommandIsAUsageError() {
    Run r = run();
    assertEquals(Main.EXIT_USAGE, r.status());
    assertOneErrorLine(r, "missing COMMAND (see 'dnn-lessons --help')");
  }
}
