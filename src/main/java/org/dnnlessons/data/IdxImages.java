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

  /** Pixels per image. */
  public int imageSize() {
    return rows * columns;
  }

  /** The unsigned value of pixel {@code (row, column)} of image {@code index}. */
  public int pixel(int index, int row, int column) {
    return pixels[index * imageSize() + row * columns + column] & 0xFF;
  }
}
