package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.dnnlessons.cli.Main;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.format.NumpyPrintOptions;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Tensors larger than a Java array: a 2.4 GB float32 tensor (a sparse file, so the test costs no
 * disk) prints numpy's summary, and {@code --json} streams a tensor's values, both in memory
 * bounded by a few chunks rather than by the tensor.
 */
class BigTensorTest {

  /** What numpy printed for the same values: {@code print(np.memmap(file, np.float32, ...))}. */
  private static final String NUMPY =
      """
      [[ 1.50e+00 -2.25e+00  3.00e+00 ...  0.00e+00  0.00e+00  0.00e+00]
       [      nan  0.00e+00  0.00e+00 ...  0.00e+00  0.00e+00  0.00e+00]
       [ 0.00e+00  0.00e+00  0.00e+00 ...  0.00e+00  0.00e+00  0.00e+00]
       ...
       [ 0.00e+00  0.00e+00  0.00e+00 ...  0.00e+00  0.00e+00  0.00e+00]
       [ 0.00e+00  0.00e+00  0.00e+00 ...  0.00e+00  0.00e+00  0.00e+00]
       [ 0.00e+00  0.00e+00  0.00e+00 ...  8.00e+00  9.00e+00  1.00e-03]]""";

  /** Memory one call may allocate: a few 8 MiB chunks, far below the tensors' sizes. */
  private static final long MAX_ALLOCATED = 48L << 20;

  @TempDir Path dir;

