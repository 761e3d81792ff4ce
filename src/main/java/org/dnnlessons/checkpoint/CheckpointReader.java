package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.dnnlessons.files.SmallFiles;
import org.tensorflow.proto.DataType;

/**
 * Reads TensorFlow checkpoints (the V2 tensor bundle that {@code tf.train.Saver}, {@code
 * tf.train.Checkpoint} and TensorFlow Java write, and the older V1 TensorSlice files of {@code
 * Saver(write_version=SaverDef.V1)}, see {@link TensorSliceCheckpoint}) in pure Java: no native
 * TensorFlow is loaded, so it starts in milliseconds and works where the native library is
 * unavailable.
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
 * int32, int64, uint8, uint16, uint32, uint64, bool and string. A partitioned variable (Python's
 * {@code get_variable(..., partitioner=...)}) is listed once, with its full shape, as {@code
 * tf.train.list_variables} lists it, and read whole: its slices, each stored under a binary key,
 * are assembled as {@code tf.train.load_checkpoint(...).get_tensor(name)} assembles them.
 *
 * <p>Every problem (a missing file, a corrupt table, an entry pointing outside its shard, a
 * checksum mismatch) is a {@link CheckpointException} with the file, the byte offset and the
 * reason. Sizes are checked against the files before anything is allocated: when the reader opens,
 * every tensor's byte count must equal its shape times its dtype's size and lie inside its data
 * shard, so no shape read from an index asks for memory the files cannot back.
 */
public final class CheckpointReader {

  /** Index files larger than this are refused (real ones are kilobytes to a few megabytes). */
  static final long MAX_INDEX_BYTES = 1L << 30;

  /** Slices per partitioned tensor accepted (real partitioners use a handful to a few hundred). */
  static final int MAX_SLICES = 1 << 12;

  private final Path prefix;
  private final Map<String, Stored> entries;

  /**
   * A tensor as stored: its info, where its entry is ({@code file}, {@code offset}, for messages)
   * and where its values are, whole (one piece, {@code slice} null) or as slices.
   */
  record Stored(TensorInfo info, List<Piece> pieces, Path file, long offset) {
    boolean partitioned() {
      return pieces.size() != 1 || pieces.get(0).slice() != null;
    }
  }

  /** One stored piece of a tensor: the part it covers ({@code null} for all) and its values. */
  record Piece(TensorSlice slice, StoredValues values) {}

  private CheckpointReader(Path prefix, Map<String, Stored> entries) {
    this.prefix = prefix;
    this.entries = entries;
  }

  /**
   * Opens the checkpoint whose files start with {@code prefix} ({@code prefix.index}, {@code
   * prefix.data-...}); a directory means its latest checkpoint.
   *
   * @param prefixOrDir a checkpoint prefix ({@code runs/model.ckpt-540}), one of its files, or its
   *     directory; Python's {@code tf.train.load_checkpoint}
   * @return an open reader; the caller closes it
   * @throws CheckpointException one line naming the file when there is no checkpoint there or its
   *     index is corrupt
   */
  public static CheckpointReader open(Path prefixOrDir) throws CheckpointException {
    return open(prefixOrDir, w -> System.err.println("warning: " + w));
  }

  /**
   * As {@link #open(Path)}, giving the one-line warnings of {@link CheckpointState#resolve(Path,
   * java.util.function.Consumer)} to {@code warnings}.
   *
   * @param prefixOrDir a checkpoint prefix, one of its files, or its directory
   * @param warnings receives each one-line warning (a state file naming a checkpoint that is gone,
   *     ...)
   * @return an open reader; the caller closes it
   * @throws CheckpointException one line naming the file when there is no checkpoint there or its
   *     index is corrupt
   */
  public static CheckpointReader open(Path prefixOrDir, Consumer<String> warnings)
      throws CheckpointException {
    Path prefix = CheckpointState.resolve(prefixOrDir, warnings);
    Path index = Path.of(prefix + ".index");
    if (!Files.exists(index)) {
      List<Path> v1 = TensorSliceCheckpoint.files(prefix);
      if (!v1.isEmpty()) {
        return new CheckpointReader(prefix, TensorSliceCheckpoint.open(v1));
      }
    }
    byte[] bytes = readIndex(index);
    List<IndexTable.Entry> table = IndexTable.parse(index, bytes);
    int numShards = numShards(index, bytes, table);
    return new Opening(prefix, index, bytes, numShards).open(table.subList(1, table.size()));
  }

