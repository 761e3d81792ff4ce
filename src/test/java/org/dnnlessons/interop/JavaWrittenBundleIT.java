package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;

/**
 * The checkpoint files Java's Saver writes itself (every variable of a fixed-size dtype) read by
 * Python TensorFlow's own reader: every dtype, shape and byte as Java holds it, in one data file or
 * spread over three ({@code Saver.Builder.sharded}).
 */
class JavaWrittenBundleIT {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} data shards")
  @ValueSource(ints = {1, 3})
  void pythonReadsEveryDtypeJavaWroteBitForBit(int shards) throws Exception {
    String prefix = dir.resolve("dtypes.ckpt").toString();
    Map<String, String> expected = new LinkedHashMap<>();
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      Map<String, Operand<?>> values = new LinkedHashMap<>();
      values.put("f32", tf.constant(new float[][] {{0.1f, -2.5f}, {Float.NaN, Float.MIN_VALUE}}));
      values.put("f64", tf.constant(new double[] {1.0 / 3, -1e-300}));
      values.put(
          "f16",
          tf.constant(
              TFloat16.class, Shape.of(2), TFloat16.vectorOf(0.5f, 1000f).asRawTensor().data()));
      values.put(
          "bf16",
          tf.constant(
              TBfloat16.class, Shape.of(2), TBfloat16.vectorOf(1.5f, -3f).asRawTensor().data()));
      values.put("i32", tf.constant(new int[] {Integer.MIN_VALUE, 7}));
      values.put("i64", tf.constant(new long[] {Long.MIN_VALUE, 42}));
      values.put("u8", tf.constant(new byte[] {0, (byte) 200}));
      values.put("flags", tf.constant(new boolean[] {true, false}));
      values.put("scalar", tf.constant(3.5f));
      values.put("empty", tf.constant(Shape.of(0, 2), DataBuffers.of(new float[0])));
      Map<String, NamedVariable<?>> vars = new LinkedHashMap<>();
      values.forEach((name, v) -> vars.put(name, variable(g, tf, name, v)));
      Saver saver = Saver.builder(graph).writeMetaGraph(false).sharded(shards).build();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        saver.save(s, prefix);
        for (var e : vars.entrySet()) {
          try (Result r = s.runner().fetch(e.getValue()).run()) {
            Tensor t = r.get(0);
            byte[] b = new byte[(int) t.numBytes()];
            t.asRawTensor().data().read(b);
            expected.put(e.getKey(), b.length == 0 ? "-" : HexFormat.of().formatHex(b));
          }
        }
      }
    }
    try (var files = java.nio.file.Files.list(dir)) {
      assertEquals(
          shards,
          files.filter(f -> f.getFileName().toString().contains(".data-")).count(),
          "data files");
    }
    Map<String, String> python = PythonTensorFlow.run("interop_read_bundle.py", prefix);
    assertEquals(
        new java.util.TreeSet<>(expected.keySet()),
        new java.util.TreeSet<>(python.keySet()),
        "the tensors Python finds");
    Map<String, String> dtypes =
        Map.of(
            "f32",
            "float32",
            "f64",
            "float64",
            "f16",
            "float16",
            "bf16",
            "bfloat16",
            "i32",
            "int32",
            "i64",
            "int64",
            "u8",
            "uint8",
            "flags",
            "bool",
            "scalar",
            "float32",
            "empty",
            "float32");
    Map<String, String> shapes = Map.of("f32", "2x2", "scalar", "scalar", "empty", "0x2");
    for (String name : expected.keySet()) {
      List<String> fields = List.of(python.get(name).split(" "));
      assertEquals(dtypes.get(name), fields.get(0), name + " dtype");
      assertEquals(shapes.getOrDefault(name, "2"), fields.get(1), name + " shape");
      assertEquals(expected.get(name), fields.get(2), name + " bytes");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static NamedVariable<?> variable(ModelGraph g, Ops tf, String name, Operand<?> init) {
    return g.variable(tf, name, (Operand) init);
  }
}
