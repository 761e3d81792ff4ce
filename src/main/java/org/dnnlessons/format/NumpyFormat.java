package org.dnnlessons.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Formats arrays the way {@code print(array)} does in numpy 1.14 and later, so a Java lesson prints
 * what the Python notebook prints: {@code [[ 5.11 8.44]} / {@code [ 0. 0. ]} / {@code [24.01
 * 38.24]]}.
 *
 * <p>Implements numpy's default print options: floats shown with the fewest digits that identify
 * them (at most 8 after the point), aligned on the decimal point; scientific notation when the
 * largest magnitude is at least 1e8, or the smallest non-zero one is below 1e-4, or their ratio
 * exceeds 1000; rows wrapped at 75 characters; arrays of more than 1000 elements summarized with
 * {@code ...} around 3 edge items. float32 values print with float32's shortest digits, as numpy
 * does for {@code float32} arrays.
 */
public final class NumpyFormat {

  /** numpy's {@code linewidth} print option. */
  public static final int LINE_WIDTH = 75;

  /** numpy's {@code precision} print option: most digits after the point. */
  public static final int PRECISION = 8;

  /** numpy's {@code threshold}: arrays with more elements are summarized. */
  public static final int THRESHOLD = 1000;

  /** numpy's {@code edgeitems}: items kept at each edge of a summarized axis. */
  public static final int EDGE_ITEMS = 3;

  private NumpyFormat() {}

  /** Set while {@link #formatEdgeView} formats: summarize whatever the view's own size. */
  private static final ThreadLocal<Boolean> EDGE_VIEW = ThreadLocal.withInitial(() -> false);

  /**
   * Formats an edge view of an array too large to hold: its shape is the full shape with every axis
   * longer than {@code 2 * EDGE_ITEMS} cut to {@code 2 * EDGE_ITEMS + 1} (the edge items around one
   * middle element that is never printed), and it is summarized, as numpy summarizes the full
   * array. {@code format} is one of this class's methods applied to the view.
   *
   * @param format formats the edge view with one of this class's methods; runs on this thread
   * @return what {@code format} returns, summarized with {@code ...} as numpy prints the full array
   */
  public static String formatEdgeView(java.util.function.Supplier<String> format) {
    EDGE_VIEW.set(true);
    try {
      return format.get();
    } finally {
      EDGE_VIEW.set(false);
    }
  }

  /**
   * The shape of the edge view of an array of shape {@code full} (see {@link #formatEdgeView}).
   *
   * @param full the full array's shape; each dimension {@code >= 0}
   * @return a new array: {@code full} with every axis longer than {@code 2 * EDGE_ITEMS} cut to
   *     {@code 2 * EDGE_ITEMS + 1}
   */
  public static long[] edgeViewShape(long[] full) {
    long[] view = full.clone();
    for (int d = 0; d < view.length; d++) {
      view[d] = Math.min(view[d], 2 * EDGE_ITEMS + 1);
    }
    return view;
  }

