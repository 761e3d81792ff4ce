package org.dnnlessons.data;

import java.util.Arrays;

/**
 * The one place where the data package does arithmetic on sizes read from a file: a product that
 * would overflow, or a size no Java array holds, becomes a {@link DatasetException} naming the file
 * and the header field, before anything is allocated.
 *
 * <p>Without it, an IDX header whose dimensions multiply past 2^64 wraps around to a small number,
 * passes every check and reaches TensorFlow as a shape it aborts the process on.
 */
final class CheckedSizes {

  private CheckedSizes() {}

  /**
   * {@code a * b}, exactly.
   *
   * @param source the file, for the message
   * @param what the quantity, e.g. "image count x rows x columns"
   * @throws DatasetException when the product does not fit in a signed 64-bit integer
   */
  static long multiply(String source, String what, long a, long b) throws DatasetException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new DatasetException(source, what + " = " + a + " x " + b + " overflows 64 bits");
    }
  }

  /**
   * The product of {@code factors}, exactly.
   *
   * @throws DatasetException when it does not fit in a signed 64-bit integer
   */
  static long product(String source, String what, long... factors) throws DatasetException {
    long p = 1;
    for (long f : factors) {
      try {
        p = Math.multiplyExact(p, f);
      } catch (ArithmeticException e) {
        throw new DatasetException(
            source, what + " " + Arrays.toString(factors) + ": product overflows 64 bits");
      }
    }
    return p;
  }

  /** {@code value} as an int array length; a {@link DatasetException} when it does not fit. */
  static int arrayLength(String source, String what, long value) throws DatasetException {
    if (value < 0 || value > IdxReader.MAX_PAYLOAD) {
      throw new DatasetException(
          source,
          what + " is " + value + ", more than a Java array holds (" + IdxReader.MAX_PAYLOAD + ")");
    }
    return (int) value;
  }
}
