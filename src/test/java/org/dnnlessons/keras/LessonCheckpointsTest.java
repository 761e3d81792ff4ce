package org.dnnlessons.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.cli.Main;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The lesson's checkpoints say their model: the Dense layers by name (none hidden included), each
 * hidden layer's activation from the {@code .meta} graph, ReLU (said so) without one.
 */
class LessonCheckpointsTest {

  @TempDir Path dir;

  private Path save(ModelDescription model, String name) throws Exception {
    try (Graph g = new Graph()) {
      Mlp.Network net = Mlp.build(g, Mlp.Options.lesson().withModel(model).withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.runner().addTarget(net.init()).run();
        return Path.of(Saver.builder(g).build().save(s, dir.resolve(name).toString()));
      }
    }
  }

  @Test
  void everyActivationIsReadBackFromTheMetaGraph() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String name : Activation.names()) {
      Activation a = Activation.named(name);
      ModelDescription model = ModelDescription.mlp(List.of(4, 3), a);
      MlpWeights read = MlpWeights.read(save(model, name + ".ckpt"));
      if (!read.model().equals(model)) {
        wrong.add(name + " read as " + read.model().summary());
      }
      assertTrue(read.notes().isEmpty(), read.notes().toString());
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void aCheckpointWithNoHiddenLayerIsTheLessonsSingleLayer() throws Exception {
    Path prefix = save(ModelDescription.lesson(List.of()), "single.ckpt");
    MlpWeights read = MlpWeights.read(prefix);
    assertEquals(List.of(), read.hidden());
    assertEquals(ModelDescription.lesson(List.of()), read.model());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "evaluate",
            "--checkpoint",
            prefix.toString());
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Test Accuracy: "));
  }

  @Test
  void withoutAMetaGraphTheHiddenLayersAreReluAndItIsSaid() throws Exception {
    Path prefix =
        save(ModelDescription.mlp(List.of(5), Activation.of(Activation.Kind.TANH)), "t.ckpt");
    assertEquals(
        Activation.Kind.TANH, MlpWeights.read(prefix).model().dense().get(0).activation().kind());
    Files.delete(Path.of(prefix + ".meta"));
    MlpWeights read = MlpWeights.read(prefix);
    assertEquals(ModelDescription.lesson(List.of(5)), read.model());
    assertEquals(
        List.of(
            prefix
                + ": no .meta graph beside the checkpoint; its hidden layers are read as relu, as"
                + " the lesson's"),
        read.notes());
  }

  @Test
  void preprocessingTheReaderCannotMapIsRefusedNotSkipped() throws Exception {
    Path prefix = save(ModelDescription.lesson(List.of(5)).withInputScale(255), "scaled.ckpt");
    CheckpointException e = assertThrows(CheckpointException.class, () -> MlpWeights.read(prefix));
    assertTrue(
        e.getMessage()
            .contains("the .meta graph computes 'input_scale' (Mul) before hidden_layer's"),
        e.getMessage());
  }

  @Test
  void noBiasIsReadFromTheNames() throws Exception {
    ModelDescription model =
        new ModelDescription(
            1.0,
            List.of(
                new ModelDescription.Dense(
                    "hidden_layer", 6, false, Activation.of(Activation.Kind.SIGMOID)),
                new ModelDescription.Dense("out", 10, true, Activation.LINEAR)));
    MlpWeights read = MlpWeights.read(save(model, "nobias.ckpt"));
    assertEquals(model, read.model());
    assertEquals(
        List.of("hidden_layer/weights", "out/weights", "out/biases"),
        List.copyOf(read.tensors().keySet()).stream()
            .sorted((a, b) -> model.variableNames().indexOf(a) - model.variableNames().indexOf(b))
            .toList());
    assertTrue(Map.copyOf(read.tensors()).size() == 3);
  }
}