  @Test
  void aTensorOf2Point4GbPrintsNumpysSummaryInBoundedMemory() throws Exception {
    long rows = 600_000;
    long cols = 1000;
    Path prefix = dir.resolve("model.ckpt");
    Path data = Path.of(prefix + ".data-00000-of-00001");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(rows * cols * 4);
      putFloats(f, 0, 1.5f, -2.25f, 3f, 0.1f);
      putFloats(f, cols * 4, Float.NaN);
      putFloats(f, (rows * cols - 4) * 4, 7f, 8f, 9f, 1e-3f);
    }
    index(prefix, "big", new long[] {rows, cols}, data);
    CheckpointReader reader = CheckpointReader.open(prefix);
    long before = allocated();
    String printed = TensorPrinter.format(reader, "big", NumpyPrintOptions.DEFAULT);
    long used = allocated() - before;
    assertEquals(NUMPY, printed);
    assertTrue(used < MAX_ALLOCATED, "allocated " + used + " bytes for a 2.4 GB tensor");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            "inspect",
            prefix.toString(),
            "--tensor",
            "big");
    assertEquals(0, status);
    assertEquals(
        "tensor: big (float32) [600000, 1000]\n"
            + NUMPY
            + "\n# Total number of params: 600000000\n",
        out.toString(StandardCharsets.UTF_8));
  }

  /**
   * What numpy printed after {@code np.set_printoptions(edgeitems=2)} for a float32 array of shape
   * (4200, 4000) holding 0.5, -1.25, 2.0 at [0, :3], 7.0 at [1, 1], 1e-3 at [-2, 0] and 4.0, -8.0,
   * 0.25 at [-1, -3:]: the edges alone choose the format (2.0 and 4.0 are not shown).
   */
  private static final String NUMPY_EDGEITEMS_2 =
      """
      [[ 5.00e-01 -1.25e+00 ...  0.00e+00  0.00e+00]
       [ 0.00e+00  7.00e+00 ...  0.00e+00  0.00e+00]
       ...
       [ 1.00e-03  0.00e+00 ...  0.00e+00  0.00e+00]
       [ 0.00e+00  0.00e+00 ... -8.00e+00  2.50e-01]]""";

  @Test
  void aStreamedTensorPrintsUnderTheOptionsGivenOrIsRefusedWhenTheyWouldPrintItWhole()
      throws Exception {
    long rows = 4200;
    long cols = 4000; // 67.2 MB of float32: over the 64 MiB read whole, so streamed
    Path prefix = dir.resolve("model.ckpt");
    Path data = Path.of(prefix + ".data-00000-of-00001");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(rows * cols * 4);
      putFloats(f, 0, 0.5f, -1.25f, 2f);
      putFloats(f, (cols + 1) * 4, 7f);
      putFloats(f, (rows - 2) * cols * 4, 1e-3f);
      putFloats(f, (rows * cols - 3) * 4, 4f, -8f, 0.25f);
    }
    index(prefix, "w", new long[] {rows, cols}, data);
    CheckpointReader reader = CheckpointReader.open(prefix);
    assertEquals(
        NUMPY_EDGEITEMS_2,
        TensorPrinter.format(reader, "w", new NumpyPrintOptions(NumpyFormat.THRESHOLD, 2)));
    CheckpointException whole =
        assertThrows(
            CheckpointException.class,
            () ->
                TensorPrinter.format(
                    reader, "w", NumpyPrintOptions.DEFAULT.withThreshold(Integer.MAX_VALUE)));
    assertTrue(
        whole.getMessage().contains("would print all its 16800000 elements"), whole.getMessage());
  }

  @Test
  void jsonStreamsALargeTensorsValues() throws Exception {
    int n = 10_000_000; // 40 MB of float32, over the 16 MiB streaming threshold
    Path prefix = dir.resolve("model.ckpt");
    Path data = Path.of(prefix + ".data-00000-of-00001");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(4L * n);
      putFloats(f, 0, 0.5f, Float.POSITIVE_INFINITY);
      putFloats(f, 4L * (n - 1), -1.25f);
    }
    index(prefix, "w", new long[] {n}, data);
    // A JVM with a 64 MiB heap: holding the tensor (40 MB) and its JSON text (over 80 MB of
    // chars) at once would not fit; streamed, only a chunk is held.
    Path json = dir.resolve("out.json");
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    "-Xmx64m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "inspect",
                    prefix.toString(),
                    "--all",
                    "--json"))
            .redirectOutput(json.toFile())
            .redirectErrorStream(false)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertEquals(0, p.waitFor(), "inspect --json under -Xmx64m");
    String head = new String(readRange(json, 0, 120), StandardCharsets.UTF_8);
    long size = Files.size(json);
    String tail = new String(readRange(json, size - 60, 60), StandardCharsets.UTF_8);
    assertTrue(
        head.startsWith(
            "{\"tensors\":[{\"name\":\"w\",\"dtype\":\"float32\",\"shape\":[10000000],"
                + "\"values\":[0.5,\"Infinity\",0.0,0.0,"),
        head);
    assertTrue(tail.endsWith(",0.0,-1.25]}],\"total_params\":10000000}\n"), tail);
    String start =
        "{\"tensors\":[{\"name\":\"w\",\"dtype\":\"float32\",\"shape\":[10000000],\"values\":[";
    String end = "-1.25]}],\"total_params\":10000000}\n";
    assertEquals(start.length() + "0.5,\"Infinity\",".length() + 4L * (n - 3) + end.length(), size);
  }

  private static byte[] readRange(Path file, long at, int n) throws Exception {
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer b = ByteBuffer.allocate(n);
      ch.read(b, at);
      return b.array();
    }
  }

  private static void putFloats(RandomAccessFile f, long at, float... values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    f.seek(at);
    f.write(b.array());
  }

  /** Writes the index of a one-tensor float32 bundle whose values are all of {@code data}. */
  private static void index(Path prefix, String name, long[] shape, Path data) throws Exception {
    CRC32C crc = new CRC32C();
    try (FileChannel ch = FileChannel.open(data)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20);
      while (ch.read(buffer.clear()) > 0) {
        crc.update(buffer.flip());
      }
    }
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    IndexTableWriter w = new IndexTableWriter();
    w.add(new byte[0], BundleHeaderProto.newBuilder().setNumShards(1).build().toByteArray());
    w.add(
        name.getBytes(StandardCharsets.UTF_8),
        BundleEntryProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setShape(s)
            .setSize(Files.size(data))
            .setCrc32C(IndexTable.mask((int) crc.getValue()))
            .build()
            .toByteArray());
    Files.write(Path.of(prefix + ".index"), w.finish());
  }

  private static long allocated() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
