package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NamingError}: the notebook's "Naming Error" cell fails as the notebook's does. */
@CpuNumerics
class NamingErrorTest {

  @TempDir Path dir;

  @Test
  void failsWithTheVariableAndBothShapes() {
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
}
