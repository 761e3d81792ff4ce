package org.dnnlessons.format;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares two printed texts the way float output must be compared across machines: every decimal
 * number within a tolerance, everything else exactly.
 *
 * <p>The last digits of a float32 result follow the CPU's kernels: oneDNN picks a matrix-multiply
 * kernel for the instructions it finds (FMA or not, the vector width, the blocking), so the same
 * program prints {@code 5.11 8.440001} on one x86-64 machine and {@code 5.1099997 8.44} on another,
 * in Java and in Python alike. Text frozen on one machine (a notebook's stored outputs, a
 * documented example) is therefore compared with {@link #compare}: decimal numbers (those with a
 * point or an exponent, such as {@code 0.}, {@code 5.1099997}, {@code 1e-05}) are equal when {@code
 * |actual - expected| <= atol + rtol * |expected|}, as {@code numpy.isclose} has it; integers
 * (counts, shapes, step numbers) must be equal digit for digit; blanks next to a number are
 * alignment (numpy pads columns to the widest number) and are not compared; all other text must be
 * identical.
 *
 * <pre>{@code
 * NumericText.compare("[[ 5.11      8.440001]", "[[ 5.1099997  8.44     ]",
 *     NumericText.Tolerance.FLOAT32)                        // Optional.empty(): equal
 * }</pre>
 */
public final class NumericText {

  /**
   * A number as it appears in text: an optional sign, digits with an optional point (or a point and
   * digits), an optional exponent.
   */
  static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private NumericText() {}

  /**
   * How far a decimal number may move: {@code |actual - expected| <= atol + rtol * |expected|}
   * ({@code numpy.isclose}'s rule, with its argument order).
   *
   * @param rtol relative tolerance, finite and {@code >= 0}
   * @param atol absolute tolerance, finite and {@code >= 0}
   */
  public record Tolerance(double rtol, double atol) {

    /**
     * A float32 result whose last bits follow the CPU's kernels: {@code rtol} 1e-6 (about 8 float32
     * units in the last place) and {@code atol} 1e-6 (for sums that cancel to about zero). The
     * default of {@code notebook verify}.
     */
    public static final Tolerance FLOAT32 = new Tolerance(1e-6, 1e-6);

    /** Numbers must be equal in value ({@code 0.50} equals {@code 0.5}). */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    /**
     * Checks both tolerances.
     *
     * @param rtol relative tolerance, as numpy's {@code isclose(rtol=)}; finite and {@code >= 0}
     * @param atol absolute tolerance, as numpy's {@code isclose(atol=)}; finite and {@code >= 0}
     * @throws IllegalArgumentException when one is negative, NaN or infinite
     */
    public Tolerance {
      if (!(rtol >= 0 && Double.isFinite(rtol))) {
        throw new IllegalArgumentException(
            "rtol must be a finite number >= 0, found " + format(rtol));
      }
      if (!(atol >= 0 && Double.isFinite(atol))) {
        throw new IllegalArgumentException(
            "atol must be a finite number >= 0, found " + format(atol));
      }
    }

    /**
     * Whether {@code actual} is close enough to {@code expected}.
     *
     * @param expected the peer's number
     * @param actual this product's number
     * @return true when {@code |actual - expected| <= atol + rtol * |expected|} (numpy's {@code
     *     isclose}), or both are the same infinity; false when either is NaN
     */
    public boolean allows(double expected, double actual) {
      if (expected == actual) {
        return true; // also equal infinities
      }
      return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    @Override
    public String toString() {
      return "rtol " + format(rtol) + ", atol " + format(atol);
    }
  }

  /**
   * The first place where two texts differ.
   *
   * @param line the line of the expected text it is on, counted from 1
   * @param expected the expected number or text there
   * @param actual the actual number or text there
   * @param reason why they differ, in words
   */
  public record Difference(int line, String expected, String actual, String reason) {

    /** One line: {@code line 1: expected 5.11, found 5.2 (...)}. */
    @Override
    public String toString() {
      return "line "
          + line
          + ": expected "
          + quoteText(expected)
          + ", found "
          + quoteText(actual)
          + " ("
          + reason
          + ")";
    }

