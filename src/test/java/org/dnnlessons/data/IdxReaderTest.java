package org.dnnlessons.data;

import static org.dnnlessons.data.IdxFiles.concat;
import static org.dnnlessons.data.IdxFiles.gzip;
import static org.dnnlessons.data.IdxFiles.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Good and crafted-bad IDX files, raw and gzip-compressed: every failure names the problem. */
class IdxReaderTest {

  @TempDir Path dir;

  private Path file(String name, byte[] raw, boolean gz) throws IOException {
    return IdxFiles.write(dir, name, gz ? gzip(raw) : raw);
  }

  private String imagesError(byte[] raw, boolean gz) throws IOException {
    Path p = file("images", raw, gz);
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
    assertEquals(p.toString(), e.source());
    return e.reason();
  }

  private String labelsError(byte[] raw, boolean gz) throws IOException {
    Path p = file("labels", raw, gz);
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(p));
    assertEquals(p.toString(), e.source());
    return e.reason();
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void readsAGoodImageAndLabelFile(boolean gz) throws IOException {
    IdxImages images = IdxReader.readImages(file("i", IdxFiles.images(3, 2, 5, (byte) 200), gz));
    assertEquals(3, images.count());
    assertEquals(2, images.rows());
    assertEquals(5, images.columns());
    assertEquals(200, images.pixel(2, 1, 4));
    byte[] labels = IdxReader.readLabels(file("l", IdxFiles.labels((byte) 0, (byte) 9), gz));
    assertArrayEquals(new byte[] {0, 9}, labels);
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void wrongMagicIsNamed(boolean gz) throws IOException {
    assertEquals(
        "offset 0: expected magic number 2051 (idx3 images), found 2049 (this is a label file)",
        imagesError(IdxFiles.labels((byte) 1), gz));
    assertEquals(
        "offset 0: expected magic number 2049 (idx1 labels), found 7",
        labelsError(header(7, 0), gz));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void emptyFileIsNamed(boolean gz) throws IOException {
    assertEquals("empty file, expected an IDX header", imagesError(new byte[0], gz));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void truncatedHeaderAndPayloadAreNamed(boolean gz) throws IOException {
    assertEquals(
        "truncated header: cannot read rows at offset 8",
        imagesError(header(IdxReader.IMAGES_MAGIC, 1), gz));
    byte[] full = IdxFiles.images(2, 2, 2, (byte) 1);
    assertEquals(
        "truncated: header claims 8 data bytes (24 bytes in all), found 5",
        imagesError(Arrays.copyOf(full, full.length - 3), gz));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void trailingBytesAreNamed(boolean gz) throws IOException {
    assertEquals(
        "offset 10: expected 10 bytes as the header claims, found 2 bytes more",
        labelsError(concat(IdxFiles.labels((byte) 1, (byte) 2), new byte[2]), gz));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void labelTenIsNamedWithItsPosition(boolean gz) throws IOException {
    assertEquals(
        "label 2 (byte offset 10) is 10, expected a class 0-9",
        labelsError(IdxFiles.labels((byte) 1, (byte) 2, (byte) 10), gz));
  }

  @Test
  void zeroOrNegativeDimensionsAreNamed() throws IOException {
    assertEquals(
        "header at offset 8 gives rows 0, expected a positive number",
        imagesError(header(IdxReader.IMAGES_MAGIC, 1, 0, 28), false));
    assertEquals(
        "header at offset 4 gives image count -5, expected 0 or more",
        imagesError(header(IdxReader.IMAGES_MAGIC, -5, 28, 28), false));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void hugeHeaderIsRejectedWithoutAllocatingIt(boolean gz) throws IOException {
    // 100 million 28x28 images would be 78 GB: refused from the header alone.
    String reason = imagesError(header(IdxReader.IMAGES_MAGIC, 100_000_000, 28, 28), gz);
    assertTrue(
        reason.startsWith(
            "header at offset 4: image count x rows x columns = 100000000 x 28 x 28 ="
                + " 78400000000 bytes, more than the payload limit of "),
        reason);
    // 2.5 million images (1.96 GB) is within the format: a raw file of 20 bytes cannot hold it,
    // nor can 47 bytes of gzip data (at most 1032 times as much); nothing is allocated for it.
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    reason =
        readImages(
            concat(header(IdxReader.IMAGES_MAGIC, 2_500_000, 28, 28), new byte[4]),
            gz,
            2_000_000_000L);
    if (gz) {
      assertTrue(
          reason.startsWith(
                  "truncated: header claims 1960000000 data bytes (1960000016 bytes in all), more"
                      + " than ")
              && reason.endsWith(" bytes of gzip data can expand to (1032 times as much)"),
          reason);
    } else {
      assertEquals(
          "truncated: header claims 1960000000 data bytes (1960000016 bytes in all), found 4",
          reason);
    }
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertTrue(after - before < 512L << 20, "memory grew by " + (after - before));
  }

  /** Reads images from a stream with the given limit; the failure's reason. */
  private String readImages(byte[] raw, boolean gz, long limit) throws IOException {
    Path p = file("images", raw, gz);
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p, limit));
    assertEquals(p.toString(), e.source());
    return e.reason();
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void dimensionsWhoseProductWrapsPast64BitsAreRefused(boolean gz) throws IOException {
    // 2^22 x 2^21 x 2^21 = 2^64, which wraps to 0 in 64-bit arithmetic: "no pixels", a 16-byte
    // file that passed every check and then aborted the JVM inside TensorFlow (tensor_shape.cc).
    assertEquals(
        "header at offset 4: image count x rows x columns [4194304, 2097152, 2097152]: product"
            + " overflows 64 bits",
        imagesError(header(IdxReader.IMAGES_MAGIC, 1 << 22, 1 << 21, 1 << 21), gz));
    // 2^31-1 squared is past 2^61: an image that no array (and no tensor) holds, even when the
    // file claims 0 of them
    assertEquals(
        "header at offset 8: rows x columns is 4611686014132420609, more than a Java array holds"
            + " (2147483631)",
        imagesError(header(IdxReader.IMAGES_MAGIC, 0, Integer.MAX_VALUE, Integer.MAX_VALUE), gz));
    // 2^22 + 1 images of 2^21 x 2^21 is 2^64 + 2^42: wraps to 2^42, "4 TB", also refused
    assertTrue(
        imagesError(
                concat(
                    header(IdxReader.IMAGES_MAGIC, (1 << 22) + 1, 1 << 21, 1 << 21), new byte[4]),
                gz)
            .endsWith("product overflows 64 bits"));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void payloadLimitIsStatedAndChecked(boolean gz) throws IOException {
    // 1000 labels within a limit of 999 bytes: refused before reading the data
    byte[] labels = concat(header(IdxReader.LABELS_MAGIC, 1000), new byte[1000]);
    Path p = file("labels", labels, gz);
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(p, 999));
    assertEquals(
        "header at offset 4: label count = 1000 bytes, more than the payload limit of 999 bytes"
            + " (999 bytes)",
        e.reason());
    assertEquals(1000, IdxReader.readLabels(p, 1000).length);
  }

  @Test
  void gzipThatExpandsPastTheLimitIsCutOff() throws IOException {
    // A header within the limit followed by 4 MiB of zeros, 4 KiB of gzip data: the reader stops
    // at header + limit + 1 MiB of decompressed data and names the file.
    byte[] bomb = gzip(concat(header(IdxReader.LABELS_MAGIC, 10), new byte[4 << 20]));
    Path p = IdxFiles.write(dir, "labels.gz", bomb);
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(p, 10));
    assertEquals(p.toString(), e.source());
    assertEquals(
        "decompresses to more than 1048594 bytes, more than an IDX file within the payload limit"
            + " of 10 bytes can hold",
        e.reason());
  }

  @Test
  void realGzipBombOf2GigabytesIsRefusedWithoutReadingIt() throws IOException {
    // 2.7 million 28x28 images (2.1 GB, just under Java's 2 GiB arrays), valid IDX, compressed
    // into 2 MB as gzip members of 1 MiB of zeros each: the OutOfMemoryError of issue 13.
    Path p = dir.resolve("train-images-idx3-ubyte.gz");
    byte[] zeros = gzip(new byte[1 << 20]);
    long payload = 2_700_000L * 784;
    try (var out = java.nio.file.Files.newOutputStream(p)) {
      out.write(gzip(header(IdxReader.IMAGES_MAGIC, 2_700_000, 28, 28)));
      for (long written = 0; written < payload; written += 1 << 20) {
        out.write(zeros);
      }
    }
    long limit = 100 << 20;
    long start = System.nanoTime();
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p, limit));
    assertEquals(
        "header at offset 4: image count x rows x columns = 2700000 x 28 x 28 = 2116800000"
            + " bytes, more than the payload limit of 100 MiB (104857600 bytes)",
        e.reason());
    // refused from the header: well under the seconds decompressing 2 GB takes
    assertTrue((System.nanoTime() - start) / 1e9 < 2, "took " + (System.nanoTime() - start));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"})
  void htmlPageInPlaceOfTheFileIsNamedAsSuch(String name) throws IOException {
    Path p =
        IdxFiles.write(
            dir,
            name,
            "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head></html>\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
    assertEquals(
        (name.endsWith(".gz") ? "not gzip data" : "neither gzip nor IDX data")
            + ": starts with the text '<!DOCTYPE html> <html><h...' (an HTML page, e.g. an error"
            + " page saved in place of the file); expected gzip (1f 8b) or an IDX header (00 00 08"
            + " ..)",
        e.reason());
    Path binary = IdxFiles.write(dir, "x.gz", new byte[] {(byte) 0x50, 0x4b, 3, 4, 0, 0});
    e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(binary));
    assertEquals(
        "not gzip data: starts with the bytes 50 4b 03 04 00 00; expected gzip (1f 8b) or an IDX"
            + " header (00 00 08 ..)",
        e.reason());
  }

  @Test
  void corruptGzipIsNamed() throws IOException {
    byte[] gz = gzip(IdxFiles.images(50, 28, 28, (byte) 3));
    byte[] damaged = gz.clone();
    for (int i = 20; i < 60; i++) {
      damaged[i] ^= 0x5a;
    }
    String reason = imagesError(damaged, false);
    assertEquals(
        true,
        reason.startsWith("corrupt or truncated gzip data")
            || reason.startsWith("not a valid gzip stream"),
        reason);
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    reason = imagesError(cut, false);
    assertEquals(true, reason.startsWith("corrupt or truncated gzip data"), reason);
  }

  @Test
  void missingFileIsNamed() {
    Path p = dir.resolve("absent.gz");
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
    assertEquals(p + ": no such file", e.getMessage());
  }
}
