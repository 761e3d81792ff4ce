package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SaveVariables}: the notebook's "Saving Variables" cell. */
@CpuNumerics
class SaveVariablesTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;

  @Test
  void writesTheCheckpointFilesAtThePrefix() throws CheckpointException {
    String prefix = dir.resolve("model.ckpt").toString();
    SaveVariables.Saved saved = SaveVariables.run(new SaveVariables.Options(prefix, null), QUIET);
    assertEquals(prefix, saved.path());
    assertTrue(Files.isRegularFile(Path.of(prefix + ".index")));
    assertTrue(Files.isRegularFile(Path.of(prefix + ".data-00000-of-00001")));
    assertEquals(2, saved.weights().length);
    assertEquals(3, saved.bias().length);
  }

  @Test
  void printsTheNotebooksHeadings() throws CheckpointException {
    String prefix = dir.resolve("model.ckpt").toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SaveVariables.run(
        new SaveVariables.Options(prefix, 1L),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals("Weights:", lines[0]);
    assertTrue(lines[1].startsWith("[["), lines[1]);
    assertEquals("Bias:", lines[3]);
    assertTrue(lines[4].startsWith("[") && lines[4].endsWith("]"), lines[4]);
  }

  @Test
  void theSameSeedDrawsTheSameValues() throws CheckpointException {
    SaveVariables.Saved a =
        SaveVariables.run(new SaveVariables.Options(dir.resolve("a").toString(), 5L), QUIET);
    SaveVariables.Saved b =
        SaveVariables.run(new SaveVariables.Options(dir.resolve("b").toString(), 5L), QUIET);
    org.dnnlessons.testing.Close.assertBitwiseEqual(a.weights(), b.weights(), "weights");
  }
}
