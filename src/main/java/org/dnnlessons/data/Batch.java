package org.dnnlessons.data;

import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * A batch ready to feed: images as float32 in [0, 1], labels one-hot float32 {@code [n, 10]} (or
 * int32 class ids {@code [n]} when one-hot is off). The caller owns the tensors: close the batch,
 * best with try-with-resources.
 *
 * @param images {@code [n, 784]} or {@code [n, 28, 28, 1]}, as the data set's {@code reshape}
 *     option says
 * @param labels {@code TFloat32 [n, 10]} one-hot, or {@code TInt32 [n]}
 * @param indices the positions of these examples in their {@link DataSet}, in batch order
 */
public record Batch(TFloat32 images, Tensor labels, int[] indices) implements AutoCloseable {

  /**
   * The number of examples.
   *
   * @return the batch size n, the first dimension of {@link #images()}
   */
  public int size() {
    return indices.length;
  }

  /**
   * The labels as one-hot floats; fails when the data set was read with one-hot off.
   *
   * @return the labels, {@code TFloat32 [n, 10]}; {@code IllegalStateException} when they are
   *     {@code TInt32} class ids
   */
  public TFloat32 oneHotLabels() {
    if (!(labels instanceof TFloat32 f)) {
      throw new IllegalStateException("labels are class ids: read the data with oneHot(true)");
    }
    return f;
  }

  @Override
  public void close() {
    images.close();
    labels.close();
  }
}
