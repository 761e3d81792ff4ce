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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.dnnlessons.files.SmallFiles;

/**
 * Reads V1 checkpoints: what {@code tf.compat.v1.train.Saver(write_version=SaverDef.V1)} and TF 1.x
 * before 1.0 wrote, and what many published model zoos still hold. A V1 checkpoint is one file (the
 * prefix itself, e.g. {@code model.ckpt}), or, when sharded, {@code model.ckpt-00000-of-00002} and
 * its siblings: each a LevelDB table like a V2 index ({@link IndexTable}), its blocks
 * CRC32C-checked. The empty key holds a {@code SavedTensorSlices} whose {@code meta} lists every
 * tensor (name, shape, dtype, slices); every other key is a slice's key ({@link TensorSlice#key})
 * whose {@code SavedTensorSlices.data} holds the slice's values in a {@code TensorProto}.
 */
final class TensorSliceCheckpoint {

  /** V1 files larger than this are refused: they are read whole into memory. */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

  private TensorSliceCheckpoint() {}

  /**
   * The files of the V1 checkpoint at {@code prefix}: the prefix itself when it is a file (whether
   * it is a V1 table is for {@link #open} to say, naming the offset of what is wrong), else its
   * {@code -NNNNN-of-NNNNN} shards; empty when there are none.
   */
  static List<Path> files(Path prefix) {
    if (Files.isRegularFile(prefix)) {
      return List.of(prefix);
    }
    Path dir = prefix.toAbsolutePath().getParent();
    String base = String.valueOf(prefix.getFileName());
    List<Path> shards = new ArrayList<>();
    if (dir != null && Files.isDirectory(dir)) {
      String pattern = Pattern.quote(base) + "-(\\d{5})-of-(\\d{5})";
      try (var stream = Files.list(dir)) {
        stream
            .filter(p -> p.getFileName().toString().matches(pattern))
            .sorted()
            .forEach(p -> shards.add(prefix.resolveSibling(p.getFileName())));
      } catch (IOException e) {
        return List.of();
      }
    }
    return shards;
  }

