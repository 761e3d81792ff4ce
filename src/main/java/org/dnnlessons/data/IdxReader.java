package org.dnnlessons.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.io.input.BoundedInputStream;
import org.dnnlessons.files.Messages;

/**
 * Reads the IDX files MNIST and Fashion-MNIST come in, gzip-compressed or raw (detected from the
 * first two bytes, not the file name).
 *
 * <p>An idx3 image file starts with the magic number 2051, the image count, rows and columns; an
 * idx1 label file with 2049 and the label count; all big-endian 32-bit integers, followed by one
 * unsigned byte per pixel or label. Everything is checked: the magic, positive dimensions, labels
 * 0-9, and a length exactly what the header claims.
 *
 * <p>Memory stays bounded whatever the file says. The header's product {@code count x rows x
 * columns} is computed without overflow and must be at most the payload limit ({@link
 * #defaultPayloadLimit()}: an eighth of the JVM's maximum heap, at most 2 GiB) before anything is
 * allocated; a raw file must be exactly as long as its header claims, and a gzip file cannot claim
 * more than deflate's 1032:1 ratio allows; the decompressed stream is cut off after the header and
 * the limit ({@link BoundedInputStream}), so a small gzip file that expands to gigabytes is refused
 * after reading at most the limit. Data that is neither gzip nor IDX (an HTML error page saved
 * under the file's name) is named as such.
 *
 * <p>Every failure is a {@link DatasetException} naming the file, the offset when there is one and
 * the reason, e.g. {@code train-images-idx3-ubyte.gz: header at offset 4: image count x rows x
 * columns = 100000000 x 28 x 28 = 78400000000 bytes, more than the payload limit of 768 MiB}.
 */
public final class IdxReader {

  /** Magic number of an idx3 file of unsigned bytes (images). */
  public static final int IMAGES_MAGIC = 2051;

  /** Magic number of an idx1 file of unsigned bytes (labels). */
  public static final int LABELS_MAGIC = 2049;

  /** The number of classes MNIST-style labels may name: 0 to 9. */
  public static final int NUM_CLASSES = 10;

  /** The largest payload accepted on any JVM, 2 GiB minus a little: Java arrays stop there. */
  static final long MAX_PAYLOAD = Integer.MAX_VALUE - 16;

  /** The most bytes read after the claimed data before a file is called too long. */
  static final int TRAILING_PROBE = 1 << 20;

  /** The most a deflate stream can expand: 1032 output bytes per input byte (RFC 1951 limits). */
  static final long MAX_DEFLATE_RATIO = 1032;

  private static final int IMAGES_HEADER = 16;
  private static final int LABELS_HEADER = 8;

  // Buffers of gzip data grow as data arrives beyond this size, so a lying header cannot allocate
  // more than the data really holds.
  private static final int EAGER_ALLOCATION_LIMIT = 64 << 20;

  private IdxReader() {}

  /**
   * The payload limit used when none is given: an eighth of the JVM's maximum heap ({@code -Xmx}),
   * and at most 2 GiB (a Java array). The data sets keep the bytes, copy the training file into two
   * splits and turn batches into 4-byte floats, so one file may take only a part of the heap. With
   * the default heap of a 16 GB machine (4 GiB) this is 512 MiB; full MNIST's training images take
   * 47 MB.
   *
   * @return the limit in bytes: an eighth of {@code Runtime.maxMemory()}, at most 2 GiB minus 16
   *     bytes
   */
  public static long defaultPayloadLimit() {
    return Math.min(MAX_PAYLOAD, Runtime.getRuntime().maxMemory() / 8);
  }

  /**
   * Reads an idx3 image file with the {@linkplain #defaultPayloadLimit() default limit}.
   *
   * @param file an idx3 file, gzip-compressed or raw
   * @return the images, as stored
   * @throws DatasetException one line naming the file: bad magic number, sizes that disagree or
   *     exceed the limit, truncated data
   */
  public static IdxImages readImages(Path file) throws DatasetException {
    return readImages(file, defaultPayloadLimit());
  }

