package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.Trainer;
import org.dnnlessons.train.TrainingListener;
import org.dnnlessons.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** {@link SaveTrainedModel}: the notebook's "Save a Trained Model" cell, run short. */
@CpuNumerics
class SaveTrainedModelTest {

  @TempDir Path dir;

  @Test
  void printsEveryTenthEpochThenSaves() throws Exception {
    String file = dir.resolve("train_model.ckpt").toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SaveTrainedModel.Saved saved =
        SaveTrainedModel.run(
            SaveTrainedModel.Options.defaults().withFile(file).withEpochs(11).withSeed(3L),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(file, saved.path());
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("Epoch 0   - Validation Accuracy: "), out);
    assertTrue(out.contains("\nEpoch 10  - Validation Accuracy: "), out);
    assertTrue(out.endsWith("Trained Model Saved.\n"), out);
    // 11 epochs of ceil(7000 / 128) = 55 steps
    assertEquals(11 * 55, saved.steps());
  }

  @Test
  void theNotebooksLoopComputesBitForBitWhatTheLibrarysTrainerComputes() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SaveTrainedModel.run(
        SaveTrainedModel.Options.defaults()
            .withFile(dir.resolve("a").toString())
            .withEpochs(11)
            .withSeed(4L),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<String> lesson = printed.toString(StandardCharsets.UTF_8).lines().toList();

    MnistDataSets mnist =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withSeed(4L));
    try (Graph graph = new Graph()) {
      SingleLayerModel model = SingleLayerModel.build(graph, 4L);
      try (Session session = model.model().newSession()) {
        session.run(model.model().globalVariablesInitializer());
        TrainingResult trainer =
            Trainer.train(
                session,
                model,
                mnist.train(),
                mnist.validation(),
                TrainOptions.lesson()
                    .withEpochs(11)
                    .withRoundUpBatches(true)
                    .withValidateEvery(SaveTrainedModel.VALIDATE_EVERY),
                new TrainingListener() {});
        for (int epoch : new int[] {0, 10}) {
          String expected =
              String.format(
                  Locale.ROOT,
                  "Epoch %-3d - Validation Accuracy: %s",
                  epoch,
                  MlpLesson.formatAccuracy(
                      (float) trainer.epochs().get(epoch).validationAccuracy()));
          assertEquals(expected, lesson.get(epoch / 10));
        }
      }
    }
  }
}