    private static String quoteText(String s) {
      return NUMBER.matcher(s).matches() ? s : "\"" + s.replace("\n", "\\n") + "\"";
    }
  }

  /**
   * Compares {@code actual} with {@code expected}: decimal numbers within {@code tolerance},
   * integers digit for digit, blanks next to a number ignored, all other text exactly.
   *
   * @param expected the text the peer printed (Python's output, or a pinned expectation)
   * @param actual the text this product printed
   * @param tolerance how far two decimal numbers may differ ({@link Tolerance#EXACT} for equal
   *     values)
   * @return the first difference, or empty when the texts match
   */
  public static Optional<Difference> compare(String expected, String actual, Tolerance tolerance) {
    List<Token> want = tokens(expected);
    List<Token> got = tokens(actual);
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      if (i >= got.size()) {
        Token w = want.get(i);
        return Optional.of(new Difference(w.line, w.text, "", "the actual text ends early"));
      }
      if (i >= want.size()) {
        int line = want.isEmpty() ? 1 : want.get(want.size() - 1).line;
        return Optional.of(new Difference(line, "", got.get(i).text, "the actual text goes on"));
      }
      Token w = want.get(i);
      Token g = got.get(i);
      Optional<String> why = differs(w, g, tolerance);
      if (why.isPresent()) {
        return Optional.of(new Difference(w.line, w.text, g.text, why.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * The text with every number replaced by {@code #} and the blanks removed: two texts with the
   * same words and the same count of numbers in the same places have the same {@code shape}. For
   * output whose numbers change from run to run (an unseeded random op, a timing).
   *
   * @param text any printed text
   * @return {@code text} with each number as {@code #} and no blanks; never null
   */
  public static String shape(String text) {
    return NUMBER.matcher(text).replaceAll("#").replaceAll("[ \\t]+", "").strip();
  }

  private static Optional<String> differs(Token w, Token g, Tolerance tolerance) {
    if (w.number != g.number) {
      return Optional.of(w.number ? "a number expected here" : "text expected here");
    }
    if (!w.number) {
      return w.text.equals(g.text) ? Optional.empty() : Optional.of("the text differs");
    }
    boolean wDecimal = isDecimal(w.text);
    boolean gDecimal = isDecimal(g.text);
    if (!wDecimal || !gDecimal) {
      return w.text.equals(g.text)
          ? Optional.empty()
          : Optional.of("integers are compared digit for digit");
    }
    double e = Double.parseDouble(w.text);
    double a = Double.parseDouble(g.text);
    if (tolerance.allows(e, a)) {
      return Optional.empty();
    }
    return Optional.of(
        "|diff| "
            + String.format(Locale.ROOT, "%.3g", Math.abs(a - e))
            + " > atol "
            + format(tolerance.atol())
            + " + rtol "
            + format(tolerance.rtol())
            + " * |expected|");
  }

  private static boolean isDecimal(String number) {
    return number.indexOf('.') >= 0 || number.indexOf('e') >= 0 || number.indexOf('E') >= 0;
  }

  private record Token(String text, boolean number, int line) {}

  /** Numbers and the text between them; blanks next to a number are dropped. */
  private static List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    Matcher m = NUMBER.matcher(text);
    int at = 0;
    int line = 1;
    boolean afterNumber = false;
    while (m.find()) {
      String between = text.substring(at, m.start());
      line = addText(out, between, afterNumber, true, line);
      out.add(new Token(m.group(), true, line));
      at = m.end();
      afterNumber = true;
    }
    addText(out, text.substring(at), afterNumber, false, line);
    return out;
  }

  private static int addText(
      List<Token> out, String between, boolean afterNumber, boolean beforeNumber, int line) {
    String s = between;
    if (afterNumber) {
      s = s.replaceFirst("^[ \\t]+", "");
    }
    if (beforeNumber) {
      s = s.replaceFirst("[ \\t]+$", "");
    }
    if (!s.isEmpty() || (afterNumber && beforeNumber)) {
      // Between two numbers the (possibly empty) separator is kept, so "1 2" never equals "12".
      out.add(new Token(s, false, line));
    }
    return line + (int) between.chars().filter(c -> c == '\n').count();
  }

  private static String format(double d) {
    return Double.isFinite(d)
        ? new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString()
        : Double.toString(d);
  }
}
