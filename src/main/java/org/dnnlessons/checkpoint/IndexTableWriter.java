package org.dnnlessons.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds an {@code .index} table, the inverse of {@link IndexTable}: one data block holding every
 * entry (each entry a restart point, so no key shares a prefix with the one before), an empty
 * metaindex block, an index block pointing at the data block, and the footer. TensorFlow's table
 * reader and LevelDB's accept this layout; TensorFlow's own writer merely splits larger tables into
 * 256 KiB blocks and shares key prefixes.
 */
final class IndexTableWriter {

  private final List<byte[]> keys = new ArrayList<>();
  private final List<byte[]> values = new ArrayList<>();

  /**
   * Adds an entry; keys must come in strictly increasing unsigned byte order, as the table is
   * sorted.
   *
   * @throws IllegalArgumentException for a key not after the previous one
   */
  void add(byte[] key, byte[] value) {
    if (!keys.isEmpty() && Arrays.compareUnsigned(keys.get(keys.size() - 1), key) >= 0) {
      throw new IllegalArgumentException("table keys must be added in increasing order");
    }
    keys.add(key.clone());
    values.add(value.clone());
  }

  /** The whole table file. */
  byte[] finish() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] data = writeBlock(out, keys, values);
    long[] metaindex = writeBlock(out, List.of(), List.of());
    List<byte[]> indexValues = new ArrayList<>();
    ByteArrayOutputStream handle = new ByteArrayOutputStream();
    varint(handle, data[0]);
    varint(handle, data[1]);
    indexValues.add(handle.toByteArray());
    // the separator may be any key >= the block's last key: use that key (or "" when empty)
    byte[] lastKey = keys.isEmpty() ? new byte[0] : keys.get(keys.size() - 1);
    long[] index = writeBlock(out, List.of(lastKey), indexValues);
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    varint(footer, metaindex[0]);
    varint(footer, metaindex[1]);
    varint(footer, index[0]);
    varint(footer, index[1]);
    byte[] handles = Arrays.copyOf(footer.toByteArray(), IndexTable.FOOTER_SIZE - 8);
    out.writeBytes(handles);
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(IndexTable.MAGIC).array());
    return out.toByteArray();
  }

  /** Appends a block and its trailer; returns its handle {offset, size}. */
  private static long[] writeBlock(ByteArrayOutputStream out, List<byte[]> ks, List<byte[]> vs) {
    long offset = out.size();
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    List<Integer> restarts = new ArrayList<>();
    for (int i = 0; i < ks.size(); i++) {
      restarts.add(block.size());
      varint(block, 0);
      varint(block, ks.get(i).length);
      varint(block, vs.get(i).length);
      block.writeBytes(ks.get(i));
      block.writeBytes(vs.get(i));
    }
    if (restarts.isEmpty()) {
      restarts.add(0);
    }
    ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
    restarts.forEach(tail::putInt);
    tail.putInt(restarts.size());
    block.writeBytes(tail.array());
    byte[] contents = block.toByteArray();
    out.writeBytes(contents);
    CRC32C crc = new CRC32C();
    crc.update(contents);
    crc.update(0); // compression type: none
    out.write(0);
    out.writeBytes(
        ByteBuffer.allocate(4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(IndexTable.mask((int) crc.getValue()))
            .array());
    return new long[] {offset, contents.length};
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
