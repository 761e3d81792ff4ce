package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.dnnlessons.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Crafted checkpoints of the kinds a fuzzer or an attacker makes: each is refused with one line
 * naming the file, the offset and the reason, in bounded time and memory, by the reader and by the
 * commands that use it.
 */
class HostileCheckpointTest {

  @TempDir Path dir;

  /** Runs the command line; returns {status, stdout, stderr}. */
  static String[] cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new String[] {
      String.valueOf(status),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  /**
   * An 864 KB index whose keys share ever-longer prefixes (each entry shares the whole previous key
   * and adds one byte): fully expanded, its keys would take about 100 GB. Before the bound the
   * reader ran out of memory after 41 s.
   */
  @Test
  void keysSharingEverLongerPrefixesAreRefusedQuickly() throws Exception {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(new byte[] {0, 0, 2, 8, 1}); // "" -> header: num_shards 1
    int entries = 0;
    for (int shared = 0; block.size() < 864_000; shared++, entries++) {
      varint(block, shared);
      varint(block, 1);
      varint(block, 0);
      block.write('a');
    }
    Path prefix = dir.resolve("model.ckpt");
    Files.write(Path.of(prefix + ".index"), table(block.toByteArray()));
    long before = usedHeap();
    long start = System.nanoTime();
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointReader.open(prefix));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(
        e.getMessage().startsWith(prefix + ".index at offset ")
            && e.getMessage().contains("shared prefixes out of proportion"),
        e.getMessage());
    assertTrue(seconds < 10, "took " + seconds + " s for " + entries + " entries");
    assertTrue(usedHeap() - before < 512L << 20, "heap grew by " + (usedHeap() - before));
    String[] run = cli("inspect", prefix.toString());
    assertEquals("1", run[0]);
    assertEquals(1, run[2].strip().lines().count(), run[2]);
    assertTrue(run[2].contains("at offset"), run[2]);
  }

  /**
   * Shape [2^31, 2^31] of float32 needs 2^64 bytes, which wraps to 0: an entry of size 0 must not
   * pass for it, neither when the reader opens nor in evaluate.
   */
  @Test
  void aShapeWhoseByteCountOverflowsIsRefused() throws Exception {
    Path prefix = bundle("hidden_layer/weights", new long[] {1L << 31, 1L << 31}, 0);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointReader.open(prefix));
    assertTrue(
        e.getMessage().startsWith(prefix + ".index at offset ")
            && e.getMessage().contains("more than 2^63 elements or bytes"),
        e.getMessage());
    for (String[] args :
        new String[][] {
          {"inspect", prefix.toString(), "--all", "--json"},
          {"evaluate", "--checkpoint", prefix.toString()}
        }) {
      String[] run = cli(args);
      assertFalse(run[0].equals("0"), String.join(" ", args) + " exited 0: " + run[1]);
      assertEquals("", run[1], "nothing on stdout");
      assertEquals(1, run[2].strip().lines().count(), run[2]);
      assertFalse(run[2].contains("unexpected"), run[2]);
      assertTrue(run[2].contains(prefix + ".index at offset"), run[2]);
    }
  }

  /** An entry whose byte count disagrees with its shape and dtype is corrupt, even if readable. */
  @Test
  void aSizeThatDisagreesWithTheShapeIsRefused() throws Exception {
    Path prefix = bundle("w", new long[] {3, 2}, 0);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointReader.open(prefix));
    assertTrue(e.getMessage().contains("needs 24 bytes, its entry gives 0"), e.getMessage());
  }

  /** evaluate reads the widths from hidden_layer/weights: a rank-1 one is one line, not a crash. */
  @Test
  void aRankOneHiddenLayerIsOneLineInEvaluate() throws Exception {
    Path prefix = bundle("hidden_layer/weights", new long[] {4}, 16);
    String[] run = cli("evaluate", "--checkpoint", prefix.toString());
    assertFalse(run[0].equals("0"), "exited 0");
    assertEquals(1, run[2].strip().lines().count(), run[2]);
    assertTrue(
        run[2].contains("'hidden_layer/weights' has shape [4], expected [inputs, width]"), run[2]);
    assertFalse(run[2].contains("unexpected"), run[2]);
  }

  /** A one-tensor float32 bundle whose entry claims {@code size} bytes at offset 0. */
  private Path bundle(String name, long[] shape, long size) throws Exception {
    Path prefix = dir.resolve("model.ckpt");
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    byte[] data = new byte[(int) size];
    CRC32C crc = new CRC32C();
    crc.update(data);
    IndexTableWriter w = new IndexTableWriter();
    w.add(new byte[0], BundleHeaderProto.newBuilder().setNumShards(1).build().toByteArray());
    w.add(
        name.getBytes(StandardCharsets.UTF_8),
        BundleEntryProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setShape(s)
            .setSize(size)
            .setCrc32C(IndexTable.mask((int) crc.getValue()))
            .build()
            .toByteArray());
    Files.write(Path.of(prefix + ".index"), w.finish());
    Files.write(Path.of(prefix + ".data-00000-of-00001"), data);
    return prefix;
  }

  /** A table of one data block holding {@code entries} (raw, prefix-compressed as given). */
  static byte[] table(byte[] entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] data = withRestarts(entries);
    long[] dataHandle = appendBlock(out, data);
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    ByteArrayOutputStream handle = new ByteArrayOutputStream();
    varint(handle, dataHandle[0]);
    varint(handle, dataHandle[1]);
    varint(index, 0);
    varint(index, 1);
    varint(index, handle.size());
    index.write(0xff);
    index.writeBytes(handle.toByteArray());
    long[] metaHandle = appendBlock(out, withRestarts(new byte[0]));
    long[] indexHandle = appendBlock(out, withRestarts(index.toByteArray()));
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    varint(footer, metaHandle[0]);
    varint(footer, metaHandle[1]);
    varint(footer, indexHandle[0]);
    varint(footer, indexHandle[1]);
    out.writeBytes(java.util.Arrays.copyOf(footer.toByteArray(), 40));
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(IndexTable.MAGIC).array());
    return out.toByteArray();
  }

  private static byte[] withRestarts(byte[] entries) {
    return ByteBuffer.allocate(entries.length + 8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(entries)
        .putInt(0)
        .putInt(1)
        .array();
  }

  private static long[] appendBlock(ByteArrayOutputStream out, byte[] block) {
    long offset = out.size();
    out.writeBytes(block);
    CRC32C crc = new CRC32C();
    crc.update(block);
    crc.update(0);
    out.write(0);
    out.writeBytes(
        ByteBuffer.allocate(4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(IndexTable.mask((int) crc.getValue()))
            .array());
    return new long[] {offset, block.length};
  }

  static void varint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
