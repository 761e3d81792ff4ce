package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Argument checks of the layers and of dropout, made before any op is built. */
class LayersAndDropoutTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.5, 1.5, Double.NaN})
  void keepProbOutsideZeroOneIsRejected(double keepProb) {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      Operand<TFloat32> x = tf.constant(new float[] {1, 2});
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Dropout.apply(g, tf, x, keepProb, null));
      assertEquals(
          "keep_prob must be in (0, 1] (the probability of keeping a unit), found " + keepProb,
          e.getMessage());
    }
  }

  @Test
  void keepProbOneKeepsTheTensorButStillConsumesASeed() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph, 1);
      Ops tf = g.tf();
      Operand<TFloat32> x = tf.constant(new float[] {1, 2});
      assertSame(x, Dropout.apply(g, tf, x, 1.0, null));
      assertEquals(new OpSeed(1, 1), g.nextOpSeed(null));
    }
  }

  @Test
  void linearRejectsMismatchedShapes() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.constant(new float[][] {{1, 2, 3}});
      Operand<TFloat32> w = tf.constant(new float[][] {{1, 2}, {3, 4}});
      Operand<TFloat32> b = tf.constant(new float[] {1, 2});
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Layers.linear(tf, x, w, b));
      assertEquals(
          "inputs have 3 features but weights expect 2 (inputs [1, 3], weights [2, 2])",
          e.getMessage());
      Operand<TFloat32> w3 = tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}});
      Operand<TFloat32> b3 = tf.constant(new float[] {1, 2, 3});
      e = assertThrows(IllegalArgumentException.class, () -> Layers.linear(tf, x, w3, b3));
      assertEquals("biases must have shape [2] to match weights [3, 2], found [3]", e.getMessage());
    }
  }
}
