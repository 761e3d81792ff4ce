package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NamingFix}: explicit names restore whatever the creation order. */
@CpuNumerics
class NamingFixTest {

  @TempDir Path dir;

  @Test
  void restoresByNameWhateverTheCreationOrder() throws CheckpointException {
    String prefix = dir.resolve("model.ckpt").toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    NamingFix.Restored r =
        NamingFix.run(
            new NamingFix.Options(prefix), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals("weights_0:0", r.loadWeights());
    assertEquals("bias_0:0", r.loadBias());
    Close.assertBitwiseEqual(r.savedWeights(), r.loadedWeights(), "weights");
    Close.assertBitwiseEqual(r.savedBias(), r.loadedBias(), "bias");
    assertEquals(
        "Save Weights: weights_0:0\nSave Bias: bias_0:0\n"
            + "Load Weights: weights_0:0\nLoad Bias: bias_0:0\n"
            + "Loaded Weights and Bias successfully.\n",
        printed.toString(StandardCharsets.UTF_8));
  }
}
