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
import org.dnnlessons.testing.CpuNumerics;
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
 * The initializers and dropout draw the numbers Python TensorFlow 2.21 draws with the same seeds.
 * The expected bits were recorded on one machine by {@code src/test/python/seeded_initializers.py};
 * {@link SeededCases} builds the same ops in the same order. The random kernels turn Philox bits
 * into normals with {@code log}, {@code sqrt}, {@code sin} and {@code cos} from the C library,
 * whose last bit may differ between machines (FMA or not, the glibc version), so these frozen
 * values are compared within {@link #LIBM_ULPS} float32 units in the last place; {@code
 * SeededInitializersIT} compares with the script run on this machine bit for bit.
 */
@CpuNumerics
class InitializersTest {

  /** How far a frozen random value may move on another machine, in float32 ulps. */
  static final int LIBM_ULPS = 4;

  private static final Map<String, float[]> PYTHON = new HashMap<>();

  @BeforeAll
  static void readPythonValues() throws IOException {
    try (var in = InitializersTest.class.getResourceAsStream("seeded_initializers.txt");
        var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      PYTHON.putAll(SeededCases.parse(r));
    }
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

  private interface Builder {
    List<Operand<TFloat32>> build(ModelGraph g, Ops tf);
  }

  private static void assertMatchesPython(String name) {
    List<float[]> javaValues = SeededCases.run(name);
    for (int i = 0; i < javaValues.size(); i++) {
      float[] expected = PYTHON.get(name + "#" + i);
      assertNotNull(expected, "no Python values recorded for " + name + "#" + i);
      Close.assertWithinUlps(expected, javaValues.get(i), LIBM_ULPS, name + "#" + i);
    }
  }

  @Test
  void graphSeedOnlyMatchesPython() {
    assertMatchesPython("graph_seed_only");
  }

  @Test
  void opSeedOnlyMatchesPython() {
    assertMatchesPython("op_seed_only");
  }

  @Test
  void bothSeedsMatchPython() {
    assertMatchesPython("both_seeds");
  }

  @Test
  void dropoutMasksMatchPython() {
    assertMatchesPython("dropout_masks");
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
