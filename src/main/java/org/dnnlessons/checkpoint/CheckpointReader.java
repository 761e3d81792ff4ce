package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.tensorflow.proto.DataType;

/**
 * Reads TensorFlow checkpoints (the V2 tensor bundle that {@code tf.train.Saver}, {@code
 * tf.train.Checkpoint} and TensorFlow Java write) in pure Java: no native TensorFlow is loaded, so
 * it starts in milliseconds and works where the native library is unavailable.
 *
 * <pre>{@code
 * CheckpointReader reader = CheckpointReader.open(Path.of("run/model.ckpt-540"));
 * for (TensorInfo t : reader.tensors()) System.out.println(t);   // hidden_layer/biases (DT_FLOAT) [256]
 * float[] w = reader.read("hidden_layer/weights").floats();
 * }</pre>
 *
 * <p>The {@code .index} table is parsed when the reader opens ({@link IndexTable}); tensors are
 * read from the {@code .data-NNNNN-of-NNNNN} shards on demand, each checked against the masked
 * CRC32C its entry records. Supported dtypes: float32, float64, float16, bfloat16, int8, int16,
 * int32, int64, uint8, uint16, uint32, uint64, bool and string. Partitioned (sliced) tensors are
 * reported, not read.
 *
 * <p>Every problem (a missing file, a corrupt table, an entry pointing outside its shard, a
 * checksum mismatch) is a {@link CheckpointException} with the file, the byte offset and the
 * reason. Sizes are checked against the files before anything is allocated.
 */
public final class CheckpointReader {

  /** Index files larger than this are refused (real ones are kilobytes to a few megabytes). */
  static final long MAX_INDEX_BYTES = 1L << 30;

  private final Path prefix;
  private final int numShards;
  private final Map<String, BundleEntry> entries;

  private CheckpointReader(Path prefix, int numShards, Map<String, BundleEntry> entries) {
    this.prefix = prefix;
    this.numShards = numShards;
    this.entries = entries;
  }

