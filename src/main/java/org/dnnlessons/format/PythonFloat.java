package org.dnnlessons.format;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers as Python's {@code '%.6f' % x} and {@code '{:.6f}'.format(x)} print them, where Java's
 * {@code String.format} differs: non-finite values are {@code nan}, {@code inf} and {@code -inf}
 * (Java: {@code NaN}, {@code Infinity}), and the digits come from the exact binary value rounded
 * half to even (Python: {@code '%.2f' % 0.125} is {@code 0.12}, {@code '%.2f' % 2.675} is {@code
 * 2.67}; Java rounds the shortest decimal half up, giving {@code 0.13} and {@code 2.68}).
 */
public final class PythonFloat {

  private PythonFloat() {}

  /**
   * {@code '%.{digits}f' % v}, exactly as Python prints it.
   *
   * @param v the number (NaN and infinities print as Python prints them)
   * @param digits digits after the point; {@code >= 0}
   * @return the text of Python's {@code '%.{digits}f' % v}
   */
  public static String fixed(double v, int digits) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    String magnitude =
        new BigDecimal(Math.abs(v)).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    return negative ? "-" + magnitude : magnitude;
  }
}
