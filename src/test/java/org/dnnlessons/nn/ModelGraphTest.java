package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

/** Variables are laid out and named as Python's {@code tf.Variable} lays them out. */
class ModelGraphTest {

  @Test
  void variablesInANameScopeGetPythonStyleOpNames() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops hidden = g.tf().withSubScope("hidden_layer");
      NamedVariable<?> w =
          g.variable(hidden, "weights", Initializers.zeros(hidden, Shape.of(4, 3)));
      NamedVariable<?> b = g.variable(hidden, "biases", Initializers.zeros(hidden, Shape.of(3)));

      assertEquals("hidden_layer/weights", w.name());
      assertEquals("hidden_layer/weights:0", w.tensorName());
      assertEquals("VariableV2", graph.operation("hidden_layer/weights").type());
      assertEquals("Assign", graph.operation("hidden_layer/weights/Assign").type());
      assertEquals("Identity", graph.operation("hidden_layer/weights/read").type());
      assertEquals("hidden_layer/biases", b.name());
      assertEquals(Shape.of(4, 3), w.shape());
    }
  }

  @Test
  void automaticAndRepeatedNamesAreNumberedLikePython() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<?> first = g.variable(tf, tf.constant(1.0f));
      NamedVariable<?> second = g.variable(tf, tf.constant(2.0f));
      NamedVariable<?> w = g.variable(tf, "w", tf.constant(3.0f));
      NamedVariable<?> w1 = g.variable(tf, "w", tf.constant(4.0f));
      assertEquals(
          List.of("Variable", "Variable_1", "w", "w_1"),
          List.of(first.name(), second.name(), w.name(), w1.name()));
      assertEquals(4, g.variables().size());
    }
  }

  @Test
  void initializerIsNamedInitAndRefusesLaterVariables() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      g.variable(tf, tf.constant(1.0f));
      g.globalVariablesInitializer();
      assertNotNull(graph.operation("init"));
      g.variable(tf, tf.constant(2.0f));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, g::globalVariablesInitializer);
      assertTrue(
          e.getMessage().contains("built for 1 variables, but the graph now has 2"),
          e.getMessage());
    }
  }

  @Test
  void variableNeedsAFullyKnownInitialShape() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      var unknown =
          tf.placeholder(
              org.tensorflow.types.TFloat32.class,
              org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, 3)));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> g.variable(tf, "v", unknown));
      assertTrue(
          e.getMessage().startsWith("Variable 'v' needs an initial value with a fully known shape"),
          e.getMessage());
    }
  }
}
