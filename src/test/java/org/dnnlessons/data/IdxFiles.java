package org.dnnlessons.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Crafts IDX files, good and bad, for the tests. */
final class IdxFiles {

  private IdxFiles() {}

  static byte[] header(int... ints) {
    ByteBuffer b = ByteBuffer.allocate(4 * ints.length);
    for (int i : ints) {
      b.putInt(i);
    }
    return b.array();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  static byte[] images(int count, int rows, int cols, byte fill) {
    byte[] px = new byte[count * rows * cols];
    java.util.Arrays.fill(px, fill);
    return concat(header(IdxReader.IMAGES_MAGIC, count, rows, cols), px);
  }

  static byte[] labels(byte... labels) {
    return concat(header(IdxReader.LABELS_MAGIC, labels.length), labels);
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  /** Writes a tiny MNIST-format set: {@code n} training and {@code m} test 2x2 images. */
  static void writeSet(Path dir, int n, int m) throws IOException {
    byte[] trainPixels = new byte[n * 4];
    byte[] trainLabels = new byte[n];
    for (int i = 0; i < n; i++) {
      trainPixels[4 * i] = (byte) i; // image i starts with the byte i, to trace examples
      trainLabels[i] = (byte) (i % 10);
    }
    byte[] testPixels = new byte[m * 4];
    byte[] testLabels = new byte[m];
    for (int i = 0; i < m; i++) {
      testLabels[i] = (byte) ((i + 3) % 10);
    }
    IdxWriter.writeImages(
        dir.resolve(DataSource.TRAIN_IMAGES + ".gz"), new IdxImages(n, 2, 2, trainPixels));
    IdxWriter.writeLabels(dir.resolve(DataSource.TRAIN_LABELS + ".gz"), trainLabels);
    IdxWriter.writeImages(
        dir.resolve(DataSource.TEST_IMAGES + ".gz"), new IdxImages(m, 2, 2, testPixels));
    IdxWriter.writeLabels(dir.resolve(DataSource.TEST_LABELS + ".gz"), testLabels);
  }
}
