package org.dnnlessons.data;

import java.util.Random;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One split of a data set (train, validation or test) with the batching of TensorFlow's {@code
 * input_data.DataSet}: {@link #nextBatch} shuffles before the first epoch; at the end of an epoch
 * the examples left over open the next batch, which is completed from a freshly shuffled epoch.
 *
 * <p>Pixels stay in memory as the file's unsigned bytes and are converted to floats in [0, 1] one
 * batch at a time: 60,000 MNIST images take 47 MB as bytes instead of 188 MB as floats. The
 * conversion is numpy's {@code images.astype(float32) * (1.0 / 255.0)}, so the floats are
 * bit-identical to Python's.
 *
 * <p>Shuffling uses {@link java.util.Random} with the given seed: the same seed gives the same
 * batches on every run and every JVM (but not numpy's order). Not thread-safe.
 */
public final class DataSet {

  /**
   * What a pixel byte is multiplied by to become a float in [0, 1]: float32 {@code 1/255}, as
   * numpy's {@code images.astype(float32) * (1.0 / 255.0)} computes it. Every place that turns
   * pixels into floats (here, and the in-graph training loops) uses this one constant: their
   * weights are bit-identical only while they agree.
   */
  public static final float PIXEL_SCALE = (float) (1.0 / 255.0);

  private static final float[] BYTE_TO_FLOAT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      BYTE_TO_FLOAT[i] = (float) i * PIXEL_SCALE;
    }
  }

  private final byte[] pixels;
  private final byte[] labels;
  private final int imageRows;
  private final int imageColumns;
  private final int numExamples;
  private final boolean oneHot;
  private final boolean reshape;
  private final Random random;
  private final int[] order;
  private int indexInEpoch;
  private int epochsCompleted;

  /**
   * Creates a split over the given bytes; it keeps (does not copy) the arrays.
   *
   * @param pixels {@code numExamples * rows * columns} unsigned bytes
   * @param labels {@code numExamples} classes 0-9
   * @param oneHot labels as one-hot float rows rather than class ids
   * @param reshape images as {@code [n, rows*columns]} rather than {@code [n, rows, columns, 1]}
   * @param seed the shuffling seed
   * @param rows pixel rows per image (28 for MNIST), {@code >= 1}
   * @param columns pixel columns per image (28 for MNIST), {@code >= 1}
   */
  public DataSet(
      byte[] pixels,
      byte[] labels,
      int rows,
      int columns,
      boolean oneHot,
      boolean reshape,
      long seed) {
    if (rows <= 0 || columns <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, found " + rows + "x" + columns);
    }
    long expected;
    try {
      expected = Math.multiplyExact(Math.multiplyExact((long) labels.length, rows), columns);
    } catch (ArithmeticException e) {
      expected = -1; // never an array length: reported below
    }
    if (expected != pixels.length || (long) rows * columns > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "images and labels disagree: "
              + labels.length
              + " labels but "
              + pixels.length
              + " pixel bytes of "
              + rows
              + "x"
              + columns
              + " images");
    }
    this.pixels = pixels;
    this.labels = labels;
    this.imageRows = rows;
    this.imageColumns = columns;
    this.numExamples = labels.length;
    this.oneHot = oneHot;
    this.reshape = reshape;
    this.random = new Random(seed);
    this.order = new int[numExamples];
    for (int i = 0; i < numExamples; i++) {
      order[i] = i;
    }
  }

  /**
   * The number of examples in this split.
   *
   * @return the number of examples, as Python's {@code num_examples}
   */
  public int numExamples() {
    return numExamples;
  }

  /**
   * How many times {@link #nextBatch} has gone through every example.
   *
   * @return completed epochs, from 0; Python's {@code epochs_completed}
   */
  public int epochsCompleted() {
    return epochsCompleted;
  }

  /**
   * Pixels per image (784 for MNIST).
   *
   * @return {@code rows * columns}
   */
  public int imageSize() {
    return imageRows * imageColumns;
  }

  /**
   * The class (0-9) of example {@code index}.
   *
   * @param index the example's position, from 0 to {@code numExamples() - 1}
   * @return the label as a class id, 0 to 9, whatever {@code oneHot} says
   */
  public int label(int index) {
    return labels[index];
  }

  /**
   * The unsigned byte value of pixel {@code (row, column)} of example {@code index}.
   *
   * @param index the example's position, from 0 to {@code numExamples() - 1}
   * @param row from 0 to {@code imageRows() - 1}
   * @param column from 0 to {@code imageColumns() - 1}
   * @return the pixel's value as stored, 0 (background) to 255
   */
  public int pixel(int index, int row, int column) {
    return pixels[index * imageSize() + row * imageColumns + column] & 0xFF;
  }

  /**
   * Image rows (28 for MNIST).
   *
   * @return pixel rows per image
   */
  public int imageRows() {
    return imageRows;
  }

  /**
   * Image columns (28 for MNIST).
   *
   * @return pixel columns per image
   */
  public int imageColumns() {
    return imageColumns;
  }

  /**
   * Examples per class, indexed by class 0-9.
   *
   * @return a new {@code int[10]}: how many examples have each class
   */
  public int[] classHistogram() {
    int[] counts = new int[IdxReader.NUM_CLASSES];
    for (byte label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * The next {@code batchSize} examples as tensors, shuffled ({@code nextBatch(batchSize, true)}).
   *
   * @param batchSize examples per batch, from 1 to {@link #numExamples()}
   * @return images and labels, as Python's {@code next_batch(batch_size)} returns them; the caller
   *     closes it
   */
  public Batch nextBatch(int batchSize) {
    return nextBatch(batchSize, true);
  }

  /**
   * The next {@code batchSize} examples as tensors ready to feed; the caller closes the batch.
   *
   * @param shuffle shuffle before the first epoch and between epochs
   * @param batchSize examples per batch, from 1 to {@link #numExamples()}
   * @return images (pixels/255 as float32) and labels; Python's {@code next_batch(batch_size,
   *     shuffle)}
   * @throws IllegalArgumentException unless {@code 1 <= batchSize <= numExamples()}
   */
  public Batch nextBatch(int batchSize, boolean shuffle) {
    return toBatch(nextBatchIndices(batchSize, shuffle));
  }

  /**
   * The positions of the next batch's examples, advancing exactly as {@link #nextBatch} does;
   * useful to record a batch order or to feed another program the same batches.
   *
   * @param batchSize examples per batch, from 1 to {@link #numExamples()}
   * @param shuffle as {@link #nextBatch(int, boolean)}
   * @return {@code batchSize} example positions, in batch order
   */
  public int[] nextBatchIndices(int batchSize, boolean shuffle) {
    if (batchSize < 1 || batchSize > numExamples) {
      throw new IllegalArgumentException(
          "batch size must be between 1 and the number of examples ("
              + numExamples
              + "), found "
              + batchSize);
    }
    int start = indexInEpoch;
    if (epochsCompleted == 0 && start == 0 && shuffle) {
      shuffleOrder();
    }
    int[] batch = new int[batchSize];
    if (start + batchSize > numExamples) {
      epochsCompleted++;
      int rest = numExamples - start;
      System.arraycopy(order, start, batch, 0, rest);
      if (shuffle) {
        shuffleOrder();
      }
      indexInEpoch = batchSize - rest;
      System.arraycopy(order, 0, batch, rest, indexInEpoch);
    } else {
      indexInEpoch += batchSize;
      System.arraycopy(order, start, batch, 0, batchSize);
    }
    return batch;
  }

  /**
   * The positions of the next {@code count} batches, one after the other in one array, advancing
   * exactly as {@code count} calls of {@link #nextBatchIndices(int, boolean)} do.
   *
   * @param count how many batches, {@code >= 0}
   * @param batchSize examples per batch, from 1 to {@link #numExamples()}
   * @param shuffle as {@link #nextBatch(int, boolean)}
   * @return {@code count * batchSize} example positions, batch after batch
   */
  public int[] nextBatchesIndices(int count, int batchSize, boolean shuffle) {
    int[] all = new int[Math.multiplyExact(count, batchSize)];
    for (int k = 0; k < count; k++) {
      System.arraycopy(nextBatchIndices(batchSize, shuffle), 0, all, k * batchSize, batchSize);
    }
    return all;
  }

  /**
   * Every example, in file order, as one batch; the caller closes it.
   *
   * @return all {@link #numExamples()} examples, e.g. to evaluate the test accuracy as the lesson
   *     does
   */
  public Batch all() {
    int[] indices = new int[numExamples];
    for (int i = 0; i < numExamples; i++) {
      indices[i] = i;
    }
    return toBatch(indices);
  }

  /**
   * The given examples, in the given order, as one batch; the caller closes it.
   *
   * @param indices example positions, each from 0 to {@code numExamples() - 1}; repeats allowed
   * @return those examples as tensors, {@code indices.length} of them
   */
  public Batch toBatch(int[] indices) {
    int n = indices.length;
    int size = imageSize();
    float[] images = new float[Math.multiplyExact(n, size)];
    for (int b = 0; b < n; b++) {
      int src = indices[b] * size;
      int dst = b * size;
      for (int p = 0; p < size; p++) {
        images[dst + p] = BYTE_TO_FLOAT[pixels[src + p] & 0xFF];
      }
    }
    Shape imageShape = reshape ? Shape.of(n, size) : Shape.of(n, imageRows, imageColumns, 1);
    TFloat32 imageTensor = TFloat32.tensorOf(imageShape, DataBuffers.of(images, true, false));
    try {
      if (oneHot) {
        float[] hot = new float[n * IdxReader.NUM_CLASSES];
        for (int b = 0; b < n; b++) {
          hot[b * IdxReader.NUM_CLASSES + labels[indices[b]]] = 1.0f;
        }
        return new Batch(
            imageTensor,
            TFloat32.tensorOf(Shape.of(n, IdxReader.NUM_CLASSES), DataBuffers.of(hot, true, false)),
            indices.clone());
      }
      int[] ids = new int[n];
      for (int b = 0; b < n; b++) {
        ids[b] = labels[indices[b]];
      }
      return new Batch(
          imageTensor,
          TInt32.tensorOf(Shape.of(n), DataBuffers.of(ids, true, false)),
          indices.clone());
    } catch (RuntimeException e) {
      imageTensor.close();
      throw e;
    }
  }

  // Fisher-Yates over the current order, as numpy.random.shuffle does (with another generator).
  private void shuffleOrder() {
    for (int i = numExamples - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
