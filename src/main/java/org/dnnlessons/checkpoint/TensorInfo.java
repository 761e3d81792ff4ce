package org.dnnlessons.checkpoint;

import java.util.Arrays;
import org.tensorflow.proto.DataType;

/**
 * A tensor's entry in a checkpoint: its name, dtype and shape, as {@code tf.train.list_variables}
 * reports them.
 *
 * @param name the checkpoint key, e.g. {@code hidden_layer/weights}
 * @param dtype the TensorFlow dtype
 * @param shape the dimensions; empty for a scalar
 */
public record TensorInfo(String name, DataType dtype, long[] shape) {

  /**
   * Copies the shape.
   *
   * @param name the checkpoint key, e.g. {@code hidden_layer/weights}
   * @param dtype the TensorFlow dtype
   * @param shape the dimensions, empty for a scalar; copied
   */
  public TensorInfo {
    shape = shape.clone();
  }

  /**
   * The dimensions, e.g. {@code [784, 256]}; empty for a scalar.
   *
   * @return a copy of the shape
   */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * The number of elements (1 for a scalar).
   *
   * @return the product of the dimensions
   */
  public long numElements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * numpy's name for the dtype: {@code float32}, {@code int64}, {@code bool}, ...
   *
   * @return e.g. {@code float32} for {@code DT_FLOAT}
   */
  public String numpyType() {
    return Dtypes.numpyName(dtype);
  }

  /**
   * {@code [784,256]}: the shape as Python's {@code debug_string()} prints it.
   *
   * @return e.g. {@code [784,256]}; {@code []} for a scalar
   */
  public String compactShape() {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ",").append(shape[i]);
    }
    return s.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && t.name.equals(name)
        && t.dtype == dtype
        && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " (" + dtype + ") " + compactShape();
  }
}
