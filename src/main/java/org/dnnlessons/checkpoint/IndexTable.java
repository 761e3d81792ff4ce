package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.dnnlessons.format.PythonBytes;

/**
 * Parses the {@code .index} file of a TensorFlow checkpoint: an immutable sorted table in LevelDB's
 * format (TensorFlow's {@code core/lib/io/table}), mapping each tensor name to a serialized {@code
 * BundleEntryProto} (and the empty key to the {@code BundleHeaderProto}).
 *
 * <p>Layout: data blocks, a metaindex block, an index block, then a 48-byte footer holding the
 * metaindex and index block handles (varint64 offset and size each, zero-padded to 40 bytes) and
 * the magic number {@code 0xdb4775248b80fb57}. A block is a run of entries (varint32 shared key
 * length, unshared key length and value length, the unshared key bytes, the value), an array of
 * uint32 restart offsets and their count, followed by a 5-byte trailer: the compression type and
 * the masked CRC32C of block and type. The index block maps a separator key to each data block's
 * handle.
 *
 * <p>Every length and offset is checked against the bytes actually present before it is used, so a
 * corrupt file gives a {@link CheckpointException} naming the offset, never an exception from
 * deeper down or an allocation the file cannot back. Keys are compared as bytes (they need not be
 * text: the keys of partitioned tensors' slices are binary). Prefix compression lets a small file
 * describe keys whose lengths add up quadratically, so a key is at most {@link #MAX_KEY_BYTES} and
 * the keys together at most {@link #maxKeyBytes(long)}; data blocks must follow one another without
 * overlapping, so parsing reads each byte of the file at most a few times.
 */
final class IndexTable {

  /** The table magic number, stored little-endian in the last 8 bytes. */
  static final long MAGIC = 0xdb4775248b80fb57L;

  static final int FOOTER_SIZE = 48;
  private static final int BLOCK_TRAILER_SIZE = 5;
  private static final int MASK_DELTA = 0xa282ead8;

  /**
   * The longest key accepted, in bytes. TensorFlow's keys are tensor names (and, for slices, a name
   * and a few numbers); real ones are well under a kilobyte.
   */
  static final int MAX_KEY_BYTES = 1 << 16;

  private final Path file;
  private final byte[] bytes;
  private final long keyBudget;
  private long keyBytes;

  private IndexTable(Path file, byte[] bytes) {
    this.file = file;
    this.bytes = bytes;
    this.keyBudget = maxKeyBytes(bytes.length);
  }

  /**
   * The most key bytes, all keys together, that a table file of {@code fileSize} bytes may expand
   * to: eight times the file, and at least 16 MiB. A real table's keys share short prefixes, so
   * they expand to a small multiple of the file; a crafted one's could expand quadratically.
   */
  static long maxKeyBytes(long fileSize) {
    return Math.max(16L << 20, 8 * fileSize);
  }

  /**
   * One entry of the table.
   *
   * @param key the key's bytes
   * @param keyOffset where the entry starts in the file, for messages
   * @param valueOffset where its value starts in the file
   * @param valueLength the value's length
   */
  record Entry(byte[] key, int keyOffset, int valueOffset, int valueLength) {}

  /**
   * Parses every entry of the table.
   *
   * @param file the file's name, for messages
   * @param bytes the whole file
   * @return the entries in the table's order: keys strictly increasing as unsigned bytes
   */
  static List<Entry> parse(Path file, byte[] bytes) throws CheckpointException {
    return new IndexTable(file, bytes).entries();
  }

  private List<Entry> entries() throws CheckpointException {
    if (bytes.length < FOOTER_SIZE) {
      throw error(
          0,
          "file is "
              + bytes.length
              + " bytes, shorter than the "
              + FOOTER_SIZE
              + "-byte table footer");
    }
    int footer = bytes.length - FOOTER_SIZE;
    long magic =
        ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (magic != MAGIC) {
      throw error(
          bytes.length - 8,
          String.format(
              Locale.ROOT,
              "expected the table magic number 0x%016x, found 0x%016x: not a checkpoint (neither a"
                  + " V2 .index nor a V1 checkpoint file)",
              MAGIC,
              magic));
    }
    Cursor c = new Cursor(footer, footer + 40);
    c.handle("metaindex block handle"); // not needed: TensorFlow bundles keep it empty
    long[] index = c.handle("index block handle");
    List<Entry> entries = new ArrayList<>();
    long nextBlock = 0; // data blocks follow one another and precede the index block
    byte[] previous = null;
    for (Entry handleEntry : block(index, "index block", 0)) {
      Cursor h =
          new Cursor(handleEntry.valueOffset, handleEntry.valueOffset + handleEntry.valueLength);
      long[] data = h.handle("data block handle");
      if (data[0] < nextBlock || data[0] >= index[0]) {
        throw error(
            handleEntry.valueOffset,
            "data block at offset "
                + data[0]
                + " overlaps another block (expected an offset from "
                + nextBlock
                + " to before the index block at "
                + index[0]
                + ")");
      }
      for (Entry e : block(data, "data block", index[0])) {
        if (previous != null && Arrays.compareUnsigned(e.key, previous) <= 0) {
          throw error(
              e.keyOffset,
              (Arrays.equals(e.key, previous) ? "duplicate key " : "keys out of order: ")
                  + printable(e.key)
                  + (Arrays.equals(e.key, previous) ? "" : " after " + printable(previous)));
        }
        entries.add(e);
        previous = e.key;
      }
      nextBlock = data[0] + data[1] + BLOCK_TRAILER_SIZE;
    }
    return entries;
  }

