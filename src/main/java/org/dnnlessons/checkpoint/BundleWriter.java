package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * Writes a one-shard tensor bundle ({@code prefix.data-00000-of-00001} and {@code prefix.index})
 * from tensors in memory: what TensorFlow's {@code SaveV2} writes, in pure Java. Each tensor's
 * bytes go from its own memory ({@link TensorMemory}) to the data file (through a heap buffer, a
 * chunk at a time, for a tensor over 2 GiB), their CRC32C computed on the way; the index holds the
 * bundle header (one shard, little-endian, version 1) and a {@code BundleEntryProto} per tensor,
 * sorted by key as the table requires.
 *
 * <p>Only fixed-size dtypes: string tensors are TensorFlow's to write.
 */
final class BundleWriter {

  /** TensorFlow's {@code kTensorBundleVersion}. */
  private static final int BUNDLE_VERSION = 1;

  private BundleWriter() {}

  /**
   * Writes {@code tensors} under their keys into new files (none may exist), one data shard, each
   * fsynced before it is closed.
   *
   * @throws IOException when a file cannot be written
   * @throws IllegalArgumentException for a string tensor
   */
  static void write(String prefix, Map<String, ? extends Tensor> tensors) throws IOException {
    write(prefix, tensors, 1);
  }

  /**
   * As {@link #write(String, Map)}, spreading the tensors over {@code numShards} data files ({@code
   * prefix.data-00000-of-0000N} ...; each tensor whole in one, the largest first into the emptiest,
   * so the shards hold about equal bytes). TensorFlow's and Python's readers read any number of
   * shards.
   */
  static void write(String prefix, Map<String, ? extends Tensor> tensors, int numShards)
      throws IOException {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, found " + numShards);
    }
    List<String> keys = new ArrayList<>(tensors.keySet());
    keys.sort((a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b)));
    for (String key : keys) {
      Tensor t = tensors.get(key);
      if (Dtypes.elementSize(t.dataType()) <= 0) {
        throw new IllegalArgumentException(
            "tensor '" + key + "' holds " + t.dataType() + ": only fixed-size dtypes");
      }
    }
    int[] shardOf = assignShards(keys, tensors, numShards);
    IndexTableWriter table = new IndexTableWriter();
    table.add(
        new byte[0],
        BundleHeaderProto.newBuilder()
            .setNumShards(numShards)
            .setEndianness(BundleHeaderProto.Endianness.LITTLE)
            .setVersion(VersionDef.newBuilder().setProducer(BUNDLE_VERSION))
            .build()
            .toByteArray());
    BundleEntryProto[] entries = new BundleEntryProto[keys.size()];
    for (int shard = 0; shard < numShards; shard++) {
      writeShard(prefix, shard, numShards, keys, tensors, shardOf, entries);
    }
    for (int i = 0; i < keys.size(); i++) {
      table.add(utf8(keys.get(i)), entries[i].toByteArray());
    }
    DurableFiles.write(Path.of(prefix + ".index"), table.finish());
  }

  /**
   * Writes data shard {@code shard}: the tensors {@code shardOf} puts there, in key order, each
   * with its CRC32C computed on the way; fills in their {@code entries}.
   */
  private static void writeShard(
      String prefix,
      int shard,
      int numShards,
      List<String> keys,
      Map<String, ? extends Tensor> tensors,
      int[] shardOf,
      BundleEntryProto[] entries)
      throws IOException {
    Path dataFile = Path.of(prefix + dataSuffix(shard, numShards));
    DurableFiles.step(DurableFiles.Step.WRITE, dataFile);
    try (FileChannel data =
        FileChannel.open(dataFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long offset = 0;
      for (int i = 0; i < keys.size(); i++) {
        if (shardOf[i] != shard) {
          continue;
        }
        Tensor t = tensors.get(keys.get(i));
        long size = t.numBytes();
        int crc = append(data, t, COPY_CHUNK);
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.shape().asArray()) {
          shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        entries[i] =
            BundleEntryProto.newBuilder()
                .setDtype(t.dataType())
                .setShape(shape)
                .setShardId(shard)
                .setOffset(offset)
                .setSize(size)
                .setCrc32C(IndexTable.mask(crc))
                .build();
        offset += size;
      }
      DurableFiles.step(DurableFiles.Step.FSYNC, dataFile);
      data.force(true);
    }
  }

  /**
   * {@code numShards} when it is a valid shard count.
   *
   * @throws IllegalArgumentException for fewer than 1 shard
   */
  static int checkShards(int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("sharded needs 1 shard or more, found " + numShards);
    }
    return numShards;
  }

  /** The suffix of data shard {@code shard} of {@code numShards}: {@code .data-00000-of-00001}. */
  static String dataSuffix(int shard, int numShards) {
    return String.format(Locale.ROOT, ".data-%05d-of-%05d", shard, numShards);
  }

  /** Largest tensor first, each into the shard holding the fewest bytes so far (ties: lowest). */
  private static int[] assignShards(
      List<String> keys, Map<String, ? extends Tensor> tensors, int numShards) {
    int[] shardOf = new int[keys.size()];
    long[] bytes = new long[numShards];
    Integer[] order = new Integer[keys.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) ->
            Long.compare(tensors.get(keys.get(y)).numBytes(), tensors.get(keys.get(x)).numBytes()));
    for (int i : order) {
      int best = 0;
      for (int s = 1; s < numShards; s++) {
        if (bytes[s] < bytes[best]) {
          best = s;
        }
      }
      shardOf[i] = best;
      bytes[best] += tensors.get(keys.get(i)).numBytes();
    }
    return shardOf;
  }

  /** Bytes copied at a time when a tensor's memory cannot be seen as a buffer (over 2 GiB). */
  static final int COPY_CHUNK = 1 << 26;

  /**
   * Appends the tensor's bytes to {@code out}, straight from its memory when that can be seen as a
   * buffer, else through {@link #appendCopied}.
   *
   * @return the CRC32C of the bytes
   */
  static int append(FileChannel out, Tensor t, int chunk) throws IOException {
    ByteBuffer memory = TensorMemory.of(t);
    if (memory == null) {
      return appendCopied(out, t, chunk);
    }
    CRC32C crc = new CRC32C();
    crc.update(memory.duplicate());
    writeFully(out, memory);
    return (int) crc.getValue();
  }

  /**
   * Appends the tensor's bytes through a heap buffer of {@code chunk} bytes at a time: for tensors
   * whose memory no buffer can span (over 2 GiB).
   *
   * @return the CRC32C of the bytes
   */
  static int appendCopied(FileChannel out, Tensor t, int chunk) throws IOException {
    CRC32C crc = new CRC32C();
    ByteDataBuffer raw = t.asRawTensor().data();
    long n = t.numBytes();
    byte[] copy = new byte[(int) Math.min(n, chunk)];
    for (long position = 0; position < n; position += copy.length) {
      int length = (int) Math.min(copy.length, n - position);
      raw.slice(position, length).read(copy, 0, length);
      crc.update(copy, 0, length);
      writeFully(out, ByteBuffer.wrap(copy, 0, length));
    }
    return (int) crc.getValue();
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
