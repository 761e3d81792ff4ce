package org.dnnlessons.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code BundleEntryProto} (a tensor's entry in a checkpoint index) or {@code BundleHeaderProto},
 * decoded straight from the protobuf wire format.
 *
 * <p>Decoding by hand keeps the reader free of protobuf's descriptor machinery, which costs more
 * start-up time than everything else {@code inspect} does. Only the fields the reader needs are
 * kept; unknown fields are skipped as protobuf skips them. Every length is checked.
 *
 * @param dtype the {@code DataType} number
 * @param dims the dimensions (empty for a scalar)
 * @param unknownRank whether the shape has an unknown rank
 * @param shardId which data file holds the bytes
 * @param offset where they start in that file
 * @param size how many bytes they are
 * @param crc32c the masked CRC32C of the bytes
 * @param slices the slices a partitioned tensor is stored as, each under its own key (empty for a
 *     whole tensor)
 */
record BundleEntry(
    int dtype,
    long[] dims,
    boolean unknownRank,
    int shardId,
    long offset,
    long size,
    int crc32c,
    List<TensorSlice> slices) {

  /**
   * The parts of a {@code BundleHeaderProto} the reader needs.
   *
   * @param numShards the number of data files
   * @param endianness 0 little, 1 big
   */
  record Header(int numShards, int endianness) {}

  static Header parseHeader(Path file, byte[] bytes, int from, int length)
      throws CheckpointException {
    Wire w = new Wire(file, bytes, from, from + length, "bundle header");
    int numShards = 0;
    int endianness = 0;
    while (w.more()) {
      long tag = w.varint();
      switch ((int) (tag >>> 3)) {
        case 1 -> numShards = (int) w.varintField(tag);
        case 2 -> endianness = (int) w.varintField(tag);
        default -> w.skip(tag);
      }
    }
    return new Header(numShards, endianness);
  }

  /** Parses the entry of {@code key} at {@code bytes[from, from + length)}. */
  static BundleEntry parse(Path file, String key, byte[] bytes, int from, int length)
      throws CheckpointException {
    Wire w = new Wire(file, bytes, from, from + length, "entry for " + key);
    int dtype = 0;
    List<Long> dims = new ArrayList<>();
    boolean[] unknownRank = {false};
    int shardId = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    List<TensorSlice> slices = new ArrayList<>();
    while (w.more()) {
      long tag = w.varint();
      switch ((int) (tag >>> 3)) {
        case 1 -> dtype = (int) w.varintField(tag);
        case 2 -> parseShape(w.message(tag), dims, unknownRank);
        case 3 -> shardId = (int) w.varintField(tag);
        case 4 -> offset = w.varintField(tag);
        case 5 -> size = w.varintField(tag);
        case 6 -> crc = w.fixed32Field(tag);
        case 7 -> slices.add(parseSlice(w.message(tag)));
        default -> w.skip(tag);
      }
    }
    return new BundleEntry(
        dtype,
        dims.stream().mapToLong(Long::longValue).toArray(),
        unknownRank[0],
        shardId,
        offset,
        size,
        crc,
        List.copyOf(slices));
  }

  /** A {@code TensorSliceProto}: repeated {@code Extent {int64 start = 1; int64 length = 2}}. */
  static TensorSlice parseSlice(Wire w) throws CheckpointException {
    List<long[]> extents = new ArrayList<>();
    while (w.more()) {
      long tag = w.varint();
      if ((tag >>> 3) == 1) {
        Wire e = w.message(tag);
        long[] extent = {0, -1};
        while (e.more()) {
          long t = e.varint();
          switch ((int) (t >>> 3)) {
            case 1 -> extent[0] = e.varintField(t);
            case 2 -> extent[1] = e.varintField(t);
            default -> e.skip(t);
          }
        }
        if (extent[1] < 0) {
          extent[0] = 0;
          extent[1] = -1; // no length: the whole dimension
        }
        extents.add(extent);
      } else {
        w.skip(tag);
      }
    }
    return new TensorSlice(
        extents.stream().mapToLong(e -> e[0]).toArray(),
        extents.stream().mapToLong(e -> e[1]).toArray());
  }

  static void parseShape(Wire w, List<Long> dims, boolean[] unknownRank)
      throws CheckpointException {
    while (w.more()) {
      long tag = w.varint();
      switch ((int) (tag >>> 3)) {
        case 2 -> {
          Wire dim = w.message(tag);
          long size = 0;
          while (dim.more()) {
            long t = dim.varint();
            if ((t >>> 3) == 1) {
              size = dim.varintField(t);
            } else {
              dim.skip(t);
            }
          }
          dims.add(size);
        }
        case 3 -> unknownRank[0] = w.varintField(tag) != 0;
        default -> w.skip(tag);
      }
    }
  }

  /** A bounded reader of protobuf's wire format. */
  static final class Wire {
    private final Path file;
    private final byte[] b;
    int pos;
    final int limit;
    private final String what;

    Wire(Path file, byte[] b, int pos, int limit, String what) {
      this.file = file;
      this.b = b;
      this.pos = pos;
      this.limit = limit;
      this.what = what;
    }

    boolean more() {
      return pos < limit;
    }

    long varint() throws CheckpointException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= limit) {
          throw error("truncated varint");
        }
        int x = b[pos++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw error("varint longer than 10 bytes");
    }

    long varintField(long tag) throws CheckpointException {
      if ((tag & 7) != 0) {
        throw error("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected 0");
      }
      return varint();
    }

    int fixed32Field(long tag) throws CheckpointException {
      if ((tag & 7) != 5) {
        throw error("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected 5");
      }
      if (limit - pos < 4) {
        throw error("truncated fixed32");
      }
      int v =
          (b[pos] & 0xFF)
              | (b[pos + 1] & 0xFF) << 8
              | (b[pos + 2] & 0xFF) << 16
              | (b[pos + 3] & 0xFF) << 24;
      pos += 4;
      return v;
    }

    long fixed64Field(long tag) throws CheckpointException {
      if ((tag & 7) != 1) {
        throw error("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected 1");
      }
      if (limit - pos < 8) {
        throw error("truncated fixed64");
      }
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = (v << 8) | (b[pos + i] & 0xFF);
      }
      pos += 8;
      return v;
    }

    /** The bytes between {@code pos} and {@code limit}. */
    byte[] rest() {
      return Arrays.copyOfRange(b, pos, limit);
    }

    Wire message(long tag) throws CheckpointException {
      if ((tag & 7) != 2) {
        throw error("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected 2");
      }
      long length = varint();
      if (length < 0 || length > limit - pos) {
        throw error(
            "field " + (tag >>> 3) + " claims " + length + " bytes, " + (limit - pos) + " remain");
      }
      Wire sub = new Wire(file, b, pos, pos + (int) length, what);
      pos += (int) length;
      return sub;
    }

    void skip(long tag) throws CheckpointException {
      switch ((int) (tag & 7)) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> message(tag);
        case 5 -> advance(4);
        default -> throw error("unsupported wire type " + (tag & 7) + " for field " + (tag >>> 3));
      }
    }

    private void advance(int n) throws CheckpointException {
      if (limit - pos < n) {
        throw error("truncated field");
      }
      pos += n;
    }

    CheckpointException error(String reason) {
      return new CheckpointException(file, pos, "unreadable " + what + ": " + reason);
    }
  }
}
