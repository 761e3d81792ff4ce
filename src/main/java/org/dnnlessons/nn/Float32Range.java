package org.dnnlessons.nn;

/**
 * Checks that a positive setting survives the cast to float32, the dtype the graph computes in: a
 * value Java holds as a double (4.9e-324, 1e39) but float32 rounds to 0 or to infinity would
 * silently train with a different number, so it is refused with one line.
 */
final class Float32Range {

  private Float32Range() {}

  /**
   * Checks that {@code value}, positive and finite, stays positive and finite in float32.
   *
   * @param what the setting, as the message names it ("learning rate")
   * @throws IllegalArgumentException naming the setting, the value and the float32 limit
   */
  static void checkPositive(String what, double value) {
    float f = (float) value;
    if (f == 0f) {
      throw new IllegalArgumentException(
          what
              + " "
              + value
              + " rounds to 0 in float32, the graph's dtype; the smallest positive float32 is "
              + Float.MIN_VALUE);
    }
    if (Float.isInfinite(f)) {
      throw new IllegalArgumentException(
          what
              + " "
              + value
              + " rounds to infinity in float32, the graph's dtype; the largest float32 is "
              + Float.MAX_VALUE);
    }
  }
}
