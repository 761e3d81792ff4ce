package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;

/** The documented names and shapes of the multilayer perceptron's graph. */
class MlpTest {

  @Test
  void everyDocumentedNameIsInTheGraph() {
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(32, 16, 8)).withDropout(true));
      for (String name :
          List.of(
              "x",
              "y",
              "keep_prob",
              "x_flat",
              "logits",
              "probabilities",
              "cost",
              "accuracy",
              "train_op",
              "init",
              "hidden_layer/weights",
              "hidden_layer/biases",
              "hidden_layer_2/weights",
              "hidden_layer_2/biases",
              "hidden_layer_3/weights",
              "hidden_layer_3/biases",
              "out/weights",
              "out/biases")) {
        assertNotNull(graph.operation(name), name);
      }
      assertEquals("PlaceholderWithDefault", graph.operation("keep_prob").type());
      assertEquals(
          List.of(-1L, 28L, 28L, 1L),
          java.util.Arrays.stream(net.x().shape().asArray()).boxed().toList());
      assertEquals(
          List.of(-1L, 10L),
          java.util.Arrays.stream(net.logits().shape().asArray()).boxed().toList());
      assertEquals(
          List.of(
              "hidden_layer/weights",
              "hidden_layer_2/weights",
              "hidden_layer_3/weights",
              "out/weights",
              "hidden_layer/biases",
              "hidden_layer_2/biases",
              "hidden_layer_3/biases",
              "out/biases"),
          net.variables().stream().map(NamedVariable::name).toList());
      assertEquals(Shape.of(784, 32), net.variables().get(0).shape());
      assertEquals(Shape.of(8, 10), net.variables().get(3).shape());
    }
  }

  @Test
  void optionsAreValidatedWithClearMessages() {
    Mlp.Options lesson = Mlp.Options.lesson();
    assertEquals(
        "hidden layer widths must be positive, found 0 in [256, 0]",
        assertThrows(IllegalArgumentException.class, () -> lesson.withHidden(List.of(256, 0)))
            .getMessage());
    assertEquals(
        "--hidden needs at least one layer width",
        assertThrows(IllegalArgumentException.class, () -> lesson.withHidden(List.of()))
            .getMessage());
    assertEquals(
        "learning rate must be a positive number, found -0.1",
        assertThrows(IllegalArgumentException.class, () -> lesson.withLearningRate(-0.1))
            .getMessage());
  }
}
