package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.dnnlessons.nn.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@code next_batch} semantics of TensorFlow's {@code input_data.DataSet}. */
class DataSetTest {

  /** n examples of 1x2 pixels; example i has pixels (i, 255) and label i % 10. */
  private static DataSet dataSet(int n, boolean oneHot, boolean reshape, long seed) {
    byte[] px = new byte[2 * n];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      px[2 * i] = (byte) i;
      px[2 * i + 1] = (byte) 255;
      labels[i] = (byte) (i % 10);
    }
    return new DataSet(px, labels, 1, 2, oneHot, reshape, seed);
  }

  @Test
  void withinAnEpochNoExampleIsLostOrRepeated() {
    DataSet d = dataSet(100, true, true, 1);
    int[] seen = new int[100];
    for (int b = 0; b < 10; b++) {
      for (int i : d.nextBatchIndices(10, true)) {
        seen[i]++;
      }
    }
    int[] once = new int[100];
    Arrays.fill(once, 1);
    assertArrayEquals(once, seen);
    assertEquals(0, d.epochsCompleted(), "the epoch ends when the next batch needs more");
  }

  @Test
  void leftoversOpenTheNextBatchWhichCompletesFromANewShuffle() {
    DataSet d = dataSet(10, true, true, 3);
    int[] first = d.nextBatchIndices(4, true);
    int[] second = d.nextBatchIndices(4, true);
    int[] third = d.nextBatchIndices(4, true);
    assertEquals(1, d.epochsCompleted());
    // the two examples left from epoch 0 open the third batch
    int[] epoch0 = new int[10];
    for (int i : first) {
      epoch0[i]++;
    }
    for (int i : second) {
      epoch0[i]++;
    }
    epoch0[third[0]]++;
    epoch0[third[1]]++;
    for (int count : epoch0) {
      assertEquals(1, count, "epoch 0 covers every example once: " + Arrays.toString(epoch0));
    }
    // the rest of the third batch is the start of epoch 1: no repeats within it
    assertNotEquals(third[2], third[3]);
  }

  @Test
  void unshuffledBatchesWalkTheFileInOrderAndWrap() {
    DataSet d = dataSet(5, true, true, 0);
    assertArrayEquals(new int[] {0, 1, 2}, d.nextBatchIndices(3, false));
    assertArrayEquals(new int[] {3, 4, 0}, d.nextBatchIndices(3, false));
    assertEquals(1, d.epochsCompleted());
    assertArrayEquals(new int[] {1, 2, 3}, d.nextBatchIndices(3, false));
  }

  @Test
  void anExactFitEndsTheEpochOnTheFollowingCall() {
    DataSet d = dataSet(4, true, true, 0);
    assertArrayEquals(new int[] {0, 1}, d.nextBatchIndices(2, false));
    assertArrayEquals(new int[] {2, 3}, d.nextBatchIndices(2, false));
    assertEquals(0, d.epochsCompleted());
    assertArrayEquals(new int[] {0, 1}, d.nextBatchIndices(2, false));
    assertEquals(1, d.epochsCompleted());
  }

  @Test
  void sameSeedSameBatches() {
    DataSet a = dataSet(50, true, true, 42);
    DataSet b = dataSet(50, true, true, 42);
    DataSet c = dataSet(50, true, true, 43);
    boolean differs = false;
    for (int i = 0; i < 12; i++) {
      int[] x = a.nextBatchIndices(7, true);
      assertArrayEquals(x, b.nextBatchIndices(7, true));
      differs |= !Arrays.equals(x, c.nextBatchIndices(7, true));
    }
    assertEquals(true, differs, "another seed gives another order");
  }

  @Test
  void batchSizeOutsideOneToNIsRejected() {
    DataSet d = dataSet(5, true, true, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.nextBatch(0));
    assertEquals(
        "batch size must be between 1 and the number of examples (5), found 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.nextBatch(6));
  }

  @Test
  void batchTensorsHoldScaledPixelsAndOneHotLabels() {
    DataSet d = dataSet(12, true, false, 0);
    try (Batch b = d.toBatch(new int[] {11, 3})) {
      assertEquals(Shape.of(2, 1, 2, 1), b.images().shape());
      float[] px = Tensors.toArray(b.images());
      // numpy: uint8 -> float32, times 1.0/255.0 as float32
      assertEquals((float) 11 * (float) (1.0 / 255.0), px[0]);
      assertEquals(1.0f, px[1]);
      assertEquals(Float.floatToIntBits(3 * (float) (1.0 / 255.0)), Float.floatToIntBits(px[2]));
      float[] labels = Tensors.toArray(b.oneHotLabels());
      float[] expected = new float[20];
      expected[1] = 1; // example 11 has label 1
      expected[10 + 3] = 1;
      assertArrayEquals(expected, labels);
      assertArrayEquals(new int[] {11, 3}, b.indices());
    }
  }

  @Test
  void classIdsWhenOneHotIsOff() {
    DataSet d = dataSet(12, false, true, 0);
    try (Batch b = d.toBatch(new int[] {11, 3})) {
      assertEquals(Shape.of(2, 2), b.images().shape());
      TInt32 ids = (TInt32) b.labels();
      assertEquals(1, ids.getInt(0));
      assertEquals(3, ids.getInt(1));
      assertThrows(IllegalStateException.class, b::oneHotLabels);
    }
  }

  @Test
  void allKeepsFileOrder() {
    DataSet d = dataSet(3, true, true, 0);
    try (Batch b = d.all()) {
      TFloat32 images = b.images();
      assertEquals(Shape.of(3, 2), images.shape());
      assertEquals(2 * (float) (1.0 / 255.0), images.getFloat(2, 0));
    }
  }

  @Test
  void sizesThatOverflowAreRejectedNotWrapped() {
    // 2^22 labels of 2^21 x 2^21 images is 2^64 pixel bytes, which wraps to 0 in a long
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DataSet(new byte[0], new byte[1 << 22], 1 << 21, 1 << 21, true, true, 0));
    assertEquals(
        "images and labels disagree: 4194304 labels but 0 pixel bytes of 2097152x2097152 images",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IdxImages(1 << 22, 1 << 21, 1 << 21, new byte[0]));
    assertEquals("4194304 images of 2097152x2097152 do not match 0 pixel bytes", e.getMessage());
  }
}
