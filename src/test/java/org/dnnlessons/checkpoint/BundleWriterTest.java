package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * The pure-Java bundle writer against TensorFlow's own reader ({@code RestoreV2}, run here) and
 * this project's: every fixed-size dtype, a scalar, an empty tensor, and keys whose UTF-8 order
 * differs from Java's string order.
 */
class BundleWriterTest {

  @TempDir Path dir;

  private static Map<String, Tensor> tensors() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put(
        "f32",
        TFloat32.tensorOf(
            NdArrays.ofFloats(Shape.of(2, 2))
                .set(NdArrays.vectorOf(0.1f, -2.5f), 0)
                .set(NdArrays.vectorOf(Float.NaN, Float.MIN_VALUE), 1)));
    t.put("f64", TFloat64.vectorOf(1.0 / 3, -1e-300));
    t.put("f16", TFloat16.vectorOf(0.5f, -2f, 1000f));
    t.put("bf16", TBfloat16.vectorOf(1.5f, -3f));
    t.put("i32", TInt32.vectorOf(Integer.MIN_VALUE, 7, Integer.MAX_VALUE));
    t.put("i64", TInt64.vectorOf(Long.MIN_VALUE, 42));
    t.put("u8", TUint8.vectorOf((byte) 0, (byte) 200, (byte) 255));
    t.put("bool", TBool.vectorOf(true, false, true));
    t.put("scalar", TFloat32.scalarOf(3.5f));
    t.put("empty", TFloat32.tensorOf(Shape.of(0, 2), DataBuffers.of(new float[0])));
    // U+FFFD sorts after U+1F600 in Java's UTF-16 order, before it in UTF-8 byte order
    t.put("k\uFFFD", TInt32.scalarOf(1));
    t.put("k\uD83D\uDE00", TInt32.scalarOf(2));
    return t;
  }

  private static byte[] bytes(Tensor t) {
    byte[] b = new byte[(int) t.numBytes()];
    t.asRawTensor().data().read(b);
    return b;
  }

  @Test
  void tensorFlowsOwnReaderRestoresEveryTensorBitForBit() throws Exception {
    Map<String, Tensor> written = tensors();
    String prefix = dir.resolve("java.ckpt").toString();
    try {
      BundleWriter.write(prefix, written);
      List<String> names = new ArrayList<>(written.keySet());
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        String[] slices = new String[names.size()];
        java.util.Arrays.fill(slices, "");
        List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
        for (String n : names) {
          types.add(
              org.tensorflow.internal.types.registry.TensorTypeRegistry.find(
                      written.get(n).dataType())
                  .type());
        }
        var restore =
            tf.train.restore(
                tf.constant(prefix),
                tf.constant(NdArrays.vectorOfObjects(names.toArray(new String[0]))),
                tf.constant(NdArrays.vectorOfObjects(slices)),
                types);
        try (Session s = new Session(g)) {
          Session.Runner r = s.runner();
          restore.tensors().forEach(r::fetch);
          try (Result result = r.run()) {
            for (int i = 0; i < names.size(); i++) {
              Tensor original = written.get(names.get(i));
              Tensor back = result.get(i);
              assertEquals(original.dataType(), back.dataType(), names.get(i));
              assertEquals(original.shape(), back.shape(), names.get(i));
              assertArrayEquals(bytes(original), bytes(back), names.get(i));
            }
          }
        }
      }
      CheckpointReader reader = CheckpointReader.open(Path.of(prefix));
      assertEquals(written.size(), reader.tensors().size());
      assertArrayEquals(new double[] {1.0 / 3, -1e-300}, reader.read("f64").doubles());
      assertEquals(2, reader.read("k\uD83D\uDE00").longs()[0]);
      assertEquals(DataType.DT_BOOL, reader.info("bool").dtype());
    } finally {
      written.values().forEach(Tensor::close);
    }
  }

  @Test
  void theIndexIsSortedByUtf8Bytes() throws Exception {
    Map<String, Tensor> written = tensors();
    String prefix = dir.resolve("order.ckpt").toString();
    try {
      BundleWriter.write(prefix, written);
    } finally {
      written.values().forEach(Tensor::close);
    }
    List<String> keys =
        new ArrayList<>(
            IndexTable.parse(
                    Path.of(prefix + ".index"), Files.readAllBytes(Path.of(prefix + ".index")))
                .stream()
                .map(e -> new String(e.key(), StandardCharsets.UTF_8))
                .toList());
    assertEquals("", keys.get(0), "the bundle header comes first");
    for (int i = 2; i < keys.size(); i++) {
      byte[] a = keys.get(i - 1).getBytes(StandardCharsets.UTF_8);
      byte[] b = keys.get(i).getBytes(StandardCharsets.UTF_8);
      assertEquals(
          true, java.util.Arrays.compareUnsigned(a, b) < 0, keys.get(i - 1) + " < " + keys.get(i));
    }
  }

  @Test
  void stringTensorsAreRefusedAndTableKeysMustIncrease() {
    try (var words = org.tensorflow.types.TString.vectorOf("a", "b")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> BundleWriter.write(dir.resolve("s.ckpt").toString(), Map.of("w", words)));
    }
    IndexTableWriter table = new IndexTableWriter();
    table.add(new byte[] {'b'}, new byte[0]);
    assertThrows(IllegalArgumentException.class, () -> table.add(new byte[] {'a'}, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> table.add(new byte[] {'b'}, new byte[0]));
  }

  @Test
  void copyingInChunksWritesTheSameBytesAndChecksumAsTheDirectPath() throws Exception {
    try (TInt64 t = TInt64.vectorOf(1, -2, Long.MAX_VALUE, 4, 5)) {
      Path direct = dir.resolve("direct.bin");
      Path copied = dir.resolve("copied.bin");
      int crcDirect;
      int crcCopied;
      try (var out =
          java.nio.channels.FileChannel.open(
              direct,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE)) {
        crcDirect = BundleWriter.append(out, t, BundleWriter.COPY_CHUNK);
      }
      try (var out =
          java.nio.channels.FileChannel.open(
              copied,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE)) {
        crcCopied = BundleWriter.appendCopied(out, t, 7); // 40 bytes in chunks of 7
      }
      assertArrayEquals(bytes(t), Files.readAllBytes(direct));
      assertArrayEquals(bytes(t), Files.readAllBytes(copied));
      java.util.zip.CRC32C expected = new java.util.zip.CRC32C();
      expected.update(bytes(t));
      assertEquals((int) expected.getValue(), crcDirect);
      assertEquals((int) expected.getValue(), crcCopied);
    }
  }

  @Test
  void anEmptyTableParses() throws Exception {
    byte[] table = new IndexTableWriter().finish();
    assertEquals(0, IndexTable.parse(dir.resolve("empty.index"), table).size());
  }
}