  /** The bytes of the whole file. */
  byte[] bytes() {
    return bytes;
  }

  /**
   * Reads and checks the block at {@code handle = {offset, size}}, which must end before {@code
   * limit} (the footer when 0).
   */
  private List<Entry> block(long[] handle, String what, long limit) throws CheckpointException {
    long offset = handle[0];
    long size = handle[1];
    long end0 = limit > 0 ? limit : bytes.length - FOOTER_SIZE;
    if (offset < 0
        || size < 0
        || offset > end0
        || size > end0 - offset
        || BLOCK_TRAILER_SIZE > end0 - offset - size) {
      throw error(
          offset,
          what
              + " of "
              + size
              + " bytes at offset "
              + offset
              + " does not fit in the file ("
              + bytes.length
              + " bytes)");
    }
    int start = (int) offset;
    int end = (int) (offset + size);
    int type = bytes[end] & 0xFF;
    if (type != 0) {
      throw error(
          end,
          what
              + " uses compression type "
              + type
              + "; only uncompressed tables (type 0) are supported, as TensorFlow writes them");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, start, (int) size + 1);
    int expected = ByteBuffer.wrap(bytes, end + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int actual = mask((int) crc.getValue());
    if (actual != expected) {
      throw error(
          start,
          String.format(
              Locale.ROOT,
              "%s checksum mismatch: stored 0x%08x, computed 0x%08x",
              what,
              expected,
              actual));
    }
    if (size < 4) {
      throw error(start, what + " is " + size + " bytes, too short for its restart count");
    }
    long numRestarts =
        ByteBuffer.wrap(bytes, end - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    if (numRestarts > (size - 4) / 4) {
      throw error(
          end - 4,
          what
              + " claims "
              + numRestarts
              + " restart points, more than its "
              + size
              + " bytes hold");
    }
    int restartsStart = (int) (end - 4 - 4 * numRestarts);
    List<Entry> out = new ArrayList<>();
    Cursor c = new Cursor(start, restartsStart);
    byte[] lastKey = new byte[0];
    while (c.pos < c.limit) {
      int entryOffset = c.pos;
      long shared = c.varint32("shared key length");
      long unshared = c.varint32("unshared key length");
      long valueLength = c.varint32("value length");
      if (shared > lastKey.length) {
        throw error(
            entryOffset,
            "entry shares " + shared + " key bytes with a previous key of " + lastKey.length);
      }
      if (unshared > c.limit - c.pos || valueLength > c.limit - c.pos - unshared) {
        throw error(
            entryOffset,
            "entry claims "
                + unshared
                + " key and "
                + valueLength
                + " value bytes, but the block has "
                + (c.limit - c.pos)
                + " left");
      }
      long keyLength = shared + unshared;
      if (keyLength > MAX_KEY_BYTES) {
        throw error(
            entryOffset,
            "key of " + keyLength + " bytes, more than the " + MAX_KEY_BYTES + " accepted");
      }
      keyBytes += keyLength;
      if (keyBytes > keyBudget) {
        throw error(
            entryOffset,
            "keys expand to more than "
                + keyBudget
                + " bytes (the larger of 16 MiB and 8 times the file): shared prefixes out of"
                + " proportion to the file");
      }
      byte[] key = Arrays.copyOf(lastKey, (int) keyLength);
      System.arraycopy(bytes, c.pos, key, (int) shared, (int) unshared);
      c.pos += (int) unshared;
      int valueOffset = c.pos;
      c.pos += (int) valueLength;
      if (out.size() > 0 && Arrays.compareUnsigned(key, lastKey) <= 0) {
        throw error(
            entryOffset,
            (Arrays.equals(key, lastKey) ? "duplicate key " : "keys out of order: ")
                + printable(key)
                + (Arrays.equals(key, lastKey) ? "" : " after " + printable(lastKey)));
      }
      out.add(new Entry(key, entryOffset, valueOffset, (int) valueLength));
      lastKey = key;
    }
    return out;
  }

  /** A key for a message: quoted text when it is printable UTF-8, else Python-style bytes. */
  static String printable(byte[] key) {
    return PythonBytes.repr(key, 80);
  }

  /** LevelDB's CRC mask: rotate right by 15 bits and add a constant. */
  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  private CheckpointException error(long offset, String reason) {
    return new CheckpointException(file, offset, reason);
  }

  /** Reads varints between {@code pos} and {@code limit}. */
  private final class Cursor {
    int pos;
    final int limit;

    Cursor(int pos, int limit) {
      this.pos = pos;
      this.limit = limit;
    }

    long[] handle(String what) throws CheckpointException {
      return new long[] {varint64(what + " offset"), varint64(what + " size")};
    }

    long varint32(String what) throws CheckpointException {
      long v = varint64(what);
      if (v > 0xFFFFFFFFL) {
        throw error(pos, what + " " + v + " does not fit in 32 bits");
      }
      return v;
    }

    long varint64(String what) throws CheckpointException {
      long result = 0;
      int start = pos;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= limit) {
          throw error(start, "truncated varint (" + what + ")");
        }
        int b = bytes[pos++] & 0xFF;
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (result < 0) {
            throw error(start, what + " is negative or larger than 2^63");
          }
          return result;
        }
      }
      throw error(start, "varint longer than 10 bytes (" + what + ")");
    }
  }
}
