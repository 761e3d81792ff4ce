package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.Variables;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;

/**
 * {@code --init-from} a checkpoint Python TensorFlow 2.21 trained ({@code
 * make_checkpoint_fixtures.py}, fixture {@code mlp}: hidden 32) into a modified model: the
 * variables that fit start from the checkpoint's values exactly, the others from their usual
 * initializers, and the table says which.
 */
class WarmStartTest {

  static final Path PYTHON_MLP = Path.of("src/test/resources/org/dnnlessons/checkpoint/python/mlp");

  /** What the variables held when training was about to start. */
  private static Map<String, float[]> initialValues(
      TrainingRunOptions options, ByteArrayOutputStream out) throws Exception {
    Map<String, float[]> values = new HashMap<>();
    TrainingRun.prepare(options)
        .run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            new TrainingListener() {
              @Override
              public void trainingStarted(Session session, Mlp.Network net) {
                List<float[]> v = Variables.values(session, net.variables());
                for (int i = 0; i < v.size(); i++) {
                  values.put(net.variables().get(i).name(), v.get(i));
                }
              }
            });
    return values;
  }

  private static TrainingRunOptions extraHiddenLayer() {
    return TrainingRunOptions.of(new EmbeddedMnist())
        .withNetwork(
            Mlp.Options.lesson()
                .withHidden(List.of(32, 16))
                .withLearningRate(0.1)
                .withInitStddev(0.1))
        .withTraining(TrainOptions.lesson().withEpochs(1))
        .withSeed(5L);
  }

  @Test
  void extraHiddenLayerStartsFromThePythonCheckpointWhereItFitsAndAsUsualElsewhere()
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, float[]> warm =
        initialValues(
            extraHiddenLayer().withStart(TrainingRunOptions.Start.initFrom(PYTHON_MLP)), out);
    Map<String, float[]> cold = initialValues(extraHiddenLayer(), new ByteArrayOutputStream());

    CheckpointReader python = CheckpointReader.open(PYTHON_MLP.resolve("model.ckpt"));
    for (String shared : List.of("hidden_layer/weights", "hidden_layer/biases", "out/biases")) {
      assertArrayEquals(python.read(shared).floats(), warm.get(shared), shared);
    }
    // the others: exactly what the same seed gives without warm start
    for (String fresh : List.of("hidden_layer_2/weights", "hidden_layer_2/biases", "out/weights")) {
      assertArrayEquals(cold.get(fresh), warm.get(fresh), fresh);
    }
    assertFalse(java.util.Arrays.equals(cold.get("out/biases"), warm.get("out/biases")));

    String printed = out.toString(StandardCharsets.UTF_8);
    String table =
        String.join(
            "\n",
            "Warm start from " + PYTHON_MLP.resolve("model.ckpt") + ": 3 of 6 variables loaded",
            "  variable                shape     start",
            "  hidden_layer/weights    [784,32]  loaded from hidden_layer/weights",
            "  hidden_layer/biases     [32]      loaded from hidden_layer/biases",
            "  hidden_layer_2/weights  [32,16]   initialized: missing from the checkpoint",
            "  hidden_layer_2/biases   [16]      initialized: missing from the checkpoint",
            "  out/weights             [16,10]   initialized: shape differs (the checkpoint holds"
                + " [32,10])",
            "  out/biases              [10]      loaded from out/biases",
            "  not used from the checkpoint: out/weights",
            "");
    assertTrue(printed.contains(table), printed);
  }

  @Test
  void initMapLoadsAKeyIntoAnotherVariableAndScopesIntoScopes() throws Exception {
    Map<String, long[]> model =
        WarmStart.variableShapes(Mlp.Options.lesson().withHidden(List.of(32, 32)));
    WarmStart plan =
        WarmStart.plan(PYTHON_MLP, model, Map.of("hidden_layer/biases", "hidden_layer_2/biases"));
    List<String> starts = new ArrayList<>();
    for (WarmStart.Entry e : plan.entries()) {
      starts.add(e.variable() + " <- " + (e.loaded() ? e.key() : e.reason()));
    }
    assertEquals(
        List.of(
            "hidden_layer/weights <- hidden_layer/weights",
            "hidden_layer/biases <- hidden_layer/biases",
            "hidden_layer_2/weights <- missing from the checkpoint",
            "hidden_layer_2/biases <- hidden_layer/biases",
            "out/weights <- out/weights",
            "out/biases <- out/biases"),
        starts);
  }

  @Test
  void widthsComeFromTheCheckpoint() throws Exception {
    assertEquals(List.of(32), WarmStart.hiddenWidths(PYTHON_MLP.resolve("model.ckpt"), Map.of()));
    TrainingRun run =
        TrainingRun.prepare(
            TrainingRunOptions.of(new EmbeddedMnist())
                .withStart(
                    TrainingRunOptions.Start.initFrom(PYTHON_MLP).withWidthsFromCheckpoint(true)));
    assertEquals(List.of(32), run.network().hidden());
    assertTrue(run.warmStart().entries().stream().allMatch(WarmStart.Entry::loaded));
  }
}
