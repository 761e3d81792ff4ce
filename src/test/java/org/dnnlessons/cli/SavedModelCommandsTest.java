package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.savedmodel.SavedModelRunner;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The product's own {@code train --export DIR} SavedModel works in {@code evaluate}, {@code
 * predict} and {@code inspect}: its serving signature, run by {@link SavedModelRunner}, gives the
 * restored checkpoint's logits bit for bit (same graph, same runtime, same machine), so the same
 * accuracy and prediction; the input and output assumptions are printed.
 */
@CpuNumerics
class SavedModelCommandsTest {

  @TempDir static Path dir;

  private static Path exported;
  private static Path checkpoint;

  @BeforeAll
  static void trainSaveAndExport() {
    exported = dir.resolve("model");
    checkpoint = dir.resolve("ckpt");
    CliRun train =
        CliRun.of(
            "train",
            "--hidden",
            "16",
            "--epochs",
            "1",
            "--learning-rate",
            "0.1",
            "--init-stddev",
            "0.1",
            "--seed",
            "5",
            "--save",
            checkpoint.resolve("model.ckpt").toString(),
            "--export",
            exported.toString());
    assertEquals(0, train.status(), train.err());
  }

  @Test
  void evaluatePrintsTheCheckpointsAccuracyAndSaysWhatItFeeds() {
    CliRun saved = CliRun.of("evaluate", "--checkpoint", exported.toString());
    CliRun restored = CliRun.of("evaluate", "--checkpoint", checkpoint.toString());
    assertEquals(0, saved.status(), saved.err());
    assertEquals(restored.out(), saved.out());
    assertTrue(saved.out().startsWith("Test Accuracy: 0."), saved.out());
    assertTrue(
        saved
            .err()
            .contains("note: input: pixels/255 in [0, 1], the lesson's read_data_sets scale"),
        saved.err());
    assertTrue(saved.err().contains("note: output 'logits': logits"), saved.err());
  }

  @Test
  void theRunnersLogitsAreTheRestoredNetworksBitForBit() throws Exception {
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    int[] first = new int[50];
    Arrays.setAll(first, i -> i);
    float[] expected;
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withHidden(java.util.List.of(16)));
      try (Session s = net.model().newSession()) {
        Saver.builder(graph).build().restore(s, CheckpointState.resolve(checkpoint).toString());
        try (Batch b = test.toBatch(first);
            Result r = s.runner().feed(net.x(), b.images()).fetch(net.logits()).run()) {
          expected = Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
    try (SavedModelRunner runner = SavedModelRunner.open(exported, test.imageSize())) {
      assertEquals(SavedModelRunner.OutputKind.LOGITS, runner.outputKind());
      assertEquals(1.0, runner.defaultInputScale());
      assertArrayEquals(new long[] {-1, 28, 28, 1}, runner.inputShape());
      float[][] got = runner.classify(SavedModelRunner.pixels(test, first), first.length, 1);
      float[] flat = new float[expected.length];
      for (int i = 0; i < got.length; i++) {
        System.arraycopy(got[i], 0, flat, i * 10, 10);
      }
      assertArrayEquals(expected, flat);
    }
  }

  @Test
  void predictSaysItShowsASoftmaxOfTheLogits() {
    CliRun saved = CliRun.of("predict", "--checkpoint", exported.toString(), "--index", "3");
    CliRun restored = CliRun.of("predict", "--checkpoint", checkpoint.toString(), "--index", "3");
    assertEquals(0, saved.status(), saved.err());
    assertTrue(saved.out().contains("Probabilities: softmax of the model's logits"), saved.out());
    assertEquals(
        restored.out(),
        saved.out().replace("Probabilities: softmax of the model's logits\n", ""),
        "the same digit, prediction and bars as the checkpoint's");
  }

  @Test
  void inspectListsTheSavedModelsVariables() {
    CliRun run = CliRun.of("inspect", exported.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("hidden_layer/weights (DT_FLOAT) [784,16]\n"), run.out());
    assertTrue(run.out().contains("out/biases (DT_FLOAT) [10]\n"), run.out());
  }

  @Test
  void optionsThatDoNotApplyAreRefused() {
    CliRun hidden = CliRun.of("evaluate", "--checkpoint", exported.toString(), "--hidden", "16");
    assertEquals(Main.EXIT_USAGE, hidden.status());
    assertTrue(hidden.err().contains("--hidden does not apply to a SavedModel"), hidden.err());
    CliRun config =
        CliRun.of("evaluate", "--checkpoint", exported.toString(), "--config", exported.toString());
    assertEquals(Main.EXIT_USAGE, config.status());
    assertTrue(config.err().contains("--config does not apply to a SavedModel"), config.err());
  }

  @Test
  void aCorruptSavedModelIsOneLine(@TempDir Path bad) throws Exception {
    java.nio.file.Files.write(bad.resolve("saved_model.pb"), new byte[] {(byte) 0xff, 1, 2, 3});
    for (String command : new String[] {"evaluate", "predict"}) {
      CliRun run =
          command.equals("evaluate")
              ? CliRun.of(command, "--checkpoint", bad.toString())
              : CliRun.of(command, "--checkpoint", bad.toString(), "--index", "0");
      assertEquals(Main.EXIT_FAILURE, run.status(), run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertTrue(run.err().contains("not a SavedModel"), run.err());
    }
    CliRun inspect = CliRun.of("inspect", bad.toString());
    assertEquals(Main.EXIT_FAILURE, inspect.status(), inspect.err());
    assertEquals(1, inspect.err().strip().lines().count(), inspect.err());
  }
}
