package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lesson class's {@code main}: the notebook's settings, one error line, no command line. */
class LessonLauncherTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private PrintStream err() {
    return new PrintStream(err, true, StandardCharsets.UTF_8);
  }

  @Test
  void anArgumentIsRefusedNamingTheCommandThatTakesOptions() {
    int status =
        LessonLauncher.status(
            SaveTrainedModel.COMMAND,
            new String[] {"--epochs", "1"},
            () -> {
              throw new AssertionError("must not run");
            },
            err());
    assertEquals(2, status);
    assertEquals(
        "error: a lesson's class runs the notebook's settings and takes no arguments, found"
            + " '--epochs'; for options run 'dnn-lessons lesson save-trained --help'\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailingLessonIsOneLineAndStatusOne() {
    String prefix = dir.resolve("model.ckpt").toString();
    int status =
        LessonLauncher.status(
            NamingError.COMMAND,
            new String[0],
            () ->
                NamingError.run(
                    new NamingError.Options(prefix),
                    new PrintStream(OutputStream.nullOutputStream())),
            err());
    assertEquals(1, status);
    assertEquals(
        "error: "
            + prefix
            + ": shape mismatch for variable 'Variable': the checkpoint holds shape [2, 3], the"
            + " graph's variable has shape [3]\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aLessonThatRunsIsStatusZero() {
    assertEquals(0, LessonLauncher.status(ReluQuiz.COMMAND, new String[0], () -> {}, err()));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }
}
