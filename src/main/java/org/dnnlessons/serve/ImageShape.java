package org.dnnlessons.serve;

/** The tensor shapes the served signature takes for its input {@code x}. */
final class ImageShape {

  static final int PIXELS = ServedModel.PIXELS;

  private ImageShape() {}

  /** Whether {@code shape} is {@code [n, 28, 28, 1]}, {@code [n, 28, 28]} or {@code [n, 784]}. */
  static boolean fits(int[] shape) {
    if (shape.length < 2 || shape[0] < 1) {
      return false;
    }
    return switch (shape.length) {
      case 2 -> shape[1] == PIXELS;
      case 3 -> shape[1] == ServedModel.ROWS && shape[2] == ServedModel.COLUMNS;
      case 4 -> shape[1] == ServedModel.ROWS && shape[2] == ServedModel.COLUMNS && shape[3] == 1;
      default -> false;
    };
  }
}
