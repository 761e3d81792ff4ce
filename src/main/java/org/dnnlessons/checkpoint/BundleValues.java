package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The stored bytes of one tensor (or one slice) in a V2 bundle's data shard: {@code size} bytes at
 * {@code offset}, with the masked CRC32C its entry records. The reader checked, when it opened,
 * that the range lies inside the shard and that the size agrees with the shape and dtype.
 *
 * @param shard the data file
 * @param entry the tensor's entry
 */
record BundleValues(Path shard, BundleEntry entry) implements StoredValues {

  /** The element bytes of a fixed-size tensor, checksum verified. */
  @Override
  public byte[] bytes(String name) throws CheckpointException {
    if (entry.size() > CheckpointReader.MAX_ARRAY_BYTES) {
      throw new CheckpointException(
          shard,
          entry.offset(),
          "tensor '"
              + name
              + "' is "
              + entry.size()
              + " bytes, more than the 2 GiB a Java array holds");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) entry.size());
    read(name, buffer);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, buffer.capacity());
    checkCrc(name, (int) crc.getValue());
    return buffer.array();
  }

  /**
   * Reads the element bytes into {@code target} (exactly {@code size} remaining) and checks them.
   */
  @Override
  public void readInto(String name, ByteBuffer target) throws CheckpointException {
    int start = target.position();
    read(name, target);
    CRC32C crc = new CRC32C();
    crc.update(target.duplicate().position(start).limit(target.position()));
    checkCrc(name, (int) crc.getValue());
  }

  /** Bytes per chunk when a tensor is streamed: a multiple of every element size. */
  static final int CHUNK_BYTES = 8 << 20;

  @Override
  public void verify(String name) throws CheckpointException {
    CRC32C crc = new CRC32C();
    chunks(name, chunk -> crc.update(chunk));
    checkCrc(name, (int) crc.getValue());
  }

  @Override
  public void stream(String name, Chunks out) throws CheckpointException {
    chunks(name, out);
  }

  /** Reads the range a chunk at a time into one reused buffer. */
  private void chunks(String name, Chunks out) throws CheckpointException {
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
      CheckpointReader.checkRange(shard, ch.size(), entry.offset(), entry.size(), name);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, entry.size()));
      long position = entry.offset();
      long end = entry.offset() + entry.size();
      while (position < end) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
        while (buffer.hasRemaining()) {
          int n = ch.read(buffer, position + buffer.position());
          if (n < 0) {
            throw new CheckpointException(shard, position, "file ended early");
          }
        }
        position += buffer.position();
        out.accept(buffer.flip());
      }
    } catch (NoSuchFileException e) {
      throw new CheckpointException(shard, CheckpointException.NO_OFFSET, "no such file");
    } catch (IOException e) {
      throw new CheckpointException(shard, entry.offset(), "cannot read: " + e.getMessage(), e);
    }
  }

  /** DT_STRING: varint64 lengths, their masked CRC32C, then the bytes of every string. */
  @Override
  public List<byte[]> strings(String name, long n) throws CheckpointException {
    byte[] bytes = bytes0(name);
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
      byte[] s = Arrays.copyOfRange(bytes, pos, pos + (int) lengths[i]);
      crc.update(s, 0, s.length);
      pos += s.length;
      out.add(s);
    }
    checkCrc(name, (int) crc.getValue());
    return List.copyOf(out);
  }

  private byte[] bytes0(String name) throws CheckpointException {
    if (entry.size() > CheckpointReader.MAX_ARRAY_BYTES) {
      throw new CheckpointException(
          shard,
          entry.offset(),
          "string tensor '"
              + name
              + "' is "
              + entry.size()
              + " bytes, more than the 2 GiB a Java array holds");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) entry.size());
    read(name, buffer);
    return buffer.array();
  }

  private void checkCrc(String name, int crc) throws CheckpointException {
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

  /** Reads the entry's range into {@code buffer}, which has exactly {@code size} bytes left. */
  private void read(String name, ByteBuffer buffer) throws CheckpointException {
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
      CheckpointReader.checkRange(shard, ch.size(), entry.offset(), entry.size(), name);
      long position = entry.offset();
      while (buffer.hasRemaining()) {
        int n = ch.read(buffer, position);
        if (n < 0) {
          throw new CheckpointException(shard, position, "file ended early");
        }
        position += n;
      }
    } catch (NoSuchFileException e) {
      throw new CheckpointException(shard, CheckpointException.NO_OFFSET, "no such file");
    } catch (IOException e) {
      throw new CheckpointException(shard, entry.offset(), "cannot read: " + e.getMessage(), e);
    }
  }
}
