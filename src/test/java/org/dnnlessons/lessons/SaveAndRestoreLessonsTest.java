package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, load, the naming error and its fix, each through its lesson. */
@CpuNumerics
class SaveAndRestoreLessonsTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;

  @Test
  void loadVariablesRestoresWhatSaveVariablesSavedBitForBit() throws CheckpointException {
    String prefix = dir.resolve("model.ckpt").toString();
    SaveVariables.Result saved = SaveVariables.run(new SaveVariables.Options(prefix, null), QUIET);
    assertEquals(prefix, saved.path());
    assertTrue(Files.isRegularFile(Path.of(prefix + ".index")));
    assertTrue(Files.isRegularFile(Path.of(prefix + ".data-00000-of-00001")));

    LoadVariables.Result loaded = LoadVariables.run(new LoadVariables.Options(prefix), QUIET);
    Close.assertBitwiseEqual(saved.weights(), loaded.weights(), "weights");
    Close.assertBitwiseEqual(saved.bias(), loaded.bias(), "bias");
  }

  @Test
  void lessonsPrintTheNotebooksHeadings() throws CheckpointException {
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
  void loadVariablesWithoutACheckpointNamesTheMissingFile() {
    String prefix = dir.resolve("absent.ckpt").toString();
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> LoadVariables.run(new LoadVariables.Options(prefix), QUIET));
    assertEquals(
        prefix + ": no checkpoint here: expected the file " + prefix + ".index to exist",
        e.getMessage());
  }

  @Test
  void namingErrorFailsWithTheVariableAndBothShapes() {
    String prefix = dir.resolve("model.ckpt").toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () ->
                NamingError.run(
                    new NamingError.Options(prefix),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)));
    assertEquals(
        prefix
            + ": shape mismatch for variable 'Variable': the checkpoint holds shape"
            + " [2, 3], the graph's variable has shape [3]",
        e.getMessage());
    assertEquals(
        "Save Weights: Variable:0\nSave Bias: Variable_1:0\n"
            + "Load Weights: Variable_1:0\nLoad Bias: Variable:0\n",
        printed.toString(StandardCharsets.UTF_8));
  }

  @Test
  void namingFixRestoresByNameWhateverTheCreationOrder() throws CheckpointException {
    String prefix = dir.resolve("model.ckpt").toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    NamingFix.Result r =
        NamingFix.run(
            new NamingFix.Options(prefix), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals("weights_0:0", r.loadWeights());
    assertEquals("bias_0:0", r.loadBias());
    Close.assertBitwiseEqual(r.savedWeights(), r.loadedWeights(), "weights");
    Close.assertBitwiseEqual(r.savedBias(), r.loadedBias(), "bias");
    assertTrue(
        printed
            .toString(StandardCharsets.UTF_8)
            .endsWith("Loaded Weights and Bias successfully.\n"));
  }
}
