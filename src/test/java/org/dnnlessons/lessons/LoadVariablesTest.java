package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LoadVariables}: the notebook's "Loading Variables" cell. */
@CpuNumerics
class LoadVariablesTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;

  @Test
  void restoresWhatSaveVariablesSavedBitForBit() throws CheckpointException {
    String prefix = dir.resolve("model.ckpt").toString();
    SaveVariables.Saved saved = SaveVariables.run(new SaveVariables.Options(prefix, null), QUIET);
    LoadVariables.Restored loaded = LoadVariables.run(new LoadVariables.Options(prefix), QUIET);
    Close.assertBitwiseEqual(saved.weights(), loaded.weights(), "weights");
    Close.assertBitwiseEqual(saved.bias(), loaded.bias(), "bias");
  }

  @Test
  void withoutACheckpointNamesTheMissingFile() {
    String prefix = dir.resolve("absent.ckpt").toString();
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> LoadVariables.run(new LoadVariables.Options(prefix), QUIET));
    assertEquals(
        prefix + ": no checkpoint here: expected the file " + prefix + ".index to exist",
        e.getMessage());
  }
}
