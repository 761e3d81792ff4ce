package org.dnnlessons.data;

/**
 * The contents of an idx3 image file: {@code count} images of {@code rows x columns} unsigned
 * bytes, row-major, image after image.
 *
 * @param count the number of images
 * @param rows pixel rows per image
 * @param columns pixel columns per image
 * @param pixels {@code count * rows * columns} bytes, each an unsigned value 0..255
 */
public record IdxImages(int count, int rows, int columns, byte[] pixels) {

  /**
   * Checks that the sizes agree, without overflow.
   *
   * @param count the number of images, {@code >= 0}
   * @param rows pixel rows per image, {@code >= 1}
   * @param columns pixel columns per image, {@code >= 1}
   * @param pixels exactly {@code count * rows * columns} bytes; kept, not copied
   * @throws IllegalArgumentException for a negative count, a dimension below 1, or {@code count x
   *     rows x columns} other than the number of pixel bytes (overflow included)
   */
  public IdxImages {
    if (count < 0 || rows < 1 || columns < 1) {
      throw new IllegalArgumentException(
          "expected a count of 0 or more and positive rows and columns, found "
              + count
              + " images of "
              + rows
              + "x"
              + columns);
    }
    long expected;
    try {
      expected = Math.multiplyExact(Math.multiplyExact((long) count, rows), columns);
    } catch (ArithmeticException e) {
      expected = -1;
    }
    if (expected != pixels.length || (long) rows * columns > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          count
              + " images of "
              + rows
              + "x"
              + columns
              + " do not match "
              + pixels.length
              + " pixel bytes");
    }
  }

  /**
   * Pixels per image.
   *
   * @return {@code rows * columns}
   */
  public int imageSize() {
    return rows * columns;
  }

  /**
   * The unsigned value of pixel {@code (row, column)} of image {@code index}.
   *
   * @param index the image's position, from 0 to {@code count - 1}
   * @param row from 0 to {@code rows - 1}
   * @param column from 0 to {@code columns - 1}
   * @return the pixel's value, 0 to 255
   */
  public int pixel(int index, int row, int column) {
    return pixels[index * imageSize() + row * columns + column] & 0xFF;
  }
}
