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
   * Writes {@code tensors} under their keys into new files (neither may exist), each fsynced before
   * it is closed.
   *
   * @throws IOException when a file cannot be written
   * @throws IllegalArgumentException for a string tensor
   */
  static void write(String prefix, Map<String, ? extends Tensor> tensors) throws IOException {
    List<String> keys = new ArrayList<>(tensors.keySet());
    keys.sort((a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b)));
    IndexTableWriter table = new IndexTableWriter();
    table.add(
        new byte[0],
        BundleHeaderProto.newBuilder()
            .setNumShards(1)
            .setEndianness(BundleHeaderProto.Endianness.LITTLE)
            .setVersion(VersionDef.newBuilder().setProducer(BUNDLE_VERSION))
            .build()
            .toByteArray());
    Path dataFile = Path.of(prefix + Saver.DATA_SUFFIX);
    DurableFiles.step(DurableFiles.Step.WRITE, dataFile);
    try (FileChannel data =
        FileChannel.open(dataFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long offset = 0;
      for (String key : keys) {
        Tensor t = tensors.get(key);
        if (Dtypes.elementSize(t.dataType()) <= 0) {
          throw new IllegalArgumentException(
              "tensor '" + key + "' holds " + t.dataType() + ": only fixed-size dtypes");
        }
        long size = t.numBytes();
        int crc = append(data, t, COPY_CHUNK);
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.shape().asArray()) {
          shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        table.add(
            utf8(key),
            BundleEntryProto.newBuilder()
                .setDtype(t.dataType())
                .setShape(shape)
                .setOffset(offset)
                .setSize(size)
                .setCrc32C(IndexTable.mask(crc))
                .build()
                .toByteArray());
        offset += size;
      }
      DurableFiles.step(DurableFiles.Step.FSYNC, dataFile);
      data.force(true);
    }
    DurableFiles.write(Path.of(prefix + ".index"), table.finish());
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
