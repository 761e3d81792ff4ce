package org.dnnlessons.nn;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Copies between TensorFlow tensors and plain Java arrays. */
public final class Tensors {

  private Tensors() {}

  /**
   * Copies a rank-2 float tensor into a new {@code float[rows][cols]}; the tensor stays open.
   *
   * @param tensor a float32 tensor of rank 2
   * @return {@code [rows][cols]} float32 values
   * @throws IllegalArgumentException when the tensor is not a matrix
   */
  public static float[][] toMatrix(TFloat32 tensor) {
    Shape shape = tensor.shape();
    if (shape.numDimensions() != 2) {
      throw new IllegalArgumentException("expected a matrix, found shape " + shape);
    }
    int rows = Math.toIntExact(shape.size(0));
    int cols = Math.toIntExact(shape.size(1));
    float[] flat = toArray(tensor);
    float[][] out = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  /**
   * Copies any float tensor's values, row-major, into a new array; the tensor stays open.
   *
   * @param tensor a float32 tensor of any rank
   * @return its values, row-major; length is its element count
   */
  public static float[] toArray(TFloat32 tensor) {
    float[] flat = new float[Math.toIntExact(tensor.shape().size())];
    tensor.copyTo(DataBuffers.of(flat, false, false));
    return flat;
  }

  /**
   * A new float tensor holding {@code matrix}; the caller closes it.
   *
   * @param matrix rows of the same length
   * @return a float32 tensor of shape {@code [rows, cols]}
   */
  public static TFloat32 ofMatrix(float[][] matrix) {
    int rows = matrix.length;
    int cols = rows == 0 ? 0 : matrix[0].length;
    float[] flat = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(matrix[r], 0, flat, r * cols, cols);
    }
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(flat, true, false));
  }
}
