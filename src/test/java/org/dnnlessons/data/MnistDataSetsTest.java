package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/** {@code read_data_sets} semantics: splits, options and errors. */
class MnistDataSetsTest {

  @TempDir Path dir;

  @Test
  void validationIsTheFirstTrainingImages() throws IOException {
    IdxFiles.writeSet(dir, 30, 7);
    MnistDataSets sets =
        MnistDataSets.read(dir, MnistDataSets.Options.defaults().withValidationSize(10));
    assertEquals(20, sets.train().numExamples());
    assertEquals(10, sets.validation().numExamples());
    assertEquals(7, sets.test().numExamples());
    // image i starts with the byte i: validation holds 0..9, train 10..29, in file order
    assertEquals(0, sets.validation().pixel(0, 0, 0));
    assertEquals(9, sets.validation().pixel(9, 0, 0));
    assertEquals(10, sets.train().pixel(0, 0, 0));
    assertEquals(3, sets.test().label(0));
  }

  @Test
  void defaultValidationSizeIsAnEighthOfASmallSetAnd5000OfAFullOne() {
    assertEquals(1000, MnistDataSets.defaultValidationSize(8000));
    assertEquals(5000, MnistDataSets.defaultValidationSize(60000));
  }

  @Test
  void validationLargerThanTheTrainingSetIsAClearError() throws IOException {
    IdxFiles.writeSet(dir, 30, 7);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MnistDataSets.read(dir, MnistDataSets.Options.defaults().withValidationSize(31)));
    assertEquals(
        "validation size must be between 0 and 29 (the training file holds 30 images and the"
            + " training split needs at least one), found 31",
        e.getMessage());
  }

  @Test
  void reshapeFalseGivesTheLessonsFourDimensionalImages() throws IOException {
    IdxFiles.writeSet(dir, 30, 7);
    MnistDataSets sets =
        MnistDataSets.read(
            dir, MnistDataSets.Options.defaults().withValidationSize(0).withReshape(false));
    try (Batch b = sets.train().nextBatch(4)) {
      assertEquals(Shape.of(4, 2, 2, 1), b.images().shape());
      assertEquals(Shape.of(4, 10), b.labels().shape());
    }
  }

  @Test
  void imageAndLabelCountMismatchIsNamed() throws IOException {
    IdxFiles.writeSet(dir, 30, 7);
    IdxWriter.writeLabels(dir.resolve(DataSource.TRAIN_LABELS + ".gz"), new byte[29]);
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> MnistDataSets.read(dir, MnistDataSets.Options.defaults()));
    assertEquals(
        dir
            + ": train-images-idx3-ubyte holds 30 images but train-labels-idx1-ubyte"
            + " holds 29 labels; expected equal counts",
        e.getMessage());
  }

  @Test
  void missingFileAndMissingDirectoryAreNamed() throws IOException {
    IdxFiles.writeSet(dir, 30, 7);
    Files.delete(dir.resolve(DataSource.TEST_LABELS + ".gz"));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> MnistDataSets.read(dir, MnistDataSets.Options.defaults()));
    assertEquals(
        dir + ": missing t10k-labels-idx1-ubyte.gz (or t10k-labels-idx1-ubyte" + " uncompressed)",
        e.getMessage());
    Path absent = dir.resolve("nowhere");
    e =
        assertThrows(
            DatasetException.class,
            () -> MnistDataSets.read(absent, MnistDataSets.Options.defaults()));
    assertEquals(
        absent + ": no such directory; expected a directory of MNIST-format IDX files",
        e.getMessage());
  }

  @Test
  void emptySplitsAreRefused() throws IOException {
    // a test file of 0 images printed "Test Accuracy: NaN" and exited 0
    IdxFiles.writeSet(dir, 30, 0);
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> MnistDataSets.read(dir, MnistDataSets.Options.defaults()));
    assertEquals(
        dir + ": t10k-images-idx3-ubyte holds 0 images; expected at least 1", e.getMessage());
    IdxFiles.writeSet(dir, 0, 7);
    e =
        assertThrows(
            DatasetException.class,
            () -> MnistDataSets.read(dir, MnistDataSets.Options.defaults()));
    assertEquals(
        dir + ": train-images-idx3-ubyte holds 0 images; expected at least 1", e.getMessage());
    // a validation split that takes every training image leaves an empty training split
    IdxFiles.writeSet(dir, 30, 7);
    IllegalArgumentException all =
        assertThrows(
            IllegalArgumentException.class,
            () -> MnistDataSets.read(dir, MnistDataSets.Options.defaults().withValidationSize(30)));
    assertEquals(
        "validation size must be between 0 and 29 (the training file holds 30 images and the"
            + " training split needs at least one), found 30",
        all.getMessage());
  }

  @Test
  void rawUncompressedFilesWorkToo() throws IOException {
    Files.write(dir.resolve(DataSource.TRAIN_IMAGES), IdxFiles.images(3, 2, 2, (byte) 1));
    Files.write(
        dir.resolve(DataSource.TRAIN_LABELS), IdxFiles.labels((byte) 1, (byte) 2, (byte) 3));
    Files.write(dir.resolve(DataSource.TEST_IMAGES), IdxFiles.images(1, 2, 2, (byte) 1));
    Files.write(dir.resolve(DataSource.TEST_LABELS), IdxFiles.labels((byte) 4));
    MnistDataSets sets =
        MnistDataSets.read(dir, MnistDataSets.Options.defaults().withValidationSize(1));
    assertEquals(2, sets.train().numExamples());
  }
}