  /**
   * Reads an idx3 image file.
   *
   * @param payloadLimit the most pixel bytes accepted
   * @param file an idx3 file, gzip-compressed or raw
   * @return the images, as stored
   * @throws DatasetException one line naming the file: bad magic number, sizes that disagree or
   *     exceed {@code payloadLimit}, truncated data
   */
  public static IdxImages readImages(Path file, long payloadLimit) throws DatasetException {
    try (InputStream in = open(file)) {
      return readImages(in, file.toString(), size(file), payloadLimit);
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads idx1 labels (each 0-9) from a file with the default limit.
   *
   * @param file an idx1 file, gzip-compressed or raw
   * @return one class id 0-9 per example
   * @throws DatasetException one line naming the file: bad magic number, a label outside 0-9, a
   *     count over the limit, truncated data
   */
  public static byte[] readLabels(Path file) throws DatasetException {
    return readLabels(file, defaultPayloadLimit());
  }

  /**
   * Reads idx1 labels (each 0-9) from a file.
   *
   * @param payloadLimit the most labels accepted
   * @param file an idx1 file, gzip-compressed or raw
   * @return one class id 0-9 per example
   * @throws DatasetException one line naming the file: bad magic number, a label outside 0-9, more
   *     than {@code payloadLimit} labels, truncated data
   */
  public static byte[] readLabels(Path file, long payloadLimit) throws DatasetException {
    try (InputStream in = open(file)) {
      return readLabels(in, file.toString(), size(file), payloadLimit);
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an idx3 image file from a stream of unknown length, gzip-compressed or raw, with the
   * default limit.
   *
   * @param name how to name the source in error messages
   * @param raw the file's bytes; not closed here
   * @return the images, as stored
   * @throws DatasetException one line naming {@code name}: bad magic number, sizes that disagree or
   *     exceed the limit, truncated data
   */
  public static IdxImages readImages(InputStream raw, String name) throws DatasetException {
    return readImages(raw, name, -1, defaultPayloadLimit());
  }

  /**
   * Reads an idx3 image file from a stream, gzip-compressed or raw.
   *
   * @param name how to name the source in error messages
   * @param size the stream's length in bytes (compressed, if it is gzip), or -1 when unknown
   * @param payloadLimit the most pixel bytes accepted
   * @param raw the file's bytes; not closed here
   * @return the images, as stored
   * @throws DatasetException one line naming {@code name}: bad magic number, sizes that disagree
   *     with {@code size} or exceed {@code payloadLimit}, truncated data
   */
  public static IdxImages readImages(InputStream raw, String name, long size, long payloadLimit)
      throws DatasetException {
    try (Decoded d = decode(raw, name, size, IMAGES_HEADER, payloadLimit)) {
      InputStream in = d.in();
      int magic = readHeaderInt(in, name, 0, "the magic number");
      if (magic != IMAGES_MAGIC) {
        throw new DatasetException(
            name,
            "offset 0: expected magic number "
                + IMAGES_MAGIC
                + " (idx3 images), found "
                + magic
                + describeMagic(magic));
      }
      int count = readDimension(in, name, 4, "image count", true);
      int rows = readDimension(in, name, 8, "rows", false);
      int columns = readDimension(in, name, 12, "columns", false);
      String what = "header at offset 4: image count x rows x columns";
      long payload = CheckedSizes.product(name, what, count, rows, columns);
      CheckedSizes.arrayLength(
          name,
          "header at offset 8: rows x columns",
          CheckedSizes.multiply(name, "header at offset 8: rows x columns", rows, columns));
      checkClaim(
          name,
          size,
          d.gzip(),
          IMAGES_HEADER,
          payload,
          payloadLimit,
          what + " = " + count + " x " + rows + " x " + columns + " = " + payload + " bytes");
      byte[] pixels = readPayload(in, name, (int) payload, IMAGES_HEADER);
      return new IdxImages(count, rows, columns, pixels);
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(name, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads idx1 labels from a stream of unknown length, gzip-compressed or raw, with the default
   * limit; each must be 0-9.
   *
   * @param name how to name the source in error messages
   * @param raw the file's bytes; not closed here
   * @return one class id 0-9 per example
   * @throws DatasetException one line naming {@code name}: bad magic number, a label outside 0-9, a
   *     count over the limit, truncated data
   */
  public static byte[] readLabels(InputStream raw, String name) throws DatasetException {
    return readLabels(raw, name, -1, defaultPayloadLimit());
  }

  /**
   * Reads idx1 labels from a stream, gzip-compressed or raw; each must be 0-9.
   *
   * @param name how to name the source in error messages
   * @param size the stream's length in bytes (compressed, if it is gzip), or -1 when unknown
   * @param payloadLimit the most labels accepted
   * @param raw the file's bytes; not closed here
   * @return one class id 0-9 per example
   * @throws DatasetException one line naming {@code name}: bad magic number, a label outside 0-9,
   *     more than {@code payloadLimit} labels, truncated data
   */
  public static byte[] readLabels(InputStream raw, String name, long size, long payloadLimit)
      throws DatasetException {
    try (Decoded d = decode(raw, name, size, LABELS_HEADER, payloadLimit)) {
      InputStream in = d.in();
      int magic = readHeaderInt(in, name, 0, "the magic number");
      if (magic != LABELS_MAGIC) {
        throw new DatasetException(
            name,
            "offset 0: expected magic number "
                + LABELS_MAGIC
                + " (idx1 labels), found "
                + magic
                + describeMagic(magic));
      }
      int count = readDimension(in, name, 4, "label count", true);
      checkClaim(
          name,
          size,
          d.gzip(),
          LABELS_HEADER,
          count,
          payloadLimit,
          "header at offset 4: label count = " + count + " bytes");
      byte[] labels = readPayload(in, name, count, LABELS_HEADER);
      for (int i = 0; i < labels.length; i++) {
        if ((labels[i] & 0xFF) >= NUM_CLASSES) {
          throw new DatasetException(
              name,
              "label "
                  + i
                  + " (byte offset "
                  + (LABELS_HEADER + i)
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

  private static long size(Path file) throws DatasetException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot read its size: " + e.getMessage(), e);
    }
  }

  /**
   * The claimed payload against the limit and, when the file's length is known, against what the
   * file can hold: exactly its length for raw data, 1032 times it for gzip.
   */
  private static void checkClaim(
      String name, long size, boolean gzip, int header, long payload, long limit, String claim)
      throws DatasetException {
    if (payload > limit) {
      throw new DatasetException(
          name,
          claim
              + ", more than the payload limit of "
              + Messages.bytes(limit)
              + " ("
              + limit
              + " bytes"
              + (limit == defaultPayloadLimit() && limit < MAX_PAYLOAD
                  ? ", an eighth of this JVM's maximum heap; raise it with -Xmx"
                  : "")
              + ")");
    }
    long total = header + payload;
    if (size >= 0 && !gzip && total != size) {
      throw new DatasetException(
          name,
          total > size
              ? "truncated: header claims "
                  + payload
                  + " data bytes ("
                  + total
                  + " bytes in all), found "
                  + (size - header)
              : "offset "
                  + total
                  + ": expected "
                  + total
                  + " bytes as the header claims, found "
                  + (size - total)
                  + " bytes more");
    }
    if (size >= 0
        && gzip
        && total > CheckedSizes.multiply(name, "file size", size, MAX_DEFLATE_RATIO)) {
      throw new DatasetException(
          name,
          "truncated: header claims "
              + payload
              + " data bytes ("
              + total
              + " bytes in all), more than "
              + size
              + " bytes of gzip data can expand to ("
              + MAX_DEFLATE_RATIO
              + " times as much)");
    }
  }

  /** A file's data, decompressed when it is gzip. */
  private record Decoded(InputStream in, boolean gzip) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The stream's data, decompressed when it is gzip, and bounded by header + limit + probe. */
  private static Decoded decode(
      InputStream raw, String name, long size, int header, long payloadLimit) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    byte[] start = new byte[32];
    in.mark(start.length);
    int n = in.readNBytes(start, 0, start.length);
    in.reset();
    if (n == 0) {
      throw new DatasetException(name, "empty file, expected an IDX header");
    }
    boolean gzip = n >= 2 && (start[0] & 0xFF) == 0x1f && (start[1] & 0xFF) == 0x8b;
    InputStream data = in;
    if (gzip) {
      try {
        data = new GZIPInputStream(in, 1 << 16);
      } catch (ZipException | EOFException e) {
        throw new DatasetException(name, "not a valid gzip stream: " + gzipProblem(e), e);
      }
    } else if (n < 2 || start[0] != 0 || start[1] != 0) {
      // every IDX magic number starts with two zero bytes
      throw new DatasetException(
          name,
          (name.endsWith(".gz") ? "not gzip data" : "neither gzip nor IDX data")
              + ": starts with "
              + describeStart(Arrays.copyOf(start, n))
              + "; expected gzip (1f 8b) or an IDX header (00 00 08 ..)");
    }
    long max = header + payloadLimit + TRAILING_PROBE;
    return new Decoded(
        BoundedInputStream.builder()
            .setInputStream(data)
            .setMaxCount(max)
            .setOnMaxCount(
                (limit, count) -> {
                  throw new DatasetException(
                      name,
                      (gzip ? "decompresses to" : "holds")
                          + " more than "
                          + count
                          + " bytes, more than an IDX file within the payload limit of "
                          + Messages.bytes(payloadLimit)
                          + " can hold");
                })
            .get(),
        gzip);
  }

  private static int readHeaderInt(InputStream in, String name, int offset, String what)
      throws IOException {
    byte[] b = new byte[4];
    int n = readFully(in, b, 0, 4, name);
    if (n < 4) {
      throw new DatasetException(
          name,
          (n == 0 && offset == 0
              ? "empty file, expected an IDX header"
              : "truncated header: cannot read " + what + " at offset " + offset));
    }
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  private static int readDimension(
      InputStream in, String name, int offset, String what, boolean zeroAllowed)
      throws IOException {
    int value = readHeaderInt(in, name, offset, what);
    if (value < 0 || (!zeroAllowed && value == 0)) {
      throw new DatasetException(
          name,
          "header at offset "
              + offset
              + " gives "
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
    long total = headerSize + (long) length;
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
              + total
              + " bytes in all), found "
              + filled);
    }
    int extra = 0;
    byte[] probe = new byte[4096];
    int n;
    while ((n = readFully(in, probe, 0, probe.length, name)) > 0) {
      extra += n;
      if (extra > TRAILING_PROBE) {
        break;
      }
    }
    if (extra > 0) {
      throw new DatasetException(
          name,
          "offset "
              + total
              + ": expected "
              + total
              + " bytes as the header claims, found "
              + (extra > TRAILING_PROBE ? "more than 1 MiB" : extra + " bytes")
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
        throw new DatasetException(name, "corrupt or truncated gzip data: " + gzipProblem(e), e);
      }
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** What zlib said, as a user's words: Java's messages may be null or start "Unexpected". */
  static String gzipProblem(IOException e) {
    if (e instanceof EOFException) {
      return "the compressed data ends early";
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "the compressed data is damaged";
    }
    return m.replace("Unexpected end of", "early end of")
        .replace("Not in GZIP format", "no gzip header");
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

  /** The first bytes as text when they are text, else as hex. */
  static String describeStart(byte[] start) {
    boolean text = true;
    for (byte b : start) {
      int c = b & 0xFF;
      if (!(c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f))) {
        text = false;
        break;
      }
    }
    if (text) {
      String s = new String(start, StandardCharsets.US_ASCII).strip();
      String shown = s.length() > 24 ? s.substring(0, 24) + "..." : s;
      String lower = s.toLowerCase(Locale.ROOT);
      boolean html =
          lower.startsWith("<!doctype html")
              || lower.startsWith("<html")
              || lower.contains("<head")
              || lower.contains("<body");
      return "the text '"
          + shown.replaceAll("\\s+", " ")
          + "'"
          + (html ? " (an HTML page, e.g. an error page saved in place of the file)" : "");
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(start.length, 8); i++) {
      hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", start[i] & 0xFF));
    }
    return "the bytes " + hex;
  }
}
