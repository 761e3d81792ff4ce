package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.nn.Mlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainingRun} called from Java, as the notebook and Java programs call it. */
class TrainingRunTest {

  @TempDir Path dir;

  private TrainingRun.Options.Builder small() {
    return TrainingRun.Options.builder(new EmbeddedMnist())
        .network(Mlp.Options.lesson().withHidden(List.of(16)).withLearningRate(0.1))
        .training(TrainOptions.lesson().withEpochs(2))
        .seed(3L);
  }

  @Test
  void runReturnsWhatItPrintedAndWrote() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TrainingRun.Result result =
        TrainingRun.run(
            small().save(dir.resolve("model.ckpt")).build(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(108, result.training().steps());
    assertEquals(2, result.training().epochs().size());
    assertTrue(
        printed.contains(
            String.format(Locale.ROOT, "Test Accuracy: %.4f\n", result.testAccuracy())),
        printed);
    assertEquals(dir.resolve("model.ckpt-108").toString(), result.checkpoint());
    assertTrue(printed.contains("Saved " + result.checkpoint()), printed);
    assertTrue(Files.exists(Path.of(result.checkpoint() + ".index")));
    assertTrue(CheckpointReader.open(dir).contains("hidden_layer/weights"));
    assertTrue(printed.endsWith(result.training().summaryLine() + "\n"), printed);
  }

  @Test
  void optionsThatCannotWorkAreRefusedBeforeAnythingIsRead() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> small().saveEvery(1).build());
    assertEquals("--save-every needs --save", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingRun.prepare(
                    small().training(TrainOptions.lesson().withBatchSize(9000)).build()));
    assertEquals(
        "--batch-size 9000 is larger than the training split (7000 examples)", e.getMessage());
  }
}
