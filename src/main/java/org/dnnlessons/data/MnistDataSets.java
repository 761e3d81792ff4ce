package org.dnnlessons.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Train, validation and test splits of an MNIST-format data set, read as TensorFlow's {@code
 * input_data.read_data_sets(dir, one_hot, reshape, validation_size)} reads them: the validation
 * split is the first {@code validationSize} training images, the training split the rest.
 *
 * <pre>{@code
 * MnistDataSets mnist = MnistDataSets.read(Path.of("data/mnist"),
 *     MnistDataSets.Options.defaults().withReshape(false));   // the lesson's reshape=False
 * try (Batch batch = mnist.train().nextBatch(128)) { ... }
 * }</pre>
 *
 * @param train the training split
 * @param validation the validation split (possibly empty)
 * @param test the test split
 */
public record MnistDataSets(DataSet train, DataSet validation, DataSet test) {

  /** The validation size TensorFlow uses for full-size sets (60,000 training images). */
  public static final int VALIDATION_SIZE_FULL = 5000;

  /**
   * How to read the files.
   *
   * @param oneHot labels as one-hot float rows (default true) rather than class ids
   * @param reshape images as {@code [n, 784]} (default true) rather than {@code [n, 28, 28, 1]};
   *     the lesson reads with {@code reshape=False}
   * @param validationSize training images set aside for validation, or {@code null} for the
   *     default: 5,000 when the training file holds 20,000 images or more, else one eighth (1,000
   *     for the embedded 8,000)
   * @param seed the shuffling seed of the splits' {@link DataSet#nextBatch}
   */
  public record Options(boolean oneHot, boolean reshape, Integer validationSize, long seed) {

    /**
     * Validates the options.
     *
     * @param oneHot labels as one-hot float rows rather than class ids
     * @param reshape images as {@code [n, 784]} rather than {@code [n, 28, 28, 1]}
     * @param validationSize training images set aside for validation, {@code >= 0}, or {@code null}
     *     for the default
     * @param seed the shuffling seed of the splits
     * @throws IllegalArgumentException for a negative validation size
     */
    public Options {
      if (validationSize != null && validationSize < 0) {
        throw new IllegalArgumentException(
            "validation size must be 0 or more, found " + validationSize);
      }
    }

    /**
     * One-hot labels, flat images, the default validation size, seed 0.
     *
     * @return Python's {@code read_data_sets(dir, one_hot=True)} defaults
     */
    public static Options defaults() {
      return new Options(true, true, null, 0);
    }

    /**
     * These options with {@code reshape} changed.
     *
     * @param value true for {@code [n, 784]} images, false for {@code [n, 28, 28, 1]}
     * @return new options; these are unchanged
     */
    public Options withReshape(boolean value) {
      return new Options(oneHot, value, validationSize, seed);
    }

    /**
     * These options with {@code oneHot} changed.
     *
     * @param value true for one-hot {@code [n, 10]} labels, false for class ids {@code [n]}
     * @return new options; these are unchanged
     */
    public Options withOneHot(boolean value) {
      return new Options(value, reshape, validationSize, seed);
    }

    /**
     * These options with the validation size changed.
     *
     * @param value training images set aside for validation, or {@code null} for the default
     * @return new options; these are unchanged
     */
    public Options withValidationSize(Integer value) {
      return new Options(oneHot, reshape, value, seed);
    }

    /**
     * These options with the seed changed.
     *
     * @param value the shuffling seed
     * @return new options; these are unchanged
     */
    public Options withSeed(long value) {
      return new Options(oneHot, reshape, validationSize, value);
    }
  }

  /**
   * Reads a directory of the four files (gzip-compressed or raw).
   *
   * @param dir the directory of {@code train-images-idx3-ubyte[.gz]} and the three other files
   * @param options one-hot, reshape, validation size and seed, as Python's {@code read_data_sets}
   *     takes them
   * @return the train, validation and test splits
   * @throws DatasetException one line naming the file that is missing or malformed
   */
  public static MnistDataSets read(Path dir, Options options) throws DatasetException {
    return read(new DirectorySource(dir), options);
  }

