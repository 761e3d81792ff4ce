package org.dnnlessons.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
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

  /**
   * The shape of the edge view of an array of shape {@code full}, summarized under {@code options}:
   * every axis longer than {@code 2 * edgeItems} cut to {@code 2 * edgeItems + 1} (the edge items
   * around one middle element that is never printed). Formatted with {@code
   * options.withThreshold(0)}, the view prints as numpy prints the full array, so an array too
   * large to hold prints from its edges alone.
   *
   * @param full the full array's shape; each dimension {@code >= 0}
   * @param options the print options the full array is printed with
   * @return a new array: {@code full} with every axis longer than {@code 2 * edgeItems} cut
   */
  public static long[] edgeViewShape(long[] full, NumpyPrintOptions options) {
    long[] view = full.clone();
    for (int d = 0; d < view.length; d++) {
      view[d] = Math.min(view[d], 2L * options.edgeItems() + 1);
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
    tensor.copyTo(DataBuffers.of(values, false, false));
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
    return format(values, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #format(float[], long[])}, summarized as {@code options} say.
   *
   * @param values float32 values, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of a float32 array shows under those options
   */
  public static String format(float[] values, long[] shape, NumpyPrintOptions options) {
    checkSize(values.length, shape);
    double[] widened = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return formatFloats(widened, shape, Precision.SINGLE, options);
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
    return formatHalf(values, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #formatHalf(float[], long[])}, summarized as {@code options} say.
   *
   * @param values float16 values widened to float32, row-major
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of a float16 array shows under those options
   */
  public static String formatHalf(float[] values, long[] shape, NumpyPrintOptions options) {
    checkSize(values.length, shape);
    double[] widened = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return formatFloats(widened, shape, Precision.HALF, options);
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
    return formatBfloat16(values, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #formatBfloat16(float[], long[])}, summarized as {@code options} say.
   *
   * @param values bfloat16 values widened to float32, row-major
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of a bfloat16 array shows under those options
   */
  public static String formatBfloat16(float[] values, long[] shape, NumpyPrintOptions options) {
    checkSize(values.length, shape);
    return layout(shape, values.length, i -> cFormatG(values[i]), options);
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
    return format(values, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #format(double[], long[])}, summarized as {@code options} say.
   *
   * @param values float64 values, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of a float64 array shows under those options
   */
  public static String format(double[] values, long[] shape, NumpyPrintOptions options) {
    checkSize(values.length, shape);
    return formatFloats(values.clone(), shape, Precision.DOUBLE, options);
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
    return format(values, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #format(long[], long[])}, summarized as {@code options} say.
   *
   * @param values integer values widened to long, row-major
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of an integer array shows under those options
   */
  public static String format(long[] values, long[] shape, NumpyPrintOptions options) {
    checkSize(values.length, shape);
    int[] visible = visibleIndices(values.length, shape, options);
    int width = 0;
    for (int i : visible) {
      width = Math.max(width, Long.toString(values[i]).length());
    }
    final int w = width;
    return layout(shape, values.length, i -> pad(Long.toString(values[i]), w), options);
  }

  /**
   * Formats booleans laid out row-major in {@code shape}.
   *
   * @param values booleans, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @return the text numpy's {@code print} of a bool array shows ({@code True}/{@code False})
   */
  public static String format(boolean[] values, long[] shape) {
    return format(values, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #format(boolean[], long[])}, summarized as {@code options} say.
   *
   * @param values booleans, row-major; length is the product of {@code shape}
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of a bool array shows under those options
   */
  public static String format(boolean[] values, long[] shape, NumpyPrintOptions options) {
    checkSize(values.length, shape);
    boolean scalar = shape.length == 0;
    return layout(
        shape, values.length, i -> values[i] ? (scalar ? "True" : " True") : "False", options);
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
    return formatObjects(reprs, shape, NumpyPrintOptions.DEFAULT);
  }

  /**
   * As {@link #formatObjects(List, long[])}, summarized as {@code options} say.
   *
   * @param reprs each element's Python {@code repr()}, row-major
   * @param shape the array's shape ({@code []} for a scalar)
   * @param options numpy's {@code threshold} and {@code edgeitems}
   * @return the text numpy's {@code print} of an object array shows under those options
   */
  public static String formatObjects(List<String> reprs, long[] shape, NumpyPrintOptions options) {
    checkSize(reprs.size(), shape);
    return layout(shape, reprs.size(), reprs::get, options);
  }

  private static String formatFloats(
      double[] values, long[] shape, Precision precision, NumpyPrintOptions options) {
    int[] visible = visibleIndices(values.length, shape, options);
    FloatFormat f = FloatFormat.of(values, visible, precision);
    return layout(shape, values.length, i -> f.format(values[i]), options);
  }

  // ---------------------------------------------------------------- array layout

  private static String layout(
      long[] shape, int size, IntFunction<String> element, NumpyPrintOptions options) {
    if (shape.length == 0) {
      return element.apply(0).strip();
    }
    if (size == 0) {
      return "[]";
    }
    NumpyPrintOptions summary = options.summarizes(size) ? options : null;
    int[] strides = strides(shape);
    return recurse(shape, strides, 0, 0, " ", LINE_WIDTH, element, summary);
  }

  private static String recurse(
      long[] shape,
      int[] strides,
      int axis,
      int offset,
      String hangingIndent,
      int currWidth,
      IntFunction<String> element,
      NumpyPrintOptions summary) {
    if (axis == shape.length) {
      return element.apply(offset);
    }
    String nextIndent = hangingIndent + " ";
    int nextWidth = currWidth - 1;
    int len = (int) shape[axis];
    boolean showSummary = summary != null && summary.cuts(len);
    List<Integer> leading = new ArrayList<>();
    List<Integer> trailing = new ArrayList<>();
    if (showSummary) {
      int edge = summary.edgeItems();
      for (int i = 0; i < edge; i++) {
        leading.add(i);
      }
      for (int i = len - edge; i < len; i++) {
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
                    summary))
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
                    summary));
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
  private static int[] visibleIndices(int size, long[] shape, NumpyPrintOptions options) {
    if (!options.summarizes(size) || shape.length == 0) {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] strides = strides(shape);
    List<Integer> out = new ArrayList<>();
    collectVisible(shape, strides, 0, 0, out, options);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void collectVisible(
      long[] shape,
      int[] strides,
      int axis,
      int offset,
      List<Integer> out,
      NumpyPrintOptions options) {
    if (axis == shape.length) {
      out.add(offset);
      return;
    }
    int len = (int) shape[axis];
    int edge = options.edgeItems();
    for (int i = 0; i < len; i++) {
      if (options.cuts(len) && i >= edge && i < len - edge) {
        continue;
      }
      collectVisible(shape, strides, axis + 1, offset + i * strides[axis], out, options);
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
                new BigInteger(unscaled),
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
