package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.testing.Close;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A variable Python partitioned, or saved in a V1 file, restores whole into a Java variable of the
 * full shape, as Python's {@code saver.restore} assembles it.
 */
class PartitionedRestoreTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "partitioned, p2_axis0_float32, 8, 5",
    "partitioned, p3_axis1_float32, 3, 7",
    "partitioned, plain, 2, 3",
    "v1, layer/parts, 10, 2",
    "v1, f32, 3, 4"
  })
  void restoresAsPythonReadsIt(String fixture, String name, int rows, int cols) throws Exception {
    Map<String, PythonFixtures.Expected> expected = PythonFixtures.expected(fixture);
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<TFloat32> v =
          g.variable(tf, name.replace('/', '_'), tf.constant(new float[rows][cols]));
      Saver saver = Saver.builder(graph).variables(Map.of(name, v)).build();
      try (Session s = g.newSession()) {
        saver.restore(s, PythonFixtures.ROOT.resolve(fixture).resolve("model.ckpt").toString());
        float[] want = new float[rows * cols];
        ByteBuffer.wrap(expected.get(name).data())
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(want);
        try (Result r = s.runner().fetch(v).run()) {
          Close.assertBitwiseEqual(want, Tensors.toArray((TFloat32) r.get(0)), name);
        }
      }
    }
  }
}