  /**
   * Reads the four files from any source.
   *
   * @param source where the four files are read from (a directory, the class path)
   * @param options one-hot, reshape, validation size and seed, as Python's {@code read_data_sets}
   *     takes them
   * @return the train, validation and test splits
   * @throws DatasetException one line naming the file that is missing or malformed
   */
  public static MnistDataSets read(DataSource source, Options options) throws DatasetException {
    IdxImages trainImages = images(source, DataSource.TRAIN_IMAGES);
    byte[] trainLabels = labels(source, DataSource.TRAIN_LABELS);
    IdxImages testImages = images(source, DataSource.TEST_IMAGES);
    byte[] testLabels = labels(source, DataSource.TEST_LABELS);
    checkPair(source, DataSource.TRAIN_IMAGES, trainImages, DataSource.TRAIN_LABELS, trainLabels);
    checkPair(source, DataSource.TEST_IMAGES, testImages, DataSource.TEST_LABELS, testLabels);
    if (testImages.rows() != trainImages.rows() || testImages.columns() != trainImages.columns()) {
      throw new DatasetException(
          source.describe(),
          "test images are "
              + testImages.rows()
              + "x"
              + testImages.columns()
              + " but training images are "
              + trainImages.rows()
              + "x"
              + trainImages.columns());
    }

    checkNotEmpty(source, DataSource.TRAIN_IMAGES, trainImages);
    checkNotEmpty(source, DataSource.TEST_IMAGES, testImages);

    int numTrain = trainImages.count();
    int validationSize =
        options.validationSize() != null
            ? options.validationSize()
            : defaultValidationSize(numTrain);
    if (validationSize >= numTrain) {
      throw new IllegalArgumentException(
          "validation size must be between 0 and "
              + (numTrain - 1)
              + " (the training file holds "
              + numTrain
              + " images and the training split needs at least one), found "
              + validationSize);
    }
    int rows = trainImages.rows();
    int cols = trainImages.columns();
    int size = trainImages.imageSize(); // IdxImages holds count * size bytes: no overflow below
    byte[] px = trainImages.pixels();
    DataSet validation =
        new DataSet(
            Arrays.copyOfRange(px, 0, validationSize * size),
            Arrays.copyOfRange(trainLabels, 0, validationSize),
            rows,
            cols,
            options.oneHot(),
            options.reshape(),
            options.seed() + 1);
    DataSet train =
        new DataSet(
            Arrays.copyOfRange(px, validationSize * size, px.length),
            Arrays.copyOfRange(trainLabels, validationSize, numTrain),
            rows,
            cols,
            options.oneHot(),
            options.reshape(),
            options.seed());
    DataSet test =
        new DataSet(
            testImages.pixels(),
            testLabels,
            rows,
            cols,
            options.oneHot(),
            options.reshape(),
            options.seed() + 2);
    return new MnistDataSets(train, validation, test);
  }

  /**
   * The validation size used when none is given, for a training file of {@code numTrain}.
   *
   * @param numTrain images in the training file
   * @return {@value #VALIDATION_SIZE_FULL} for 20,000 images or more, else {@code numTrain / 8}
   */
  public static int defaultValidationSize(int numTrain) {
    return numTrain >= 20_000 ? VALIDATION_SIZE_FULL : numTrain / 8;
  }

  private static IdxImages images(DataSource source, String baseName) throws DatasetException {
    DataSource.Opened f = source.open(baseName);
    try (InputStream in = f.stream()) {
      return IdxReader.readImages(in, f.name(), f.size(), IdxReader.defaultPayloadLimit());
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(f.name(), "cannot read: " + e.getMessage(), e);
    }
  }

  private static byte[] labels(DataSource source, String baseName) throws DatasetException {
    DataSource.Opened f = source.open(baseName);
    try (InputStream in = f.stream()) {
      return IdxReader.readLabels(in, f.name(), f.size(), IdxReader.defaultPayloadLimit());
    } catch (DatasetException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetException(f.name(), "cannot read: " + e.getMessage(), e);
    }
  }

  // An empty split gives NaN accuracies and zero-step epochs: refuse it where the file is named.
  private static void checkNotEmpty(DataSource source, String imagesName, IdxImages images)
      throws DatasetException {
    if (images.count() == 0) {
      throw new DatasetException(
          source.describe(), imagesName + " holds 0 images; expected at least 1");
    }
  }

  private static void checkPair(
      DataSource source, String imagesName, IdxImages images, String labelsName, byte[] labels)
      throws DatasetException {
    if (images.count() != labels.length) {
      throw new DatasetException(
          source.describe(),
          imagesName
              + " holds "
              + images.count()
              + " images but "
              + labelsName
              + " holds "
              + labels.length
              + " labels; expected equal counts");
    }
  }
}
