package org.dnnlessons.benchdjl;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The embedded digits as {@code bench_peers.Data} reads them: {@code data/mnist}'s training files,
 * pixels as numpy's {@code uint8 -> float32 * float32(1/255)}, the first 1,000 images held out for
 * validation, the rest the training split.
 *
 * @param trainImages [trainCount * 784] floats in [0, 1]
 * @param trainLabels [trainCount] classes 0-9
 * @param validationImages [validationCount * 784]
 * @param validationLabels [validationCount]
 */
record Digits(
    float[] trainImages, long[] trainLabels, float[] validationImages, long[] validationLabels) {

  static final int PIXELS = 784;
  static final int VALIDATION = 1000;

  int trainCount() {
    return trainLabels.length;
  }

  int validationCount() {
    return validationLabels.length;
  }

  /**
   * Reads {@code train-images-idx3-ubyte.gz} and {@code train-labels-idx1-ubyte.gz} in {@code dir}.
   *
   * @throws IOException naming the file and what was expected, when it is missing or not such a
   *     file
   */
  static Digits read(Path dir) throws IOException {
    Path imageFile = dir.resolve("train-images-idx3-ubyte.gz");
    Path labelFile = dir.resolve("train-labels-idx1-ubyte.gz");
    byte[] pixels = idx(imageFile, 0x803, 3);
    byte[] labels = idx(labelFile, 0x801, 1);
    int n = labels.length;
    if ((long) n * PIXELS != pixels.length || n <= VALIDATION) {
      throw new IOException(
          imageFile
              + ": expected "
              + n
              + " images of 28x28 (as its labels), more than "
              + VALIDATION);
    }
    float scale = (float) (1.0 / 255.0);
    float[] floats = new float[pixels.length];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) (pixels[i] & 0xff) * scale;
    }
    long[] classes = new long[n];
    for (int i = 0; i < n; i++) {
      classes[i] = labels[i] & 0xff;
      if (classes[i] > 9) {
        throw new IOException(labelFile + ": label " + classes[i] + " at " + i + ", expected 0-9");
      }
    }
    int split = VALIDATION * PIXELS;
    return new Digits(
        java.util.Arrays.copyOfRange(floats, split, floats.length),
        java.util.Arrays.copyOfRange(classes, VALIDATION, n),
        java.util.Arrays.copyOf(floats, split),
        java.util.Arrays.copyOf(classes, VALIDATION));
  }

  /** The payload of an IDX file of {@code dims} dimensions (28x28 images or labels). */
  private static byte[] idx(Path file, int magic, int dims) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": missing (expected the MNIST training files of data/mnist)");
    }
    try (InputStream raw = new GZIPInputStream(Files.newInputStream(file));
        DataInputStream in = new DataInputStream(raw)) {
      int m = in.readInt();
      if (m != magic) {
        throw new IOException(
            file
                + ": expected an IDX file of "
                + dims
                + " dimensions, found magic 0x"
                + Integer.toHexString(m));
      }
      long size = 1;
      int count = in.readInt();
      size *= count;
      for (int d = 1; d < dims; d++) {
        int extent = in.readInt();
        if (extent != 28) {
          throw new IOException(file + ": expected 28x28 images, found a side of " + extent);
        }
        size *= extent;
      }
      if (count < 0 || size > Integer.MAX_VALUE - 8) {
        throw new IOException(file + ": " + count + " entries, expected at most 2^31 bytes");
      }
      byte[] out = new byte[(int) size];
      in.readFully(out);
      return out;
    } catch (java.io.EOFException e) {
      throw new IOException(file + ": ends before its header's count of entries", e);
    }
  }
}
