package org.dnnlessons.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/** numpy.isclose-style assertions: {@code |actual - expected| <= atol + rtol * |expected|}. */
public final class Close {

  /** The default tolerance for float32 results, absolute and relative. */
  public static final double EPSILON = 1e-5;

  private Close() {}

  /** Asserts two matrices have the same shape and every element is close, at {@link #EPSILON}. */
  public static void assertAllClose(float[][] expected, float[][] actual) {
    assertAllClose(expected, actual, EPSILON, EPSILON);
  }

  /** Asserts two matrices have the same shape and every element is close. */
  public static void assertAllClose(
      float[][] expected, float[][] actual, double rtol, double atol) {
    assertEquals(expected.length, actual.length, "number of rows");
    for (int r = 0; r < expected.length; r++) {
      assertEquals(expected[r].length, actual[r].length, "number of columns in row " + r);
      for (int c = 0; c < expected[r].length; c++) {
        double e = expected[r][c];
        double a = actual[r][c];
        if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
          fail(
              String.format(
                  "element [%d][%d]: expected %s, found %s (|diff| %.3g > atol %.1g + rtol %.1g * |expected|)%n"
                      + "expected %s%nactual   %s",
                  r,
                  c,
                  e,
                  a,
                  Math.abs(a - e),
                  atol,
                  rtol,
                  Arrays.deepToString(expected),
                  Arrays.deepToString(actual)));
        }
      }
    }
  }

  /**
   * Asserts two float arrays have the same length and every element is within {@code ulps} float32
   * units in the last place of the expected one (both NaN, or equal infinities, also match).
   */
  public static void assertWithinUlps(float[] expected, float[] actual, int ulps, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i];
      float a = actual[i];
      boolean close =
          e == a
              || (Float.isNaN(e) && Float.isNaN(a))
              || Math.abs((double) a - e) <= ulps * (double) Math.ulp(e);
      if (!close) {
        fail(
            what
                + ": element "
                + i
                + " expected "
                + e
                + ", found "
                + a
                + " ("
                + Math.round(Math.abs((double) a - e) / Math.ulp(e))
                + " ulps apart, more than "
                + ulps
                + ")");
      }
    }
  }

  /** Asserts two float arrays are identical bit for bit. */
  public static void assertBitwiseEqual(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        fail(
            what
                + ": element "
                + i
                + " expected "
                + expected[i]
                + " (bits "
                + Integer.toHexString(Float.floatToRawIntBits(expected[i]))
                + "), found "
                + actual[i]
                + " (bits "
                + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
                + ")");
      }
    }
  }

  /** Asserts two float matrices are identical bit for bit. */
  public static void assertBitwiseEqual(float[][] expected, float[][] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    for (int r = 0; r < expected.length; r++) {
      assertBitwiseEqual(expected[r], actual[r], what + " row " + r);
    }
  }
}
