package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walkthrough and the save/load-trained lessons, run short. */
@CpuNumerics
class MlpLessonTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;

  @Test
  void lessonSettingsLossFallsEveryFewEpochsAndPrintsTheNotebookLines() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MlpLesson.Result r =
        MlpLesson.run(
            new MlpLesson.Options(
                Mlp.Options.lesson().withGraphSeed(1L),
                TrainOptions.lesson().withEpochs(4),
                new EmbeddedMnist(),
                1),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    var epochs = r.training().epochs();
    assertEquals(4, epochs.size());
    assertTrue(
        epochs.get(3).meanCost() < epochs.get(0).meanCost() * 0.8,
        "cost falls: " + epochs.get(0).meanCost() + " -> " + epochs.get(3).meanCost());
    assertEquals(4 * (7000 / 128), r.training().steps());
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("Epoch: 0001 cost= "), out);
    assertTrue(out.contains("Optimization Finished!\nTest Accuracy: "), out);
    assertTrue(out.contains("Trained 216 steps in "), out);
  }

  @Test
  void goodSettingsClearChanceByAWideMarginInTwoEpochs() throws Exception {
    MlpLesson.Result r =
        MlpLesson.run(
            new MlpLesson.Options(
                Mlp.Options.lesson()
                    .withGraphSeed(2L)
                    .withLearningRate(0.5)
                    .withInitStddev(0.1)
                    .withHidden(List.of(128, 64)),
                TrainOptions.lesson().withEpochs(2),
                new EmbeddedMnist(),
                2),
            QUIET);
    assertTrue(r.testAccuracy() > 0.85, "test accuracy " + r.testAccuracy() + " (chance: 0.1)");
  }

  @Test
  void saveTrainedThenLoadTrainedMeasuresTheSavedModel() throws Exception {
    String file = dir.resolve("train_model.ckpt").toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SaveTrainedModel.Result saved =
        SaveTrainedModel.run(
            new SaveTrainedModel.Options(file, 11, 3L, new EmbeddedMnist()),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(file, saved.path());
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("Epoch 0   - Validation Accuracy: "), out);
    assertTrue(out.contains("\nEpoch 10  - Validation Accuracy: "), out);
    assertTrue(out.endsWith("Trained Model Saved.\n"), out);
    // 11 epochs of ceil(7000 / 128) = 55 steps
    assertEquals(11 * 55, saved.training().steps());

    LoadTrainedModel.Result loaded =
        LoadTrainedModel.run(
            new LoadTrainedModel.Options(dir.toString(), new EmbeddedMnist()), QUIET);
    assertTrue(loaded.testAccuracy() > 0 && loaded.testAccuracy() <= 1, "" + loaded.testAccuracy());
    LoadTrainedModel.Result again =
        LoadTrainedModel.run(new LoadTrainedModel.Options(file, new EmbeddedMnist()), QUIET);
    assertEquals(loaded.testAccuracy(), again.testAccuracy(), "the directory means its latest");
  }
}
