package org.dnnlessons.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.commons.io.FileUtils;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.cli.Main;
import org.dnnlessons.keras.MlpWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * The serving graph of the product's own {@code train --export DIR} read as layers, and the same
 * graph with its ops changed: a changed activation is named, an op no layer computes is refused,
 * never passed over (the Keras forms of the same rules are checked in {@code KerasZooIT}).
 */
class ServingGraphTest {

  @TempDir static Path dir;

  private static Path exported;

  @BeforeAll
  static void trainAndExport() {
    exported = dir.resolve("model");
    int status =
        Main.execute(
            new PrintStream(OutputStream.nullOutputStream()),
            System.err,
            "train",
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--seed",
            "3",
            "--export",
            exported.toString());
    assertEquals(0, status);
  }

  @Test
  void theProductsOwnExportIsReshapeDenseReluDense() throws Exception {
    ServingGraph g = read(exported);
    assertEquals("Reshape, Dense, relu, Dense", g.describe());
    assertEquals("x", g.inputKey());
    assertEquals("logits", g.outputKey());
    assertEquals(java.util.List.of(8), MlpWeights.read(exported).hidden());
  }

  @Test
  void anotherActivationIsNamedAndRefusedAsTheLessonsMlp() throws Exception {
    Path tanh = rewrite("tanh", n -> n.getName().equals("hidden_layer/Relu") ? op(n, "Tanh") : n);
    assertEquals("Reshape, Dense, tanh, Dense", read(tanh).describe());
    CheckpointException e = assertThrows(CheckpointException.class, () -> MlpWeights.read(tanh));
    assertTrue(e.getMessage().contains("computes Reshape, Dense, tanh, Dense"), e.getMessage());
  }

  @Test
  void anOpNoLayerComputesIsRefusedNotSkipped() throws Exception {
    Path erfc = rewrite("erfc", n -> n.getName().equals("hidden_layer/Relu") ? op(n, "Erfc") : n);
    CheckpointException e = assertThrows(CheckpointException.class, () -> read(erfc));
    assertTrue(
        e.getMessage().contains("Erfc (at 'hidden_layer/Relu')")
            && e.getMessage().contains("refused rather than skipped"),
        e.getMessage());
    assertThrows(CheckpointException.class, () -> MlpWeights.read(erfc));
  }

  @Test
  void aHiddenLayerWithoutActivationIsNotTakenForRelu() throws Exception {
    Path linear =
        rewrite(
            "linear",
            n ->
                n.getName().equals("out/MatMul")
                    ? n.toBuilder().setInput(0, "hidden_layer/Add").build()
                    : n);
    assertEquals("Reshape, Dense, Dense", read(linear).describe());
    CheckpointException e = assertThrows(CheckpointException.class, () -> MlpWeights.read(linear));
    assertTrue(e.getMessage().contains("computes Reshape, Dense, Dense;"), e.getMessage());
  }

  private static NodeDef op(NodeDef n, String op) {
    return n.toBuilder().setOp(op).build();
  }

  private static ServingGraph read(Path model) throws Exception {
    Path pb = model.resolve("saved_model.pb");
    SavedModel sm = SavedModel.parseFrom(Files.readAllBytes(pb));
    return ServingGraph.read(pb, sm.getMetaGraphs(0), "serving_default");
  }

  /** A copy of the export whose graph has each node passed through {@code change}. */
  private static Path rewrite(String name, UnaryOperator<NodeDef> change) throws Exception {
    Path copy = dir.resolve(name);
    FileUtils.copyDirectory(exported.toFile(), copy.toFile());
    Path pb = copy.resolve("saved_model.pb");
    SavedModel sm = SavedModel.parseFrom(Files.readAllBytes(pb));
    MetaGraphDef meta = sm.getMetaGraphs(0);
    GraphDef.Builder graph = meta.getGraphDef().toBuilder().clearNode();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      graph.addNode(change.apply(n));
    }
    Files.write(
        pb,
        sm.toBuilder().setMetaGraphs(0, meta.toBuilder().setGraphDef(graph)).build().toByteArray());
    return copy;
  }
}
