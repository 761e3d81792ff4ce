package org.dnnlessons.data;

import static org.dnnlessons.data.IdxFiles.concat;
import static org.dnnlessons.data.IdxFiles.gzip;
import static org.dnnlessons.data.IdxFiles.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        "expected magic number 2051 (idx3 images), found 2049 (this is a label file)",
        imagesError(IdxFiles.labels((byte) 1), gz));
    assertEquals(
        "expected magic number 2049 (idx1 labels), found 7", labelsError(header(7, 0), gz));
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
        "truncated header: cannot read rows", imagesError(header(IdxReader.IMAGES_MAGIC, 1), gz));
    byte[] full = IdxFiles.images(2, 2, 2, (byte) 1);
    assertEquals(
        "truncated: header claims 8 data bytes (24 bytes in all), found 5",
        imagesError(Arrays.copyOf(full, full.length - 3), gz));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void trailingBytesAreNamed(boolean gz) throws IOException {
    assertEquals(
        "expected 10 bytes as the header claims, found 2 bytes more",
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
        "header gives rows 0, expected a positive number",
        imagesError(header(IdxReader.IMAGES_MAGIC, 1, 0, 28), false));
    assertEquals(
        "header gives image count -5, expected 0 or more",
        imagesError(header(IdxReader.IMAGES_MAGIC, -5, 28, 28), false));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void hugeHeaderIsRejectedWithoutAllocatingIt(boolean gz) throws IOException {
    // 100 million 28x28 images would be 78 GB: refused from the header alone.
    assertEquals(
        "header claims 100000000 images of 28x28 = 78400000000 bytes, more than the"
            + " 2 GiB this reader accepts",
        imagesError(header(IdxReader.IMAGES_MAGIC, 100_000_000, 28, 28), gz));
    // 2.5 million images (1.96 GB) fits the format but not the file: reported as truncation,
    // and the reader only ever holds what the file really contains.
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertEquals(
        "truncated: header claims 1960000000 data bytes (1960000016 bytes in all)," + " found 4",
        imagesError(concat(header(IdxReader.IMAGES_MAGIC, 2_500_000, 28, 28), new byte[4]), gz));
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertEquals(true, after - before < 512L << 20, "memory grew by " + (after - before));
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
