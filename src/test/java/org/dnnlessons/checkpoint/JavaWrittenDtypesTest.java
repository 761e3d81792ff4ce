package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TUint16;

/**
 * The reader against TensorFlow's own SaveV2 kernel, run from Java, for every dtype TensorFlow Java
 * has (int8 and int16, which it lacks, come from the Python fixtures), scalars and empty tensors
 * included.
 */
class JavaWrittenDtypesTest {

  @TempDir Path dir;

  @Test
  void everyDtypeSavedByTensorFlowReadsBackExactly() throws Exception {
    String prefix = dir.resolve("all.ckpt").toString();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<String> names = new ArrayList<>();
      List<Operand<?>> tensors = new ArrayList<>();
      names.add("f32");
      tensors.add(tf.constant(new float[][] {{0.1f, -2.5f}, {Float.NaN, Float.MIN_VALUE}}));
      names.add("f64");
      tensors.add(tf.constant(new double[] {1.0 / 3, -1e-300}));
      names.add("f16");
      tensors.add(
          tf.constant(
              TFloat16.class,
              Shape.of(3),
              TFloat16.vectorOf(0.5f, -2f, 1000f).asRawTensor().data()));
      names.add("bf16");
      tensors.add(
          tf.constant(
              TBfloat16.class, Shape.of(2), TBfloat16.vectorOf(1.5f, -3f).asRawTensor().data()));
      names.add("i32");
      tensors.add(tf.constant(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}));
      names.add("i64");
      tensors.add(tf.constant(new long[] {Long.MIN_VALUE, 42}));
      names.add("u8");
      tensors.add(tf.constant(new byte[] {0, (byte) 200, (byte) 255}));
      names.add("u16");
      tensors.add(
          tf.constant(
              TUint16.class,
              Shape.of(2),
              TUint16.vectorOf((short) 1, (short) -1).asRawTensor().data()));
      names.add("bool");
      tensors.add(tf.constant(new boolean[] {true, false}));
      names.add("string");
      tensors.add(tf.constant(NdArrays.vectorOfObjects("a", "", "héllo")));
      names.add("scalar");
      tensors.add(tf.constant(3.5f));
      names.add("empty");
      tensors.add(
          tf.constant(Shape.of(0, 2), org.tensorflow.ndarray.buffer.DataBuffers.of(new float[0])));
      String[] slices = new String[names.size()];
      java.util.Arrays.fill(slices, "");
      var save =
          tf.train.save(
              tf.constant(prefix),
              tf.constant(NdArrays.vectorOfObjects(names.toArray(new String[0]))),
              tf.constant(NdArrays.vectorOfObjects(slices)),
              tensors);
      try (Session s = new Session(graph)) {
        s.run(save);
      }
    }
    CheckpointReader r = CheckpointReader.open(Path.of(prefix));
    float[] f32 = r.read("f32").floats();
    assertEquals(0.1f, f32[0]);
    assertEquals(true, Float.isNaN(f32[2]));
    assertEquals(Float.MIN_VALUE, f32[3]);
    assertArrayEquals(new long[] {2, 2}, r.info("f32").shape());
    assertArrayEquals(new double[] {1.0 / 3, -1e-300}, r.read("f64").doubles());
    assertArrayEquals(new float[] {0.5f, -2f, 1000f}, r.read("f16").halfFloats());
    assertArrayEquals(new float[] {1.5f, -3f}, r.read("bf16").halfFloats());
    assertArrayEquals(new long[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, r.read("i32").longs());
    assertArrayEquals(new long[] {Long.MIN_VALUE, 42}, r.read("i64").longs());
    assertArrayEquals(new long[] {0, 200, 255}, r.read("u8").longs());
    assertArrayEquals(new long[] {1, 65535}, r.read("u16").longs());
    assertArrayEquals(new boolean[] {true, false}, r.read("bool").booleans());
    List<byte[]> strings = r.read("string").strings();
    assertEquals("héllo", new String(strings.get(2), StandardCharsets.UTF_8));
    assertEquals(0, strings.get(1).length);
    assertArrayEquals(new long[0], r.info("scalar").shape());
    assertEquals(3.5f, r.read("scalar").floats()[0]);
    assertArrayEquals(new long[] {0, 2}, r.info("empty").shape());
    assertEquals(0, r.read("empty").floats().length);
  }
}