  /** The index file's bytes, once it is known to be a regular file of at most 1 GiB. */
  private static byte[] readIndex(Path index) throws CheckpointException {
    try {
      // a FIFO would block the read, a link to /dev/zero never end: regular files only
      SmallFiles.checkRegular(index);
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
      return Files.readAllBytes(index);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(index, CheckpointException.NO_OFFSET, "no such file");
    } catch (FileSystemException e) {
      throw new CheckpointException(
          index,
          CheckpointException.NO_OFFSET,
          e.getReason() != null ? e.getReason() : "cannot read: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new CheckpointException(
          index, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
  }

  /** The bundle header's shard count, once the header is there and little-endian. */
  private static int numShards(Path index, byte[] bytes, List<IndexTable.Entry> table)
      throws CheckpointException {
    if (table.isEmpty() || table.get(0).key().length != 0) {
      throw new CheckpointException(
          index,
          table.isEmpty() ? CheckpointException.NO_OFFSET : table.get(0).keyOffset(),
          "no bundle header (the entry with the empty key): not a tensor bundle");
    }
    IndexTable.Entry first = table.get(0);
    BundleEntry.Header header =
        BundleEntry.parseHeader(index, bytes, first.valueOffset(), first.valueLength());
    if (header.numShards() < 1 || header.numShards() > 100_000) {
      throw new CheckpointException(
          index,
          first.valueOffset(),
          "bundle header gives " + header.numShards() + " shards, expected 1 to 100000");
    }
    if (header.endianness() != 0) {
      throw new CheckpointException(
          index, first.valueOffset(), "big-endian bundles are not supported");
    }
    return header.numShards();
  }

  /**
   * What {@link #readRetrying} does with an open reader.
   *
   * @param <T> the type of the action's result
   */
  @FunctionalInterface
  public interface ReaderAction<T> {
    /**
     * Reads from {@code reader}; its result must not depend on a reader of an earlier try.
     *
     * @param reader a fresh reader on the checkpoint; closed after {@code apply} returns
     * @return the result, which must not hold the reader
     * @throws CheckpointException a read that failed; retried when a save explains it
     */
    T apply(CheckpointReader reader) throws CheckpointException;
  }

  /**
   * Opens the checkpoint at {@code prefixOrDir} and runs {@code action} on it, again (on a fresh
   * reader) while it fails because a save is replacing that checkpoint, as {@link Saver#restore}
   * does: {@code inspect} racing {@code train --save} never reports a false checksum mismatch, and
   * gets the old or the new checkpoint whole. Waits at most 10 s.
   *
   * @param <T> what {@code action} returns
   * @param prefixOrDir a checkpoint prefix, one of its files, or its directory
   * @param warnings receives each one-line warning, once
   * @param action reads what it needs from the reader it is given; may run more than once
   * @return what {@code action} returned on the try that succeeded
   * @throws CheckpointException the failure, when no save explains it
   */
  public static <T> T readRetrying(
      Path prefixOrDir, Consumer<String> warnings, ReaderAction<T> action)
      throws CheckpointException {
    Path prefix = CheckpointState.resolve(prefixOrDir, warnings);
    boolean[] warned = {false};
    Consumer<String> once =
        w -> {
          if (!warned[0]) {
            warned[0] = true;
            warnings.accept(w);
          }
        };
    return RacingReads.retry(prefix, () -> action.apply(open(prefixOrDir, once)));
  }

  /** The state of {@link #open}: the index's entries turned into tensors, each checked. */
  private static final class Opening {
    private final Path prefix;
    private final Path index;
    private final byte[] bytes;
    private final int numShards;
    private final long[] shardSizes;

    Opening(Path prefix, Path index, byte[] bytes, int numShards) {
      this.prefix = prefix;
      this.index = index;
      this.bytes = bytes;
      this.numShards = numShards;
      this.shardSizes = new long[numShards];
      Arrays.fill(shardSizes, -1);
    }

    CheckpointReader open(List<IndexTable.Entry> table) throws CheckpointException {
      Map<ByteBuffer, IndexTable.Entry> sliceKeys = new HashMap<>();
      List<IndexTable.Entry> named = new ArrayList<>();
      for (IndexTable.Entry e : table) {
        if (e.key()[0] == 0) {
          if (TensorSlice.decode(e.key()) == null) {
            throw new CheckpointException(
                index,
                e.keyOffset(),
                "key "
                    + IndexTable.printable(e.key())
                    + " is neither a tensor name nor a tensor slice's key");
          }
          sliceKeys.put(ByteBuffer.wrap(e.key()), e);
        } else {
          named.add(e);
        }
      }
      Map<String, Stored> out = new TreeMap<>();
      for (IndexTable.Entry e : named) {
        String name = name(e);
        BundleEntry entry =
            BundleEntry.parse(index, "'" + name + "'", bytes, e.valueOffset(), e.valueLength());
        TensorInfo info = info(index, e.keyOffset(), name, entry);
        List<Piece> pieces = new ArrayList<>();
        if (entry.slices().isEmpty()) {
          pieces.add(new Piece(null, values(e.keyOffset(), info, entry)));
        } else {
          checkSlices(index, e.keyOffset(), info, entry.slices());
          for (TensorSlice slice : entry.slices()) {
            pieces.add(slicePiece(e, info, slice, sliceKeys));
          }
        }
        out.put(name, new Stored(info, List.copyOf(pieces), index, e.keyOffset()));
      }
      return new CheckpointReader(prefix, out);
    }

    /** The stored piece of a partitioned tensor that {@code slice} of its entry {@code e} names. */
    private Piece slicePiece(
        IndexTable.Entry e,
        TensorInfo info,
        TensorSlice slice,
        Map<ByteBuffer, IndexTable.Entry> sliceKeys)
        throws CheckpointException {
      String name = info.name();
      IndexTable.Entry se = sliceKeys.get(ByteBuffer.wrap(slice.key(name)));
      if (se == null) {
        throw new CheckpointException(
            index,
            e.keyOffset(),
            "partitioned tensor '" + name + "' lists slice " + slice + ", which is missing");
      }
      BundleEntry sliceEntry =
          BundleEntry.parse(
              index,
              "slice " + slice + " of '" + name + "'",
              bytes,
              se.valueOffset(),
              se.valueLength());
      TensorInfo sliceInfo =
          info(index, se.keyOffset(), name + " (slice " + slice + ")", sliceEntry);
      long[] expected = slice.shape(info.shape());
      if (sliceInfo.dtype() != info.dtype() || !Arrays.equals(sliceInfo.shape(), expected)) {
        throw new CheckpointException(
            index,
            se.keyOffset(),
            "slice "
                + slice
                + " of '"
                + name
                + "' is stored as "
                + sliceInfo.dtype()
                + " "
                + sliceInfo.compactShape()
                + ", expected "
                + info.dtype()
                + " "
                + new TensorInfo(name, info.dtype(), expected).compactShape());
      }
      return new Piece(slice, values(se.keyOffset(), sliceInfo, sliceEntry));
    }

    /** The entry's key as a tensor name: UTF-8 text, as TensorFlow's names are. */
    private String name(IndexTable.Entry e) throws CheckpointException {
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(e.key())).toString();
      } catch (CharacterCodingException x) {
        throw new CheckpointException(
            index,
            e.keyOffset(),
            "key " + IndexTable.printable(e.key()) + " is not UTF-8 text, as tensor names are");
      }
    }

    /**
     * Where a whole tensor's (or slice's) bytes are, once its size agrees with its shape and dtype
     * and its range lies inside its data shard.
     */
    private BundleValues values(long keyOffset, TensorInfo info, BundleEntry entry)
        throws CheckpointException {
      if (entry.shardId() < 0 || entry.shardId() >= numShards) {
        throw new CheckpointException(
            index,
            keyOffset,
            "tensor '"
                + info.name()
                + "' is in shard "
                + entry.shardId()
                + " of a "
                + numShards
                + "-shard bundle");
      }
      Path shard =
          Path.of(
              String.format(
                  Locale.ROOT, "%s.data-%05d-of-%05d", prefix, entry.shardId(), numShards));
      int elementSize = Dtypes.elementSize(info.dtype());
      long n = info.numElements();
      if (elementSize > 0) {
        long needed = multiplyOrFail(index, keyOffset, n, elementSize, info.name());
        if (entry.size() != needed) {
          throw new CheckpointException(
              index,
              keyOffset,
              "tensor '"
                  + info.name()
                  + "' of shape "
                  + info.compactShape()
                  + " and dtype "
                  + info.numpyType()
                  + " needs "
                  + needed
                  + " bytes, its entry gives "
                  + entry.size());
        }
      } else if (elementSize < 0 && n > entry.size()) {
        throw new CheckpointException(
            index,
            keyOffset,
            "string tensor '"
                + info.name()
                + "' has "
                + n
                + " elements, more than its "
                + entry.size()
                + " bytes can hold");
      }
      checkRange(
          shard, shardSize(entry.shardId(), shard), entry.offset(), entry.size(), info.name());
      return new BundleValues(shard, entry);
    }

    private long shardSize(int id, Path shard) throws CheckpointException {
      if (shardSizes[id] == -1) {
        try {
          shardSizes[id] = Files.size(shard);
        } catch (NoSuchFileException e) {
          throw new CheckpointException(
              shard,
              CheckpointException.NO_OFFSET,
              "no such file (data shard " + id + " of " + numShards + " of this checkpoint)");
        } catch (IOException e) {
          throw new CheckpointException(
              shard, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
        }
      }
      return shardSizes[id];
    }
  }

  /**
   * The checkpoint prefix.
   *
   * @return the prefix the files start with (a directory given to {@link #open} resolved to its
   *     latest checkpoint)
   */
  public Path prefix() {
    return prefix;
  }

  /**
   * Every tensor, sorted by name, as {@code tf.train.list_variables} lists them: a partitioned
   * variable once, with its full shape.
   *
   * @return an unmodifiable list of the checkpoint's entries: name, dtype, shape
   */
  public List<TensorInfo> tensors() {
    List<TensorInfo> out = new ArrayList<>();
    for (Stored t : entries.values()) {
      out.add(t.info());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * True when the checkpoint holds {@code name}.
   *
   * @param name a checkpoint key, e.g. {@code hidden_layer/weights}
   * @return true when the checkpoint has a tensor of that key (whole or partitioned)
   */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /**
   * The entry of {@code name}.
   *
   * @param name a checkpoint key, e.g. {@code hidden_layer/weights}
   * @return the tensor's name, dtype and full shape
   * @throws CheckpointException naming the closest keys when it is missing
   */
  public TensorInfo info(String name) throws CheckpointException {
    return stored(name).info();
  }

  /**
   * Whether {@code name} is stored as slices (a variable Python partitioned).
   *
   * @param name a checkpoint key
   * @return true when the key is saved as slices
   * @throws CheckpointException naming the closest keys when it is missing
   */
  public boolean partitioned(String name) throws CheckpointException {
    return stored(name).partitioned();
  }

  private Stored stored(String name) throws CheckpointException {
    Stored stored = entries.get(name);
    if (stored == null) {
      throw new CheckpointException(
          prefix, CheckpointException.NO_OFFSET, "no tensor named '" + name + "'" + closest(name));
    }
    return stored;
  }

  /**
   * The sum of every tensor's element count, as Python's inspect_checkpoint totals it.
   *
   * @return the number of values (not bytes) over every tensor, as {@code inspect_checkpoint
   *     --all_tensors} prints it
   */
  public long totalParameters() {
    long total = 0;
    for (Stored t : entries.values()) {
      total += t.info().numElements();
    }
    return total;
  }

  /**
   * Reads one tensor's values, verifying their checksums; a partitioned tensor is assembled from
   * its slices.
   *
   * @param name a checkpoint key, e.g. {@code hidden_layer/weights}
   * @return the tensor, with its dtype, shape and values
   * @throws CheckpointException when the tensor is missing, of a dtype this reader does not decode,
   *     more than the 2 GiB a Java array holds (see {@link #readInto}), unreadable, or fails its
   *     checksum
   */
  public CheckpointTensor read(String name) throws CheckpointException {
    Stored stored = stored(name);
    TensorInfo info = stored.info();
    checkSupported(stored);
    int elementSize = Dtypes.elementSize(info.dtype());
    long n = info.numElements();
    if (elementSize < 0) {
      return new CheckpointTensor(info, new byte[0], strings(stored));
    }
    long total = n * elementSize; // checked when the reader opened
    if (total > MAX_ARRAY_BYTES) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '"
              + name
              + "' is "
              + total
              + " bytes, more than the 2 GiB a Java array holds; read it with readInto");
    }
    if (!stored.partitioned()) {
      return new CheckpointTensor(info, stored.pieces().get(0).values().bytes(name), List.of());
    }
    byte[] full = new byte[(int) total];
    for (Piece p : stored.pieces()) {
      byte[] part = p.values().bytes(name);
      Slices.copy(
          info.shape(),
          p.slice(),
          elementSize,
          (from, to, count) -> System.arraycopy(part, (int) from, full, (int) to, (int) count));
    }
    return new CheckpointTensor(info, full, List.of());
  }

  /** A string tensor's elements, a partitioned one's assembled from its slices. */
  private List<byte[]> strings(Stored stored) throws CheckpointException {
    TensorInfo info = stored.info();
    String name = info.name();
    long n = info.numElements();
    if (!stored.partitioned()) {
      return stored.pieces().get(0).values().strings(name, n);
    }
    if (n > MAX_ARRAY_BYTES / 8) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "string tensor '" + name + "' has " + n + " elements, more than this reader holds");
    }
    List<byte[]> all = new ArrayList<>(Collections.nCopies((int) n, (byte[]) null));
    for (Piece p : stored.pieces()) {
      long[] sliceShape = p.slice().shape(info.shape());
      List<byte[]> part =
          p.values().strings(name, new TensorInfo(name, info.dtype(), sliceShape).numElements());
      Slices.copy(
          info.shape(),
          p.slice(),
          1,
          (from, to, count) -> {
            for (int k = 0; k < count; k++) {
              all.set((int) to + k, part.get((int) from + k));
            }
          });
    }
    return List.copyOf(all);
  }

  /** The largest tensor {@link #read} returns, in bytes. */
  static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;

  /**
   * Reads the bytes of a fixed-size tensor (every dtype but string) straight into {@code target},
   * from its position to its limit, and verifies their checksum: the bundle holds a tensor's
   * elements as they lie in memory (little-endian, row-major), so {@code target} may be the memory
   * of a TensorFlow tensor of the saved dtype and shape. A partitioned tensor's slices are placed
   * where they belong. On return {@code target}'s position is at its limit; after an exception its
   * contents are undefined.
   *
   * @param name a checkpoint key of a fixed-size dtype
   * @param target receives the bytes; its remaining space must be the tensor's size in bytes
   *     exactly
   * @throws CheckpointException when the tensor is missing, a string, not {@code
   *     target.remaining()} bytes long, unreadable, or fails its checksum
   */
  public void readInto(String name, ByteBuffer target) throws CheckpointException {
    Stored stored = stored(name);
    TensorInfo info = stored.info();
    checkSupported(stored);
    int elementSize = Dtypes.elementSize(info.dtype());
    if (elementSize <= 0) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '" + name + "' holds strings; read it with read(name)");
    }
    long expected = info.numElements() * elementSize;
    if (target.remaining() != expected) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '"
              + name
              + "' of shape "
              + info.compactShape()
              + " needs "
              + expected
              + " bytes, the target holds "
              + target.remaining());
    }
    if (!stored.partitioned()) {
      stored.pieces().get(0).values().readInto(name, target);
      return;
    }
    int start = target.position();
    for (Piece p : stored.pieces()) {
      byte[] part = p.values().bytes(name);
      Slices.copy(
          info.shape(),
          p.slice(),
          elementSize,
          (from, to, count) -> target.put(start + (int) to, part, (int) from, (int) count));
    }
    target.position(target.limit());
  }

  /**
   * Gives a fixed-size tensor's element bytes (little-endian, row-major) to {@code out} a chunk at
   * a time, in memory bounded by the chunk (8 MiB) whatever the tensor's size; every checksum is
   * verified before the first byte is given. A partitioned tensor streams when its slices split
   * only the first dimension (as {@code fixed_size_partitioner} does by default); otherwise it is
   * assembled in memory first, up to 2 GiB.
   *
   * @param name a checkpoint key of a fixed-size dtype
   * @param out receives the bytes chunk by chunk, in order
   * @throws CheckpointException as {@link #read} does
   */
  public void stream(String name, StoredValues.Chunks out) throws CheckpointException {
    Stored stored = stored(name);
    TensorInfo info = stored.info();
    checkSupported(stored);
    if (Dtypes.elementSize(info.dtype()) <= 0) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "tensor '" + name + "' holds strings; read it with read(name)");
    }
    List<Piece> pieces = new ArrayList<>(stored.pieces());
    long[] shape = info.shape();
    boolean rowsOnly = true;
    for (Piece p : pieces) {
      for (int d = 1; p.slice() != null && d < shape.length; d++) {
        rowsOnly &= p.slice().length(d, shape) == shape[d];
      }
    }
    if (!rowsOnly) {
      out.accept(ByteBuffer.wrap(read(name).data()));
      return;
    }
    pieces.sort(Comparator.comparingLong(p -> p.slice() == null ? 0 : p.slice().start(0)));
    for (Piece p : pieces) {
      p.values().verify(name);
    }
    for (Piece p : pieces) {
      p.values().stream(name, out);
    }
  }

  private static void checkSupported(Stored stored) throws CheckpointException {
    TensorInfo info = stored.info();
    if (!Dtypes.supported(info.dtype())) {
      throw new CheckpointException(
          stored.file(),
          stored.offset(),
          "tensor '"
              + info.name()
              + "' has dtype "
              + info.dtype()
              + ", which this reader does not decode");
    }
  }

  /**
   * The slices must lie inside the tensor, not overlap, and cover it: then they hold exactly its
   * elements.
   */
  static void checkSlices(Path index, long offset, TensorInfo info, List<TensorSlice> slices)
      throws CheckpointException {
    long[] shape = info.shape();
    if (slices.size() > MAX_SLICES) {
      throw new CheckpointException(
          index,
          offset,
          "tensor '"
              + info.name()
              + "' has "
              + slices.size()
              + " slices, more than the "
              + MAX_SLICES
              + " accepted");
    }
    long covered = 0;
    for (int i = 0; i < slices.size(); i++) {
      TensorSlice s = slices.get(i);
      if (!s.fitsIn(shape)) {
        throw new CheckpointException(
            index,
            offset,
            "slice "
                + s
                + " of '"
                + info.name()
                + "' does not fit its shape "
                + info.compactShape());
      }
      for (int j = 0; j < i; j++) {
        if (s.overlaps(slices.get(j), shape)) {
          throw new CheckpointException(
              index,
              offset,
              "slices " + slices.get(j) + " and " + s + " of '" + info.name() + "' overlap");
        }
      }
      covered += new TensorInfo(info.name(), info.dtype(), s.shape(shape)).numElements();
    }
    if (covered != info.numElements()) {
      throw new CheckpointException(
          index,
          offset,
          "the slices of '"
              + info.name()
              + "' hold "
              + covered
              + " of its "
              + info.numElements()
              + " elements");
    }
  }

  static void checkRange(Path shard, long fileSize, long offset, long size, String name)
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

  static TensorInfo info(Path index, long offset, String name, BundleEntry entry)
      throws CheckpointException {
    if (entry.unknownRank()) {
      throw new CheckpointException(index, offset, "tensor '" + name + "' has an unknown rank");
    }
    long[] dims = entry.dims();
    long elements = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new CheckpointException(
            index, offset, "tensor '" + name + "' has dimension " + d + ", expected 0 or more");
      }
      elements = d == 0 ? 0 : multiplyOrFail(index, offset, elements, d, name);
    }
    DataType dtype = DataType.forNumber(entry.dtype());
    if (dtype == null || dtype == DataType.UNRECOGNIZED) {
      throw new CheckpointException(
          index, offset, "tensor '" + name + "' has an unknown dtype number " + entry.dtype());
    }
    return new TensorInfo(name, dtype, dims);
  }

  private static long multiplyOrFail(Path index, long offset, long a, long b, String name)
      throws CheckpointException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new CheckpointException(
          index, offset, "tensor '" + name + "' has more than 2^63 elements or bytes");
    }
  }

  /**
   * "; closest names in the checkpoint: a, b, c" for a missing key, by edit distance.
   *
   * @param name the key that was not found
   * @return {@code "; closest names in the checkpoint: "} and up to 3 keys, or {@code " (the
   *     checkpoint is empty)"}
   */
  public String closestNames(String name) {
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
