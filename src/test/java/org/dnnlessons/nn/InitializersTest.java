package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.testing.Close;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The initializers and dropout draw exactly the numbers Python TensorFlow 2.21 draws with the same
 * seeds. The expected bits were recorded by {@code src/test/python/seeded_initializers.py}; each
 * test below builds the same ops in the same order as the matching Python function there. Random
 * kernels are deterministic for fixed seeds whatever the thread count, so equality is exact.
 */
class InitializersTest {

  private static final Map<String, float[]> PYTHON = new HashMap<>();

  @BeforeAll
  static void readPythonValues() throws IOException {
    try (var in = InitializersTest.class.getResourceAsStream("seeded_initializers.txt");
        var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] parts = line.trim().split(" ");
        float[] values = new float[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          values[i - 1] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        }
        PYTHON.put(parts[0], values);
      }
    }
  }

  private interface Builder {
    List<Operand<TFloat32>> build(ModelGraph g, Ops tf);
  }

  private static List<float[]> run(Long graphSeed, Builder builder) {
    try (Graph graph = new Graph()) {
      ModelGraph g =
          graphSeed == null ? ModelGraph.create(graph) : ModelGraph.create(graph, graphSeed);
      List<Operand<TFloat32>> outputs = builder.build(g, g.tf());
      try (Session session = g.newSession()) {
        Session.Runner runner = session.runner();
        outputs.forEach(runner::fetch);
        try (Result result = runner.run()) {
          List<float[]> values = new ArrayList<>();
          for (int i = 0; i < outputs.size(); i++) {
            values.add(Tensors.toArray((TFloat32) result.get(i)));
          }
          return values;
        }
      }
    }
  }

  private static void assertMatchesPython(String name, List<float[]> javaValues) {
    for (int i = 0; i < javaValues.size(); i++) {
      float[] expected = PYTHON.get(name + "#" + i);
      assertNotNull(expected, "no Python values recorded for " + name + "#" + i);
      Close.assertBitwiseEqual(expected, javaValues.get(i), name + "#" + i);
    }
  }

  @Test
  void graphSeedOnlyMatchesPythonBitForBit() {
    assertMatchesPython(
        "graph_seed_only",
        run(
            1L,
            (g, tf) ->
                List.of(
                    Initializers.truncatedNormal(g, tf, Shape.of(2, 3)),
                    Initializers.truncatedNormal(g, tf, Shape.of(3)),
                    Initializers.randomNormal(g, tf, Shape.of(4, 2)))));
  }

  @Test
  void opSeedOnlyMatchesPythonBitForBit() {
    assertMatchesPython(
        "op_seed_only",
        run(
            null,
            (g, tf) ->
                List.of(
                    Initializers.randomNormal(g, tf, Shape.of(3, 3), 0.0f, 1.0f, 2L),
                    Initializers.truncatedNormal(g, tf, Shape.of(5), 1.0f, 0.5f, 7L))));
  }

  @Test
  void bothSeedsMatchPythonBitForBit() {
    assertMatchesPython(
        "both_seeds",
        run(
            1L,
            (g, tf) ->
                List.of(
                    Initializers.randomNormal(g, tf, Shape.of(2, 2), 0.0f, 1.0f, 2L),
                    Initializers.randomNormal(g, tf, Shape.of(3), -2.0f, 3.0f, null))));
  }

  @Test
  void dropoutMasksMatchPythonBitForBit() {
    assertMatchesPython(
        "dropout_masks",
        run(
            42L,
            (g, tf) -> {
              Operand<TFloat32> x = tf.fill(tf.constant(new int[] {4, 5}), tf.constant(1.0f));
              Operand<TFloat32> keepProb =
                  tf.placeholderWithDefault(tf.constant(0.5f), Shape.scalar());
              return List.of(
                  Dropout.apply(g, tf, x, keepProb, null), Dropout.apply(g, tf, x, 0.25, 3L));
            }));
  }

  @Test
  void truncatedNormalStaysWithinTwoStandardDeviations() {
    float[] values =
        run(
                5L,
                (g, tf) ->
                    List.of(Initializers.truncatedNormal(g, tf, Shape.of(1000), 3.0f, 0.5f, null)))
            .get(0);
    for (float v : values) {
      assertTrue(v >= 3.0f - 2 * 0.5f && v <= 3.0f + 2 * 0.5f, "value " + v + " beyond 2 stddev");
    }
  }

  @Test
  void zerosAreZeros() {
    float[] values = run(null, (g, tf) -> List.of(Initializers.zeros(tf, Shape.of(2, 3)))).get(0);
    assertEquals(6, values.length);
    for (float v : values) {
      assertEquals(0.0f, v);
    }
  }

  @Test
  void rejectsUnknownShapes() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Initializers.randomNormal(g, g.tf(), Shape.of(-1, 3)));
      assertTrue(e.getMessage().contains("fully known"), e.getMessage());
    }
  }
}