  /**
   * Formats a float32 tensor. The tensor stays open; the caller closes it.
   *
   * @param tensor a float32 tensor of any rank (rank 0 prints as a scalar)
   * @return the text numpy's {@code print(tensor.numpy())} shows
   */
  public static String format(TFloat32 tensor) {
    Shape shape = tensor.shape();
    float[] values = new float[Math.toIntExact(shape.size())];
    tensor.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values, false, false));
    return format(values, shape.asArray());
  }

  /**
   * Formats a float32 matrix.
   *
   * @param matrix float32 rows, all of the same length
   * @return the text numpy's {@code print(np.array(matrix, np.float32))} shows
   */
  public static String format(float[][] matrix) {
    int rows = matrix.length;
    int cols = rows == 0 ? 0 : matrix[0].length;
    float[] flat = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      if (matrix[r].length != cols) {
        throw new IllegalArgumentException(
            "ragged matrix: row 0 has " + cols + " columns, row " + r + " has " + matrix[r].length);
      }
      System.arraycopy(matrix[r], 0, flat, r * cols, cols);
    }
    return format(flat, new long[] {rows, cols});
  }

  /**
   * Formats float32 values laid out row-major in {@code shape}.
   *
   * @param values float32 values, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of a float32 array shows
   */
  public static String format(float[] values, long[] shape) {
    checkSize(values.length, shape);
    double[] widened = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return formatFloats(widened, shape, Precision.SINGLE);
  }

  /**
   * Formats float16 values (given widened to float32) as numpy prints a {@code float16} array: with
   * the fewest digits that identify each value as a float16.
   *
   * @param values float16 values widened to float32, row-major; length is the product of {@code
   *     shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of a float16 array shows
   */
  public static String formatHalf(float[] values, long[] shape) {
    checkSize(values.length, shape);
    double[] widened = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return formatFloats(widened, shape, Precision.HALF);
  }

  /**
   * Formats bfloat16 values (given widened to float32) as numpy prints an {@code ml_dtypes}
   * bfloat16 array: each element as C's {@code %g} with 6 significant digits, unpadded.
   *
   * @param values bfloat16 values widened to float32, row-major; length is the product of {@code
   *     shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of an {@code ml_dtypes.bfloat16} array shows
   */
  public static String formatBfloat16(float[] values, long[] shape) {
    checkSize(values.length, shape);
    return layout(shape, values.length, i -> cFormatG(values[i]));
  }

  /** C's {@code printf("%g", v)}: 6 significant digits, trailing zeros removed. */
  static String cFormatG(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
      String m =
          mantissa.scale() <= 0 ? mantissa.setScale(0).toPlainString() : mantissa.toPlainString();
      return m
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }
    BigDecimal plain = d.stripTrailingZeros();
    return plain.scale() <= 0 ? plain.setScale(0).toPlainString() : plain.toPlainString();
  }

  /**
   * Formats float64 values laid out row-major in {@code shape}.
   *
   * @param values float64 values, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of a float64 array shows
   */
  public static String format(double[] values, long[] shape) {
    checkSize(values.length, shape);
    return formatFloats(values.clone(), shape, Precision.DOUBLE);
  }

  /**
   * Formats integer values laid out row-major in {@code shape}.
   *
   * @param values integer values (any integer dtype, widened to long), row-major; length is the
   *     product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of an integer array shows
   */
  public static String format(long[] values, long[] shape) {
    checkSize(values.length, shape);
    int[] visible = visibleIndices(values.length, shape);
    int width = 0;
    for (int i : visible) {
      width = Math.max(width, Long.toString(values[i]).length());
    }
    final int w = width;
    return layout(shape, values.length, i -> pad(Long.toString(values[i]), w));
  }

  /**
   * Formats booleans laid out row-major in {@code shape}.
   *
   * @param values booleans, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of a bool array shows ({@code True}/{@code False})
   */
  public static String format(boolean[] values, long[] shape) {
    checkSize(values.length, shape);
    boolean scalar = shape.length == 0;
    return layout(shape, values.length, i -> values[i] ? (scalar ? "True" : " True") : "False");
  }

  /**
   * Formats an object array (numpy's {@code dtype=object}, as TensorFlow returns string tensors)
   * whose elements' {@code repr()}s are given, row-major in {@code shape}: elements unpadded,
   * wrapped and summarized like any array, e.g. {@code [b'a\\nb' b"it's"]}.
   *
   * @param reprs each element's Python {@code repr()}, row-major; size is the product of {@code
   *     shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of an object array shows
   */
  public static String formatObjects(List<String> reprs, long[] shape) {
    checkSize(reprs.size(), shape);
    return layout(shape, reprs.size(), reprs::get);
  }

  private static String formatFloats(double[] values, long[] shape, Precision precision) {
    int[] visible = visibleIndices(values.length, shape);
    FloatFormat f = FloatFormat.of(values, visible, precision);
    return layout(shape, values.length, i -> f.format(values[i]));
  }

  // ---------------------------------------------------------------- array layout

  private static String layout(long[] shape, int size, IntFunction<String> element) {
    if (shape.length == 0) {
      return element.apply(0).strip();
    }
    if (size == 0) {
      return "[]";
    }
    boolean summarize = size > THRESHOLD || EDGE_VIEW.get();
    int[] strides = strides(shape);
    return recurse(shape, strides, 0, 0, " ", LINE_WIDTH, element, summarize);
  }

  private static String recurse(
      long[] shape,
      int[] strides,
      int axis,
      int offset,
      String hangingIndent,
      int currWidth,
      IntFunction<String> element,
      boolean summarize) {
    if (axis == shape.length) {
      return element.apply(offset);
    }
    String nextIndent = hangingIndent + " ";
    int nextWidth = currWidth - 1;
    int len = (int) shape[axis];
    boolean showSummary = summarize && 2 * EDGE_ITEMS < len;
    List<Integer> leading = new ArrayList<>();
    List<Integer> trailing = new ArrayList<>();
    if (showSummary) {
      for (int i = 0; i < EDGE_ITEMS; i++) {
        leading.add(i);
      }
      for (int i = len - EDGE_ITEMS; i < len; i++) {
        trailing.add(i);
      }
    } else {
      for (int i = 0; i < len; i++) {
        trailing.add(i);
      }
    }
    StringBuilder s = new StringBuilder();
    int axesLeft = shape.length - axis;
    if (axesLeft == 1) {
      int elemWidth = currWidth - 1;
      StringBuilder line = new StringBuilder(hangingIndent);
      for (int i : leading) {
        extendLine(s, line, element.apply(offset + i * strides[axis]), elemWidth, hangingIndent);
        line.append(' ');
      }
      if (showSummary) {
        extendLine(s, line, "...", elemWidth, hangingIndent);
        line.append(' ');
      }
      for (int k = 0; k < trailing.size(); k++) {
        extendLine(
            s,
            line,
            element.apply(offset + trailing.get(k) * strides[axis]),
            elemWidth,
            hangingIndent);
        if (k < trailing.size() - 1) {
          line.append(' ');
        }
      }
      s.append(line);
    } else {
      String lineSep = "\n".repeat(axesLeft - 1);
      for (int i : leading) {
        s.append(hangingIndent)
            .append(
                recurse(
                    shape,
                    strides,
                    axis + 1,
                    offset + i * strides[axis],
                    nextIndent,
                    nextWidth,
                    element,
                    summarize))
            .append(lineSep);
      }
      if (showSummary) {
        s.append(hangingIndent).append("...").append(lineSep);
      }
      for (int k = 0; k < trailing.size(); k++) {
        s.append(hangingIndent)
            .append(
                recurse(
                    shape,
                    strides,
                    axis + 1,
                    offset + trailing.get(k) * strides[axis],
                    nextIndent,
                    nextWidth,
                    element,
                    summarize));
        if (k < trailing.size() - 1) {
          s.append(lineSep);
        }
      }
    }
    return "[" + s.substring(hangingIndent.length()) + "]";
  }

  private static void extendLine(
      StringBuilder s, StringBuilder line, String word, int lineWidth, String nextLinePrefix) {
    boolean needsWrap = line.length() + word.length() > lineWidth;
    if (line.length() <= nextLinePrefix.length()) {
      needsWrap = false; // wrapping would not help
    }
    if (needsWrap) {
      s.append(line.toString().stripTrailing()).append('\n');
      line.setLength(0);
      line.append(nextLinePrefix);
    }
    line.append(word);
  }

  private static int[] strides(long[] shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= (int) shape[i];
    }
    return strides;
  }

  // Indices of the elements numpy looks at to choose the format: all of them, or only the edge
  // items of every axis when the array is summarized.
  private static int[] visibleIndices(int size, long[] shape) {
    if ((size <= THRESHOLD && !EDGE_VIEW.get()) || shape.length == 0) {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] strides = strides(shape);
    List<Integer> out = new ArrayList<>();
    collectVisible(shape, strides, 0, 0, out);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void collectVisible(
      long[] shape, int[] strides, int axis, int offset, List<Integer> out) {
    if (axis == shape.length) {
      out.add(offset);
      return;
    }
    int len = (int) shape[axis];
    for (int i = 0; i < len; i++) {
      if (2 * EDGE_ITEMS < len && i >= EDGE_ITEMS && i < len - EDGE_ITEMS) {
        continue;
      }
      collectVisible(shape, strides, axis + 1, offset + i * strides[axis], out);
    }
  }

  private static void checkSize(int length, long[] shape) {
    Objects.requireNonNull(shape, "shape");
    long expected = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "shape must be fully known, found " + Arrays.toString(shape));
      }
      expected *= d;
    }
    if (expected != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + expected + " values, found " + length);
    }
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  // ---------------------------------------------------------------- float elements

  /** The floating-point type whose shortest digits identify a value. */
  private enum Precision {
    HALF(6),
    SINGLE(9),
    DOUBLE(17);

    final int maxDigits;

    Precision(int maxDigits) {
      this.maxDigits = maxDigits;
    }

    boolean sameValue(BigDecimal candidate, double v) {
      return switch (this) {
        case HALF -> HalfFloats.nearest(candidate.doubleValue()) == HalfFloats.nearest(v);
        case SINGLE -> candidate.floatValue() == (float) v;
        case DOUBLE -> candidate.doubleValue() == v;
      };
    }
  }

  /** numpy's FloatingFormat with its default options (precision 8, floatmode 'maxprec'). */
  private static final class FloatFormat {
    private final Precision precision;
    private final boolean exp;
    private int padLeft;
    private int padRight;
    private int fracDigits; // exp mode: mantissa digits after the point, zero-padded
    private int expSize;

    private FloatFormat(Precision precision, boolean exp) {
      this.precision = precision;
      this.exp = exp;
    }

    static FloatFormat of(double[] values, int[] visible, Precision precision) {
      double max = 0;
      double min = Double.POSITIVE_INFINITY;
      boolean anyFinite = false;
      boolean anyNonFinite = false;
      boolean negInf = false;
      for (int i : visible) {
        double v = values[i];
        if (Double.isFinite(v)) {
          anyFinite = true;
          double a = Math.abs(v);
          if (a != 0) {
            max = Math.max(max, a);
            min = Math.min(min, a);
          }
        } else {
          anyNonFinite = true;
          negInf |= v == Double.NEGATIVE_INFINITY;
        }
      }
      boolean exp =
          min != Double.POSITIVE_INFINITY && (max >= 1e8 || min < 1e-4 || max / min > 1000.0);
      FloatFormat f = new FloatFormat(precision, exp);
      if (anyFinite) {
        for (int i : visible) {
          double v = values[i];
          if (!Double.isFinite(v)) {
            continue;
          }
          if (exp) {
            String[] parts = f.scientific(v, PRECISION, false);
            f.padLeft = Math.max(f.padLeft, parts[0].length());
            f.fracDigits = Math.max(f.fracDigits, parts[1].length());
            f.expSize = Math.max(f.expSize, parts[2].length() - 1);
          } else {
            String[] parts = f.positional(v).split("\\.", -1);
            f.padLeft = Math.max(f.padLeft, parts[0].length());
            f.padRight = Math.max(f.padRight, parts[1].length());
          }
        }
        if (exp) {
          f.padRight = f.expSize + 2 + f.fracDigits;
        }
      }
      if (anyNonFinite) {
        int offset = f.padRight + 1;
        int infLen = 3 + (negInf ? 1 : 0);
        f.padLeft = Math.max(f.padLeft, Math.max(3 - offset, infLen - offset));
      }
      return f;
    }

    String format(double v) {
      if (!Double.isFinite(v)) {
        String s = Double.isNaN(v) ? "nan" : (v < 0 ? "-inf" : "inf");
        return pad(s, padLeft + padRight + 1);
      }
      if (exp) {
        String[] parts = scientific(v, fracDigits, true);
        String exponent = parts[2];
        String sign = exponent.substring(0, 1);
        String digits = exponent.substring(1);
        digits = "0".repeat(Math.max(0, expSize - digits.length())) + digits;
        return pad(parts[0], padLeft) + "." + parts[1] + "e" + sign + digits;
      }
      String[] parts = positional(v).split("\\.", -1);
      String frac = parts[1];
      return pad(parts[0], padLeft) + "." + frac + " ".repeat(padRight - frac.length());
    }

    /** "5.11", "0.", "-24.01": shortest unique digits, at most PRECISION after the point. */
    String positional(double v) {
      BigDecimal d = shortest(v);
      if (d.scale() > PRECISION) {
        d = new BigDecimal(v).setScale(PRECISION, RoundingMode.HALF_EVEN);
      }
      d = stripZeros(d);
      String plain = d.abs().toPlainString();
      String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
      if (!plain.contains(".")) {
        return sign + plain + ".";
      }
      return sign + plain;
    }

    /**
     * {int part with sign, fraction digits, exponent with sign} of the scientific form, with at
     * most {@code maxFrac} fraction digits; zero-padded to exactly {@code maxFrac} when {@code
     * pad}.
     */
    String[] scientific(double v, int maxFrac, boolean pad) {
      String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
      if (v == 0) {
        String frac = pad ? "0".repeat(maxFrac) : "";
        return new String[] {sign + "0", frac, "+00"};
      }
      BigDecimal d = shortest(Math.abs(v));
      if (d.precision() > maxFrac + 1 || (pad && d.precision() < maxFrac + 1)) {
        // Too many digits: round. Too few when padding: numpy's min_digits prints further real
        // digits of the value (2^-24 as a float16 is 5.960e-08 beside 1.001e+00), not zeros.
        d = new BigDecimal(Math.abs(v)).round(new MathContext(maxFrac + 1, RoundingMode.HALF_EVEN));
      }
      if (!pad) {
        d = d.stripTrailingZeros();
      }
      String unscaled = d.unscaledValue().toString();
      if (pad && unscaled.length() < maxFrac + 1) {
        unscaled = unscaled + "0".repeat(maxFrac + 1 - unscaled.length());
        d =
            new BigDecimal(
                new java.math.BigInteger(unscaled),
                d.scale() + (maxFrac + 1 - d.unscaledValue().toString().length()));
      }
      int exponent = unscaled.length() - 1 - d.scale();
      String frac = unscaled.substring(1);
      if (pad) {
        frac = frac + "0".repeat(Math.max(0, maxFrac - frac.length()));
      }
      String expText =
          (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
      return new String[] {sign + unscaled.charAt(0), frac, expText};
    }

    // The shortest decimal that reads back as the same float32 (or float64) value.
    private BigDecimal shortest(double v) {
      BigDecimal exact = new BigDecimal(v);
      if (v == 0) {
        return BigDecimal.ZERO;
      }
      int maxDigits = precision.maxDigits;
      for (int p = 1; p < maxDigits; p++) {
        BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        if (precision.sameValue(candidate, v)) {
          return candidate;
        }
      }
      return exact.round(new MathContext(maxDigits, RoundingMode.HALF_EVEN));
    }

    private static BigDecimal stripZeros(BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      return s.scale() < 0 ? s.setScale(0) : s;
    }
  }
}
