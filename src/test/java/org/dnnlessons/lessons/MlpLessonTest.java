package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.Trainer;
import org.dnnlessons.train.TrainingListener;
import org.dnnlessons.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** {@link MlpLesson}: the walkthrough, run short. */
@CpuNumerics
class MlpLessonTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void lessonSettingsLossFallsEveryFewEpochsAndPrintsTheNotebookLines() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MlpLesson.Trained r =
        MlpLesson.run(
            MlpLesson.Options.lesson()
                .withNetwork(Mlp.Options.lesson().withGraphSeed(1L))
                .withTrainingEpochs(4)
                .withDataSeed(1),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    var epochs = r.epochs();
    assertEquals(4, epochs.size());
    assertTrue(
        epochs.get(3).meanCost() < epochs.get(0).meanCost() * 0.8,
        "cost falls: " + epochs.get(0).meanCost() + " -> " + epochs.get(3).meanCost());
    assertEquals(4 * (7000 / 128), r.steps());
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("Epoch: 0001 cost= "), out);
    assertTrue(out.contains("Optimization Finished!\nTest Accuracy: "), out);
    assertTrue(out.contains("Trained 216 steps in "), out);
  }

  @Test
  void goodSettingsClearChanceByAWideMarginInTwoEpochs() throws Exception {
    MlpLesson.Trained r =
        MlpLesson.run(
            MlpLesson.Options.lesson()
                .withNetwork(
                    Mlp.Options.lesson()
                        .withGraphSeed(2L)
                        .withLearningRate(0.5)
                        .withInitStddev(0.1)
                        .withHidden(List.of(128, 64)))
                .withTrainingEpochs(2)
                .withDataSeed(2),
            QUIET);
    assertTrue(r.testAccuracy() > 0.85, "test accuracy " + r.testAccuracy() + " (chance: 0.1)");
  }

  @Test
  void theNotebooksLoopComputesBitForBitWhatTheLibrarysTrainerComputes() throws Exception {
    MlpLesson.Options options =
        MlpLesson.Options.lesson()
            .withNetwork(Mlp.Options.lesson().withGraphSeed(3L))
            .withTrainingEpochs(3)
            .withDataSeed(3);
    MlpLesson.Trained lesson = MlpLesson.run(options, QUIET);

    MnistDataSets mnist = MlpLesson.readData(options);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options.network());
      try (Session session = net.model().newSession()) {
        session.run(net.init());
        TrainingResult trainer =
            Trainer.train(
                session,
                net,
                mnist.train(),
                mnist.validation(),
                TrainOptions.lesson().withEpochs(3),
                new TrainingListener() {});
        assertEquals(trainer.steps(), lesson.steps());
        for (int e = 0; e < 3; e++) {
          EpochSummary expected = trainer.epochs().get(e);
          EpochSummary actual = lesson.epochs().get(e);
          assertEquals(expected.meanCost(), actual.meanCost(), 0.0, "epoch " + e + " cost");
          assertEquals(
              expected.validationAccuracy(),
              actual.validationAccuracy(),
              0.0,
              "epoch " + e + " validation accuracy");
        }
        assertEquals(Evaluator.accuracy(session, net, mnist.test()), lesson.testAccuracy(), 0.0f);
      }
    }
  }
}
