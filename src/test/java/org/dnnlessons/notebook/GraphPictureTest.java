package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Mlp;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

/** The network picture shows the model's ops and leaves the bookkeeping out. */
class GraphPictureTest {

  @Test
  void dotShowsTheLayersAndHidesInitSaverAndGradients() {
    try (Graph graph = new Graph()) {
      Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(8)));
      Saver.builder(graph).build();
      String dot = GraphPicture.dot(graph);
      for (String node :
          List.of(
              "\"x\"",
              "\"x_flat\"",
              "\"hidden_layer/weights\"",
              "\"hidden_layer/MatMul\"",
              "\"hidden_layer/Relu\"",
              "\"out/biases\"",
              "\"logits\"",
              "\"cost\"")) {
        assertTrue(dot.contains(node), node + " in\n" + dot);
      }
      // edges start at the variable, not at its read
      assertTrue(dot.contains("\"hidden_layer/weights\" -> \"hidden_layer/MatMul\""), dot);
      for (String hidden :
          List.of(
              "save/", "gradients/", "GradientDescent", "/read\"", "\"init\"", "random_normal")) {
        assertFalse(dot.contains(hidden), hidden + " in\n" + dot);
      }
    }
  }

  @Test
  void graphvizDrawsAPng() throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.build(graph, Mlp.Options.lesson());
      byte[] png = GraphPicture.png(graph);
      assertEquals((byte) 0x89, png[0]);
      assertEquals('P', png[1]);
      assertTrue(png.length > 1000);
    }
  }
}