  /**
   * Opens the checkpoint whose files start with {@code prefix} ({@code prefix.index}, {@code
   * prefix.data-...}); a directory means its latest checkpoint.
   */
  public static CheckpointReader open(Path prefixOrDir) throws CheckpointException {
    Path prefix = CheckpointState.resolve(prefixOrDir);
    Path index = Path.of(prefix + ".index");
    byte[] bytes;
    try {
      long size = Files.size(index);
      if (size > MAX_INDEX_BYTES) {
        throw new CheckpointException(
            index,
            CheckpointException.NO_OFFSET,
            "index file is "
                + size
                + " bytes, more than the "
                + MAX_INDEX_BYTES
                + " this reader accepts");
      }
      bytes = Files.readAllBytes(index);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(index, CheckpointException.NO_OFFSET, "no such file");
    } catch (IOException e) {
      throw new CheckpointException(
          index, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
    Map<String, byte[]> table = IndexTable.parse(index, bytes);
    byte[] headerBytes = table.get("");
    if (headerBytes == null) {
      throw new CheckpointException(
          index,
          CheckpointException.NO_OFFSET,
          "no bundle header (the entry with the empty key): not a tensor bundle");
    }
    BundleEntry.Header header = BundleEntry.parseHeader(index, headerBytes);
    if (header.numShards() < 1 || header.numShards() > 100_000) {
      throw new CheckpointException(
          index,
          CheckpointException.NO_OFFSET,
          "bundle header gives " + header.numShards() + " shards, expected 1 to 100000");
    }
    if (header.endianness() != 0) {
      throw new CheckpointException(
          index, CheckpointException.NO_OFFSET, "big-endian bundles are not supported");
    }
    Map<String, BundleEntry> entries = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : table.entrySet()) {
      if (e.getKey().isEmpty()) {
        continue;
      }
      entries.put(e.getKey(), BundleEntry.parse(index, e.getKey(), e.getValue()));
    }
    return new CheckpointReader(prefix, header.numShards(), entries);
  }

  /** The checkpoint prefix. */
  public Path prefix() {
    return prefix;
  }

  /** Every tensor, sorted by name, as {@code tf.train.list_variables} lists them. */
  public List<TensorInfo> tensors() throws CheckpointException {
    List<TensorInfo> out = new ArrayList<>();
    for (Map.Entry<String, BundleEntry> e : entries.entrySet()) {
      out.add(info(e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableList(out);
  }

  /** True when the checkpoint holds {@code name}. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /**
   * The entry of {@code name}.
   *
   * @throws CheckpointException naming the closest keys when it is missing
   */
  public TensorInfo info(String name) throws CheckpointException {
    BundleEntry entry = entries.get(name);
    if (entry == null) {
      throw new CheckpointException(
          prefix, CheckpointException.NO_OFFSET, "no tensor named '" + name + "'" + closest(name));
    }
    return info(name, entry);
  }

  /** The sum of every tensor's element count, as Python's inspect_checkpoint totals it. */
  public long totalParameters() throws CheckpointException {
    long total = 0;
    for (TensorInfo t : tensors()) {
      total += t.numElements();
    }
    return total;
  }

  /** Reads one tensor's values, verifying its checksum. */
  public CheckpointTensor read(String name) throws CheckpointException {
    TensorInfo info = info(name);
    BundleEntry entry = entries.get(name);
    Path shard = locate(name, info, entry);
    byte[] bytes = readRange(shard, entry.offset(), entry.size(), name);
    CRC32C crc = new CRC32C();
    long n = info.numElements();
    int elementSize = Dtypes.elementSize(info.dtype());
    if (elementSize > 0) {
      if (n * elementSize != bytes.length) {
        throw wrongSize(shard, entry, info, n * elementSize, "its entry gives " + bytes.length);
      }
      crc.update(bytes, 0, bytes.length);
      checkCrc(shard, entry, name, (int) crc.getValue());
      return new CheckpointTensor(info, bytes, List.of());
    }
    return new CheckpointTensor(info, new byte[0], strings(shard, entry, name, bytes, n));
  }

  /**
   * Reads the bytes of a fixed-size tensor (every dtype but string) straight into {@code target},
   * from its position to its limit, and verifies their checksum: the bundle holds a tensor's
   * elements as they lie in memory (little-endian, row-major), so {@code target} may be the memory
   * of a TensorFlow tensor of the saved dtype and shape. On return {@code target}'s position is at
   * its limit; after an exception its contents are undefined.
   *
   * @throws CheckpointException when the tensor is missing, a string, partitioned, not {@code
   *     target.remaining()} bytes long, unreadable, or fails its checksum
   */
  public void readInto(String name, ByteBuffer target) throws CheckpointException {
    TensorInfo info = info(name);
    BundleEntry entry = entries.get(name);
    Path shard = locate(name, info, entry);
    int elementSize = Dtypes.elementSize(info.dtype());
    if (elementSize <= 0) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '" + name + "' holds strings; read it with read(name)");
    }
    long expected = info.numElements() * elementSize;
    if (entry.size() != expected || target.remaining() != expected) {
      throw wrongSize(
          shard,
          entry,
          info,
          expected,
          "its entry gives " + entry.size() + " and the target holds " + target.remaining());
    }
    int start = target.position();
    readRange(shard, entry.offset(), entry.size(), name, size -> target);
    CRC32C crc = new CRC32C();
    crc.update(target.duplicate().position(start));
    checkCrc(shard, entry, name, (int) crc.getValue());
  }

  /**
   * Checks that {@code name} can be read (not partitioned, a supported dtype, a shard that exists
   * in the bundle) and returns its shard's path.
   */
  private Path locate(String name, TensorInfo info, BundleEntry entry) throws CheckpointException {
    if (entry.slices() > 0) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '" + name + "' is partitioned into " + entry.slices() + " slices; not supported");
    }
    if (!Dtypes.supported(info.dtype())) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '"
              + name
              + "' has dtype "
              + info.dtype()
              + ", which this reader does not decode");
    }
    if (entry.shardId() < 0 || entry.shardId() >= numShards) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '"
              + name
              + "' is in shard "
              + entry.shardId()
              + " of a "
              + numShards
              + "-shard bundle");
    }
    return Path.of(
        String.format(Locale.ROOT, "%s.data-%05d-of-%05d", prefix, entry.shardId(), numShards));
  }

  /** DT_STRING: varint64 lengths, their masked CRC32C, then the bytes of every string. */
  private List<byte[]> strings(Path shard, BundleEntry entry, String name, byte[] bytes, long n)
      throws CheckpointException {
    if (n > bytes.length) {
      throw new CheckpointException(
          shard,
          entry.offset(),
          "string tensor '"
              + name
              + "' has "
              + n
              + " elements, more than its "
              + bytes.length
              + " bytes can hold");
    }
    CRC32C crc = new CRC32C();
    long[] lengths = new long[(int) n];
    int pos = 0;
    ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      long v = 0;
      int shift = 0;
      while (true) {
        if (pos >= bytes.length || shift > 63) {
          throw new CheckpointException(
              shard,
              entry.offset() + pos,
              "truncated length of string " + i + " in tensor '" + name + "'");
        }
        int b = bytes[pos++] & 0xFF;
        v |= (long) (b & 0x7F) << shift;
        shift += 7;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      lengths[i] = v;
      le.clear();
      if (v >= 0 && v <= 0xFFFFFFFFL) {
        le.putInt((int) v);
        crc.update(le.array(), 0, 4);
      } else {
        le.putLong(v);
        crc.update(le.array(), 0, 8);
      }
    }
    if (pos + 4 > bytes.length) {
      throw new CheckpointException(
          shard,
          entry.offset() + pos,
          "string tensor '" + name + "' ends before its length checksum");
    }
    int stored = ByteBuffer.wrap(bytes, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != IndexTable.mask((int) crc.getValue())) {
      throw new CheckpointException(
          shard, entry.offset() + pos, "string lengths checksum mismatch in tensor '" + name + "'");
    }
    crc.update(bytes, pos, 4);
    pos += 4;
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (lengths[i] < 0 || lengths[i] > bytes.length - pos) {
        throw new CheckpointException(
            shard,
            entry.offset() + pos,
            "string "
                + i
                + " of tensor '"
                + name
                + "' claims "
                + lengths[i]
                + " bytes, "
                + (bytes.length - pos)
                + " remain");
      }
      byte[] s = java.util.Arrays.copyOfRange(bytes, pos, pos + (int) lengths[i]);
      crc.update(s, 0, s.length);
      pos += s.length;
      out.add(s);
    }
    checkCrc(shard, entry, name, (int) crc.getValue());
    return List.copyOf(out);
  }

  private static void checkCrc(Path shard, BundleEntry entry, String name, int crc)
      throws CheckpointException {
    int expected = entry.crc32c();
    int actual = IndexTable.mask(crc);
    if (expected != actual) {
      throw new CheckpointException(
          shard,
          entry.offset(),
          String.format(
              Locale.ROOT,
              "checksum mismatch in tensor '%s': stored 0x%08x, computed 0x%08x",
              name,
              expected,
              actual));
    }
  }

  private static CheckpointException wrongSize(
      Path shard, BundleEntry entry, TensorInfo info, long needed, String found) {
    return new CheckpointException(
        shard,
        entry.offset(),
        "tensor '"
            + info.name()
            + "' of shape "
            + info.compactShape()
            + " needs "
            + needed
            + " bytes, "
            + found);
  }

  private static void checkRange(Path shard, long fileSize, long offset, long size, String name)
      throws CheckpointException {
    if (offset < 0 || size < 0 || offset > fileSize || size > fileSize - offset) {
      throw new CheckpointException(
          shard,
          offset,
          "tensor '"
              + name
              + "' claims "
              + size
              + " bytes at offset "
              + offset
              + ", beyond the end of the "
              + fileSize
              + "-byte file");
    }
  }

  private static byte[] readRange(Path shard, long offset, long size, String name)
      throws CheckpointException {
    return readRange(
            shard,
            offset,
            size,
            name,
            n -> {
              if (n > Integer.MAX_VALUE - 16) {
                throw new CheckpointException(
                    shard,
                    offset,
                    "tensor '"
                        + name
                        + "' is "
                        + n
                        + " bytes, more than the 2 GiB a Java array holds");
              }
              return ByteBuffer.allocate((int) n);
            })
        .array();
  }

  /** Where {@link #readRange(Path, long, long, String, Target)} puts the bytes. */
  private interface Target {
    /** A buffer with exactly {@code size} bytes remaining, asked for once the range is checked. */
    ByteBuffer of(long size) throws CheckpointException;
  }

  /**
   * Reads {@code size} bytes at {@code offset} of {@code shard} into the buffer {@code target}
   * gives, once the range is known to lie inside the file; returns that buffer, filled.
   */
  private static ByteBuffer readRange(
      Path shard, long offset, long size, String name, Target target) throws CheckpointException {
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
      checkRange(shard, ch.size(), offset, size, name);
      ByteBuffer buffer = target.of(size);
      long position = offset;
      while (buffer.hasRemaining()) {
        int n = ch.read(buffer, position);
        if (n < 0) {
          throw new CheckpointException(shard, position, "file ended early");
        }
        position += n;
      }
      return buffer;
    } catch (NoSuchFileException e) {
      throw new CheckpointException(
          shard, CheckpointException.NO_OFFSET, "no such file (the data shard of '" + name + "')");
    } catch (IOException e) {
      throw new CheckpointException(shard, offset, "cannot read: " + e.getMessage(), e);
    }
  }

  private TensorInfo info(String name, BundleEntry entry) throws CheckpointException {
    if (entry.unknownRank()) {
      throw new CheckpointException(
          prefix, CheckpointException.NO_OFFSET, "tensor '" + name + "' has an unknown rank");
    }
    long[] dims = entry.dims();
    long elements = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new CheckpointException(
            prefix,
            CheckpointException.NO_OFFSET,
            "tensor '" + name + "' has dimension " + d + ", expected 0 or more");
      }
      elements = d == 0 ? 0 : multiplyOrFail(elements, d, name);
    }
    DataType dtype = DataType.forNumber(entry.dtype());
    if (dtype == null || dtype == DataType.UNRECOGNIZED) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '" + name + "' has an unknown dtype number " + entry.dtype());
    }
    return new TensorInfo(name, dtype, dims);
  }

  private long multiplyOrFail(long a, long b, String name) throws CheckpointException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '" + name + "' has more than 2^63 elements");
    }
  }

  /** "; closest names in the checkpoint: a, b, c" for a missing key, by edit distance. */
  String closestNames(String name) {
    return closest(name);
  }

  private String closest(String name) {
    if (entries.isEmpty()) {
      return " (the checkpoint is empty)";
    }
    List<String> keys = new ArrayList<>(entries.keySet());
    keys.sort(Comparator.comparingInt((String k) -> editDistance(k, name)).thenComparing(k -> k));
    return "; closest names in the checkpoint: "
        + String.join(", ", keys.subList(0, Math.min(3, keys.size())));
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
