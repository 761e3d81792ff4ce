package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;

/**
 * {@link Saver#restore}'s pure-Java path (tensors read straight into TensorFlow memory, then
 * assigned) against TensorFlow's {@code RestoreV2}, which it falls back to when a string variable
 * is present: both give back every dtype bit for bit; and a corrupt data file assigns nothing.
 */
class FedRestoreTest {

  @TempDir Path dir;

  /** Every fixed-size dtype, a scalar and an empty tensor, as initial values. */
  private static List<Operand<?>> values(Ops tf) {
    return List.of(
        tf.constant(new float[][] {{0.1f, -2.5f}, {Float.NaN, Float.MIN_VALUE}}),
        tf.constant(new double[] {1.0 / 3, -1e-300}),
        tf.constant(
            TFloat16.class, Shape.of(3), TFloat16.vectorOf(0.5f, -2f, 1000f).asRawTensor().data()),
        tf.constant(
            TBfloat16.class, Shape.of(2), TBfloat16.vectorOf(1.5f, -3f).asRawTensor().data()),
        tf.constant(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}),
        tf.constant(new long[] {Long.MIN_VALUE, 42}),
        tf.constant(new byte[] {0, (byte) 200, (byte) 255}),
        tf.constant(new boolean[] {true, false, true}),
        tf.constant(3.5f),
        tf.constant(Shape.of(0, 2), DataBuffers.of(new float[0])));
  }

  /** Zeros (false, empty strings) of the same dtypes and shapes. */
  private static List<Operand<?>> zeros(Ops tf) {
    List<Operand<?>> out = new ArrayList<>();
    for (Operand<?> v : values(tf)) {
      out.add(tf.zerosLike(v));
    }
    return out;
  }

  /**
   * Builds variables v00, v01, ... from {@code init} (plus a string variable when asked), a Saver,
   * and a session; returns each variable's raw bytes after {@code action}.
   */
  private List<byte[]> withVariables(
      Function<Ops, List<Operand<?>>> init, boolean withString, SessionAction action)
      throws Exception {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      List<NamedVariable<?>> vars = new ArrayList<>();
      List<Operand<?>> initial = init.apply(tf);
      for (int i = 0; i < initial.size(); i++) {
        vars.add(variable(g, tf, String.format("v%02d", i), initial.get(i)));
      }
      if (withString) {
        vars.add(g.variable(tf, "words", tf.constant(NdArrays.vectorOfObjects("a", "", "héllo"))));
      }
      Saver saver = Saver.builder(graph).maxToKeep(5).build();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        action.run(saver, s);
        List<byte[]> bytes = new ArrayList<>();
        for (NamedVariable<?> v : vars) {
          try (Result r = s.runner().fetch(v).run()) {
            Tensor t = r.get(0);
            byte[] b = new byte[(int) t.numBytes()];
            t.asRawTensor().data().read(b);
            bytes.add(b);
          }
        }
        return bytes;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static NamedVariable<?> variable(ModelGraph g, Ops tf, String name, Operand<?> init) {
    return g.variable(tf, name, (Operand) init);
  }

  private interface SessionAction {
    void run(Saver saver, Session session) throws Exception;
  }

  @Test
  void bothRestorePathsGiveBackEveryDtypeBitForBit() throws Exception {
    for (boolean withString : new boolean[] {false, true}) {
      String prefix = dir.resolve("all" + withString + ".ckpt").toString();
      List<byte[]> saved =
          withVariables(FedRestoreTest::values, withString, (sv, s) -> sv.save(s, prefix));
      List<byte[]> restored =
          withVariables(FedRestoreTest::zeros, withString, (sv, s) -> sv.restore(s, prefix));
      // the string variable's raw bytes are pointers: compare the fixed-size ones
      for (int i = 0; i < values(Ops.create(new Graph())).size(); i++) {
        assertArrayEquals(
            saved.get(i),
            restored.get(i),
            "variable v" + i + (withString ? " (RestoreV2 path)" : " (Java path)"));
      }
    }
  }

  /**
   * An int8 variable (a dtype TensorFlow Java has no class for, as in graphs imported from Python)
   * with {@code values}; returns its value read back as int32 after {@code action}.
   */
  private static int[] withInt8Variable(int[] values, SessionAction action) throws Exception {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var variable =
          graph
              .opBuilder("VariableV2", "small", tf.scope())
              .setAttr("dtype", org.tensorflow.proto.DataType.DT_INT8)
              .setAttr("shape", Shape.of(values.length))
              .build()
              .output(0);
      var int8 =
          graph
              .opBuilder("Cast", "to_int8", tf.scope())
              .addInput(tf.constant(values).asOutput())
              .setAttr("DstT", org.tensorflow.proto.DataType.DT_INT8)
              .build()
              .output(0);
      var init =
          graph
              .opBuilder("Assign", "small/Assign", tf.scope())
              .addInput(variable)
              .addInput(int8)
              .build();
      var back =
          graph
              .opBuilder("Cast", "to_int32", tf.scope())
              .addInput(variable)
              .setAttr("DstT", org.tensorflow.proto.DataType.DT_INT32)
              .build()
              .output(0);
      Saver saver = Saver.builder(graph).build();
      try (Session s = new Session(graph)) {
        s.runner().addTarget(init).run().close();
        action.run(saver, s);
        try (Result r = s.runner().fetch(back).run()) {
          var t = (org.tensorflow.types.TInt32) r.get(0);
          int[] out = new int[values.length];
          for (int i = 0; i < out.length; i++) {
            out[i] = t.getInt(i);
          }
          return out;
        }
      }
    }
  }

  @Test
  void aDtypeWithoutAJavaClassRestoresThroughRestoreV2() throws Exception {
    String prefix = dir.resolve("int8.ckpt").toString();
    withInt8Variable(new int[] {-128, 5, 127}, (sv, s) -> sv.save(s, prefix));
    assertArrayEquals(
        new int[] {-128, 5, 127},
        withInt8Variable(new int[] {0, 0, 0}, (sv, s) -> sv.restore(s, prefix)));
  }

  @Test
  void aCorruptDataFileAssignsNothing() throws Exception {
    String prefix = dir.resolve("model.ckpt").toString();
    withVariables(FedRestoreTest::values, false, (sv, s) -> sv.save(s, prefix));
    Path data = Path.of(prefix + BundleWriter.dataSuffix(0, 1));
    CheckpointReader reader = CheckpointReader.open(Path.of(prefix));
    // the last variable in key order whose bytes are not empty: v08, the scalar
    try (FileChannel ch =
        FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      long at = ch.size() - 1;
      ch.read(one, at);
      one.flip();
      one.put(0, (byte) (one.get(0) ^ 0x10));
      ch.write(one, at);
    }
    List<byte[]> before = withVariables(FedRestoreTest::zeros, false, (sv, s) -> {});
    List<String> messages = new ArrayList<>();
    List<byte[]> after =
        withVariables(
            FedRestoreTest::zeros,
            false,
            (sv, s) ->
                messages.add(
                    assertThrows(CheckpointException.class, () -> sv.restore(s, prefix))
                        .getMessage()));
    assertTrue(
        messages.get(0).startsWith(data + " at offset ")
            && messages.get(0).contains("checksum mismatch in tensor 'v08'"),
        messages.get(0));
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "v" + i + " changed by a failed restore");
    }
    assertEquals(10, reader.tensors().size());
  }

  @Test
  void readIntoRefusesATargetOfTheWrongSizeAndStrings() throws Exception {
    String prefix = dir.resolve("model.ckpt").toString();
    withVariables(FedRestoreTest::values, true, (sv, s) -> sv.save(s, prefix));
    CheckpointReader reader = CheckpointReader.open(Path.of(prefix));
    CheckpointException size =
        assertThrows(
            CheckpointException.class, () -> reader.readInto("v01", ByteBuffer.allocate(15)));
    assertTrue(
        size.getMessage().contains("needs 16 bytes, the target holds 15"), size.getMessage());
    CheckpointException strings =
        assertThrows(
            CheckpointException.class, () -> reader.readInto("words", ByteBuffer.allocate(8)));
    assertTrue(strings.getMessage().contains("holds strings"), strings.getMessage());
    ByteBuffer direct = ByteBuffer.allocateDirect(16);
    reader.readInto("v01", direct);
    assertEquals(16, direct.position());
    direct.flip();
    assertEquals(1.0 / 3, direct.order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble(0));
  }
}
