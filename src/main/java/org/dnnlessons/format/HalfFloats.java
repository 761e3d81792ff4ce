package org.dnnlessons.format;

import java.util.Arrays;

/** IEEE 754 binary16 (float16) rounding, for printing float16 values with their shortest digits. */
final class HalfFloats {

  /** Every non-negative finite float16 value, increasing (bit patterns 0x0000 to 0x7bff). */
  private static final double[] VALUES = new double[0x7c00];

  static {
    for (int bits = 0; bits < VALUES.length; bits++) {
      int exponent = bits >>> 10;
      int mantissa = bits & 0x3FF;
      VALUES[bits] =
          exponent == 0 ? mantissa * 0x1p-24 : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
    }
  }

  private HalfFloats() {}

  /**
   * The float16 bit pattern {@code v} rounds to (round to nearest, ties to even), as a signed int:
   * {@code -bits} for negative values, {@code 0x7c00} for overflow to infinity.
   */
  static int nearest(double v) {
    double a = Math.abs(v);
    int bits;
    if (a >= 65520.0) { // halfway between the largest half (65504) and the next power
      bits = 0x7c00;
    } else {
      int i = Arrays.binarySearch(VALUES, a);
      if (i >= 0) {
        bits = i;
      } else {
        int above = -i - 1;
        int below = above - 1;
        double dBelow = a - VALUES[below];
        double dAbove = VALUES[above] - a;
        bits = dBelow < dAbove ? below : dAbove < dBelow ? above : (below % 2 == 0 ? below : above);
      }
    }
    return v < 0 || (v == 0 && 1 / v < 0) ? -bits - 1 : bits;
  }
}