  /** Opens the V1 checkpoint made of {@code files}; tensors by name, each with its pieces. */
  static Map<String, CheckpointReader.Stored> open(List<Path> files) throws CheckpointException {
    Map<String, TensorInfo> infos = new TreeMap<>();
    Map<String, List<CheckpointReader.Piece>> pieces = new LinkedHashMap<>();
    Map<String, Path> where = new HashMap<>();
    Map<String, Integer> whereAt = new HashMap<>();
    for (Path file : files) {
      byte[] bytes = read(file);
      List<IndexTable.Entry> table = IndexTable.parse(file, bytes);
      if (table.isEmpty() || table.get(0).key().length != 0) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "no SavedTensorSlices meta entry (the empty key): not a V1 checkpoint");
      }
      Map<ByteBuffer, IndexTable.Entry> data = new HashMap<>();
      for (IndexTable.Entry e : table.subList(1, table.size())) {
        data.put(ByteBuffer.wrap(e.key()), e);
      }
      IndexTable.Entry metaEntry = table.get(0);
      BundleEntry.Wire top =
          new BundleEntry.Wire(
              file,
              bytes,
              metaEntry.valueOffset(),
              metaEntry.valueOffset() + metaEntry.valueLength(),
              "SavedTensorSlices meta");
      while (top.more()) {
        long tag = top.varint();
        if ((tag >>> 3) != 1) {
          top.skip(tag);
          continue;
        }
        BundleEntry.Wire meta = top.message(tag);
        while (meta.more()) {
          long t = meta.varint();
          if ((t >>> 3) != 1) {
            meta.skip(t);
            continue;
          }
          int at = meta.pos;
          SliceMeta m = sliceMeta(file, meta.message(t));
          TensorInfo known = infos.get(m.info.name());
          if (known != null && !known.equals(m.info)) {
            throw new CheckpointException(
                file,
                at,
                "tensor '"
                    + m.info.name()
                    + "' is "
                    + m.info
                    + " here, "
                    + known
                    + " in "
                    + where.get(m.info.name()));
          }
          infos.put(m.info.name(), m.info);
          where.put(m.info.name(), file);
          whereAt.put(m.info.name(), at);
          for (TensorSlice slice : m.slices) {
            if (!slice.fitsIn(m.info.shape())) {
              throw new CheckpointException(
                  file,
                  at,
                  "slice "
                      + slice
                      + " of '"
                      + m.info.name()
                      + "' does not fit its shape "
                      + m.info.compactShape());
            }
            IndexTable.Entry e = data.get(ByteBuffer.wrap(slice.key(m.info.name())));
            if (e == null) {
              throw new CheckpointException(
                  file,
                  at,
                  "the values of slice " + slice + " of '" + m.info.name() + "' are missing");
            }
            long[] sliceShape = slice.shape(m.info.shape());
            long count = new TensorInfo(m.info.name(), m.info.dtype(), sliceShape).numElements();
            int[] range = tensorProto(file, bytes, e, m.info.name());
            boolean whole = Arrays.equals(sliceShape, m.info.shape()) && m.slices.size() == 1;
            pieces
                .computeIfAbsent(m.info.name(), k -> new ArrayList<>())
                .add(
                    new CheckpointReader.Piece(
                        whole ? null : slice,
                        new TensorProtoValues(
                            file, bytes, range[0], range[1], m.info.dtype(), count)));
          }
        }
      }
    }
    Map<String, CheckpointReader.Stored> out = new TreeMap<>();
    for (Map.Entry<String, TensorInfo> e : infos.entrySet()) {
      TensorInfo info = e.getValue();
      List<CheckpointReader.Piece> p = pieces.getOrDefault(e.getKey(), List.of());
      if (p.size() != 1 || p.get(0).slice() != null) {
        List<TensorSlice> slices = new ArrayList<>();
        for (CheckpointReader.Piece piece : p) {
          slices.add(
              piece.slice() != null
                  ? piece.slice()
                  : new TensorSlice(new long[info.shape().length], filled(info.shape().length)));
        }
        CheckpointReader.checkSlices(where.get(e.getKey()), whereAt.get(e.getKey()), info, slices);
        List<CheckpointReader.Piece> fixed = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
          fixed.add(new CheckpointReader.Piece(slices.get(i), p.get(i).values()));
        }
        p = fixed;
      }
      out.put(
          e.getKey(),
          new CheckpointReader.Stored(
              info, List.copyOf(p), where.get(e.getKey()), whereAt.get(e.getKey())));
    }
    return out;
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    Arrays.fill(a, -1);
    return a;
  }

  private record SliceMeta(TensorInfo info, List<TensorSlice> slices) {}

  /** {@code SavedSliceMeta}: name = 1, shape = 2, type = 3, repeated slice = 4. */
  private static SliceMeta sliceMeta(Path file, BundleEntry.Wire w) throws CheckpointException {
    int at = w.pos;
    String name = null;
    List<Long> dims = new ArrayList<>();
    boolean[] unknownRank = {false};
    int type = 0;
    List<TensorSlice> slices = new ArrayList<>();
    while (w.more()) {
      long tag = w.varint();
      switch ((int) (tag >>> 3)) {
        case 1 -> name = utf8(file, w.pos, w.message(tag).rest());
        case 2 -> BundleEntry.parseShape(w.message(tag), dims, unknownRank);
        case 3 -> type = (int) w.varintField(tag);
        case 4 -> slices.add(BundleEntry.parseSlice(w.message(tag)));
        default -> w.skip(tag);
      }
      if (slices.size() > CheckpointReader.MAX_SLICES) {
        throw new CheckpointException(
            file, at, "more than " + CheckpointReader.MAX_SLICES + " slices for one tensor");
      }
    }
    if (name == null) {
      throw new CheckpointException(file, at, "a tensor's meta entry has no name");
    }
    BundleEntry entry =
        new BundleEntry(
            type,
            dims.stream().mapToLong(Long::longValue).toArray(),
            unknownRank[0],
            0,
            0,
            0,
            0,
            List.of());
    TensorInfo info = CheckpointReader.info(file, at, name, entry);
    if (slices.isEmpty()) {
      throw new CheckpointException(file, at, "tensor '" + name + "' lists no slices");
    }
    return new SliceMeta(info, slices);
  }

  /**
   * The range of {@code SavedTensorSlices.data.data} (the {@code TensorProto}) in entry {@code e}.
   */
  private static int[] tensorProto(Path file, byte[] bytes, IndexTable.Entry e, String name)
      throws CheckpointException {
    BundleEntry.Wire top =
        new BundleEntry.Wire(
            file,
            bytes,
            e.valueOffset(),
            e.valueOffset() + e.valueLength(),
            "slice of '" + name + "'");
    while (top.more()) {
      long tag = top.varint();
      if ((tag >>> 3) != 2) {
        top.skip(tag);
        continue;
      }
      BundleEntry.Wire slice = top.message(tag);
      while (slice.more()) {
        long t = slice.varint();
        if ((t >>> 3) == 3) {
          BundleEntry.Wire proto = slice.message(t);
          return new int[] {proto.pos, proto.limit};
        }
        slice.skip(t);
      }
    }
    throw new CheckpointException(
        file, e.keyOffset(), "the entry of a slice of '" + name + "' holds no values");
  }

  private static String utf8(Path file, long offset, byte[] b) throws CheckpointException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointException(file, offset, "a tensor name is not UTF-8 text");
    }
  }

  private static byte[] read(Path file) throws CheckpointException {
    try {
      SmallFiles.checkRegular(file); // never a FIFO or device
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "V1 checkpoint file is "
                + size
                + " bytes, more than the "
                + MAX_FILE_BYTES
                + " this reader holds");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, CheckpointException.NO_OFFSET, "no such file");
    } catch (FileSystemException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          e.getReason() != null ? e.getReason() : "cannot read: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
  }
}
