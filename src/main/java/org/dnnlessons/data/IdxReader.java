package org.dnnlessons.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files MNIST and Fashion-MNIST come in, gzip-compressed or raw (detected from the
 * first two bytes, not the file name).
 *
 * <p>An idx3 image file starts with the magic number 2051, the image count, rows and columns; an
 * idx1 label file with 2049 and the label count; all big-endian 32-bit integers, followed by one
 * unsigned byte per pixel or label. Everything is checked: the magic, positive dimensions, labels
 * 0-9, and a length exactly what the header claims. A header that claims more data than the file
 * holds is reported as truncation without allocating what it claims. Every failure is a {@link
 * DatasetException} naming the file.
 */
public final class IdxReader {

  /** Magic number of an idx3 file of unsigned bytes (images). */
  public static final int IMAGES_MAGIC = 2051;

  /** Magic number of an idx1 file of unsigned bytes (labels). */
  public static final int LABELS_MAGIC = 2049;

  /** The number of classes MNIST-style labels may name: 0 to 9. */
  public static final int NUM_CLASSES = 10;

  /** The largest payload accepted, 2 GiB minus a little: Java arrays stop there. */
  static final long MAX_PAYLOAD = Integer.MAX_VALUE - 16;

  // Buffers grow as data arrives beyond this size, so a lying header cannot allocate gigabytes.
  private static final int EAGER_ALLOCATION_LIMIT = 64 << 20;

  private IdxReader() {}

  /** Reads an idx3 image file. */
  public static IdxImages readImages(Path file) throws DatasetException {
    try (InputStream in = open(file)) {
      return readImages(in, file.toString());
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads idx1 labels (each 0-9) from a file. */
  public static byte[] readLabels(Path file) throws DatasetException {
    try (InputStream in = open(file)) {
      return readLabels(in, file.toString());
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an idx3 image file from a stream, gzip-compressed or raw.
   *
   * @param name how to name the source in error messages
   */
  public static IdxImages readImages(InputStream raw, String name) throws DatasetException {
    try (InputStream in = decompressIfGzip(raw, name)) {
      int magic = readHeaderInt(in, name, "the magic number");
      if (magic != IMAGES_MAGIC) {
        throw new DatasetException(
            name,
            "expected magic number "
                + IMAGES_MAGIC
                + " (idx3 images), found "
                + magic
                + describeMagic(magic));
      }
      int count = readDimension(in, name, "image count", true);
      int rows = readDimension(in, name, "rows", false);
      int columns = readDimension(in, name, "columns", false);
      long payload = (long) count * rows * columns;
      if (payload > MAX_PAYLOAD) {
        throw new DatasetException(
            name,
            "header claims "
                + count
                + " images of "
                + rows
                + "x"
                + columns
                + " = "
                + payload
                + " bytes, more than the 2 GiB this reader accepts");
      }
      byte[] pixels = readPayload(in, name, (int) payload, 16);
      return new IdxImages(count, rows, columns, pixels);
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(name, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads idx1 labels from a stream, gzip-compressed or raw; each must be 0-9.
   *
   * @param name how to name the source in error messages
   */
  public static byte[] readLabels(InputStream raw, String name) throws DatasetException {
    try (InputStream in = decompressIfGzip(raw, name)) {
      int magic = readHeaderInt(in, name, "the magic number");
      if (magic != LABELS_MAGIC) {
        throw new DatasetException(
            name,
            "expected magic number "
                + LABELS_MAGIC
                + " (idx1 labels), found "
                + magic
                + describeMagic(magic));
      }
      int count = readDimension(in, name, "label count", true);
      byte[] labels = readPayload(in, name, count, 8);
      for (int i = 0; i < labels.length; i++) {
        if ((labels[i] & 0xFF) >= NUM_CLASSES) {
          throw new DatasetException(
              name,
              "label "
                  + i
                  + " (byte offset "
                  + (8 + i)
                  + ") is "
                  + (labels[i] & 0xFF)
                  + ", expected a class 0-9");
        }
      }
      return labels;
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(name, "cannot read: " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file) throws DatasetException {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file.toString(), "no such file");
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot open: " + e.getMessage(), e);
    }
  }

  private static InputStream decompressIfGzip(InputStream raw, String name) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 < 0) {
      throw new DatasetException(name, "empty file, expected an IDX header");
    }
    if (b0 == 0x1f && b1 == 0x8b) {
      try {
        return new GZIPInputStream(in, 1 << 16);
      } catch (ZipException | EOFException e) {
        throw new DatasetException(name, "not a valid gzip stream: " + e.getMessage(), e);
      }
    }
    return in;
  }

  private static int readHeaderInt(InputStream in, String name, String what) throws IOException {
    byte[] b = new byte[4];
    int n = readFully(in, b, 0, 4, name);
    if (n < 4) {
      throw new DatasetException(
          name,
          (n == 0 && what.equals("the magic number")
              ? "empty file, expected an IDX header"
              : "truncated header: cannot read " + what));
    }
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  private static int readDimension(InputStream in, String name, String what, boolean zeroAllowed)
      throws IOException {
    int value = readHeaderInt(in, name, what);
    if (value < 0 || (!zeroAllowed && value == 0)) {
      throw new DatasetException(
          name,
          "header gives "
              + what
              + " "
              + value
              + ", expected "
              + (zeroAllowed ? "0 or more" : "a positive number"));
    }
    return value;
  }

  private static byte[] readPayload(InputStream in, String name, int length, int headerSize)
      throws IOException {
    byte[] data = new byte[Math.min(length, EAGER_ALLOCATION_LIMIT)];
    int filled = 0;
    while (filled < length) {
      if (filled == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
      }
      int n = readFully(in, data, filled, data.length - filled, name);
      filled += n;
      if (filled < data.length) {
        break; // end of stream
      }
    }
    if (filled < length) {
      throw new DatasetException(
          name,
          "truncated: header claims "
              + length
              + " data bytes ("
              + (headerSize + (long) length)
              + " bytes in all), found "
              + filled);
    }
    int extra = 0;
    byte[] probe = new byte[4096];
    int n;
    while ((n = readQuietly(in, probe, name)) > 0) {
      extra += n;
      if (extra > (1 << 20)) {
        break;
      }
    }
    if (extra > 0) {
      throw new DatasetException(
          name,
          "expected "
              + (headerSize + (long) length)
              + " bytes as the header claims, found "
              + (extra > (1 << 20) ? "more than 1 MiB" : extra + " bytes")
              + " more");
    }
    return data;
  }

  private static int readFully(InputStream in, byte[] b, int off, int len, String name)
      throws IOException {
    int total = 0;
    while (total < len) {
      int n;
      try {
        n = in.read(b, off + total, len - total);
      } catch (ZipException | EOFException e) {
        throw new DatasetException(name, "corrupt or truncated gzip data: " + e.getMessage(), e);
      }
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static int readQuietly(InputStream in, byte[] b, String name) throws IOException {
    return readFully(in, b, 0, b.length, name);
  }

  private static String describeMagic(int magic) {
    if (magic == IMAGES_MAGIC) {
      return " (this is an image file)";
    }
    if (magic == LABELS_MAGIC) {
      return " (this is a label file)";
    }
    return "";
  }
}
