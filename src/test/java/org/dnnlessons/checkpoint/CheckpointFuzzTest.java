package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of seeded mutations of a real checkpoint's index and data files: whatever the damage,
 * the reader either reads or throws {@link CheckpointException}, never another exception and never
 * an allocation the files cannot back. Half of the index mutations recompute the blocks' checksums,
 * so the damage reaches the parser behind them.
 */
class CheckpointFuzzTest {

  private static final int ROUNDS = 3000;

  @TempDir Path dir;

  @Test
  void onlyCheckpointExceptionsEscape() throws Exception {
    Path source = PythonFixtures.ROOT.resolve("dtypes");
    byte[] index = Files.readAllBytes(source.resolve("model.ckpt.index"));
    byte[] data = Files.readAllBytes(source.resolve("model.ckpt.data-00000-of-00001"));
    int[][] blocks = blocks(index);
    Random random = new Random(20261128);
    Path prefix = dir.resolve("model.ckpt");
    int readable = 0;
    int rejected = 0;
    for (int round = 0; round < ROUNDS; round++) {
      boolean mutateIndex = round % 4 != 3;
      byte[] idx = mutateIndex ? mutate(index, random) : index;
      byte[] dat = mutateIndex ? data : mutate(data, random);
      if (mutateIndex && random.nextBoolean()) {
        fixChecksums(idx, blocks);
      }
      Files.write(Path.of(prefix + ".index"), idx);
      Files.write(Path.of(prefix + ".data-00000-of-00001"), dat);
      try {
        CheckpointReader reader = CheckpointReader.open(prefix);
        for (TensorInfo t : reader.tensors()) {
          try {
            reader.read(t.name()).format();
          } catch (CheckpointException e) {
            rejected++;
          }
        }
        readable++;
      } catch (CheckpointException e) {
        rejected++;
      } catch (Throwable t) {
        fail("round " + round + ": " + t + " escaped the reader", t);
      }
    }
    assertTrue(
        readable > 0 && rejected > ROUNDS / 2, readable + " readable, " + rejected + " rejected");
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(5)) {
      case 0 -> { // flip a few bits
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncate
      case 2 -> { // a huge varint or length somewhere
        int at = random.nextInt(b.length - 5);
        for (int i = 0; i < 5; i++) {
          b[at + i] = (byte) (i < 4 ? 0xFF : 0x7F);
        }
      }
      case 3 -> { // random bytes over a run
        int at = random.nextInt(b.length);
        for (int i = at; i < Math.min(b.length, at + 1 + random.nextInt(16)); i++) {
          b[i] = (byte) random.nextInt(256);
        }
      }
      default -> { // grow with garbage
        b = Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
        for (int i = original.length; i < b.length; i++) {
          b[i] = (byte) random.nextInt(256);
        }
      }
    }
    return b;
  }

  /** {offset, size} of the index block and every data block of a well-formed table. */
  private static int[][] blocks(byte[] table) {
    int footer = table.length - IndexTable.FOOTER_SIZE;
    int[] pos = {footer};
    varint(table, pos); // metaindex offset
    varint(table, pos); // metaindex size
    int indexOffset = (int) varint(table, pos);
    int indexSize = (int) varint(table, pos);
    java.util.List<int[]> out = new java.util.ArrayList<>();
    out.add(new int[] {indexOffset, indexSize});
    // the index block's values are the data block handles; entries start at the block start
    int numRestarts =
        ByteBuffer.wrap(table, indexOffset + indexSize - 4, 4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .getInt();
    int end = indexOffset + indexSize - 4 - 4 * numRestarts;
    int[] p = {indexOffset};
    while (p[0] < end) {
      varint(table, p); // shared
      int unshared = (int) varint(table, p);
      varint(table, p); // value length
      p[0] += unshared;
      int off = (int) varint(table, p);
      int size = (int) varint(table, p);
      out.add(new int[] {off, size});
    }
    return out.toArray(new int[0][]);
  }

  private static void fixChecksums(byte[] table, int[][] blocks) {
    for (int[] block : blocks) {
      int end = block[0] + block[1];
      if (end + 5 > table.length) {
        continue;
      }
      CRC32C crc = new CRC32C();
      crc.update(table, block[0], block[1] + 1);
      ByteBuffer.wrap(table, end + 1, 4)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(IndexTable.mask((int) crc.getValue()));
    }
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b[pos[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }
}
