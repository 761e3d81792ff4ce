package org.dnnlessons.files;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Keeps a user-facing message one line of at most {@link #MAX_MESSAGE_CHARS} characters: values
 * from outside (a file name, a configuration string, a list of 20,000 weights) are quoted through
 * {@link #value}, which escapes line breaks and elides the middle of a long value with its length,
 * and a whole message through {@link #oneLine}.
 *
 * <pre>{@code
 * Messages.value("x".repeat(1_000_000))  // "xxxx…(1000000 characters)…xxxx", 120 characters or so
 * }</pre>
 */
public final class Messages {

  /** The longest value {@link #value} passes whole, in characters. */
  public static final int MAX_VALUE_CHARS = 160;

  /** The longest message {@link #oneLine} passes whole, in characters. */
  public static final int MAX_MESSAGE_CHARS = 600;

  /** The longest path {@link #path} passes whole, in characters. */
  public static final int MAX_PATH_CHARS = 300;

  private Messages() {}

  /**
   * {@code value} for a message: control characters (line breaks included) escaped as {@code \n},
   * {@code \t}, {@code \\u0007}, and, when longer than {@link #MAX_VALUE_CHARS}, its head and tail
   * kept around {@code …(N characters)…}, where N is the original length.
   *
   * @param value anything; {@code null} prints as {@code null}
   * @return {@code String.valueOf(value)}, escaped and elided, on one line
   */
  public static String value(Object value) {
    return elide(escape(String.valueOf(value)), String.valueOf(value).length(), MAX_VALUE_CHARS);
  }

  /**
   * A path for a message: {@link #value} of its text.
   *
   * @param path a path, not null
   * @return the path's text, escaped and elided beyond {@link #MAX_PATH_CHARS}
   */
  public static String path(Path path) {
    return path(path.toString());
  }

  /**
   * A path's text for a message, elided beyond {@link #MAX_PATH_CHARS}.
   *
   * @param path a path's text
   * @return the text, escaped and elided beyond {@link #MAX_PATH_CHARS}
   */
  public static String path(String path) {
    return elide(escape(path), path.length(), MAX_PATH_CHARS);
  }

  /**
   * {@code message} as one line of at most {@link #MAX_MESSAGE_CHARS} characters (line breaks
   * escaped, the middle elided with the original length); {@code ""} for null.
   *
   * @param message any message, possibly multi-line; may be null
   * @return one line of at most {@link #MAX_MESSAGE_CHARS} characters
   */
  public static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return elide(escape(message), message.length(), MAX_MESSAGE_CHARS);
  }

  /**
   * A byte count for a message: {@code 1.5 GiB}, {@code 768 MiB}, {@code 12 KiB}, {@code 17 bytes}
   * (whole MiB and KiB, rounded down; GiB with one decimal).
   *
   * @param n a count of bytes, {@code >= 0}
   * @return the count in the largest binary unit it reaches
   */
  public static String bytes(long n) {
    if (n >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
    }
    if (n >= 1L << 20) {
      return (n >> 20) + " MiB";
    }
    if (n >= 1L << 10) {
      return (n >> 10) + " KiB";
    }
    return n + " bytes";
  }

  private static String escape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default ->
                Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    ? String.format(Locale.ROOT, "\\u%04x", (int) c)
                    : null;
          };
      if (r != null && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (r != null) {
          b.append(r);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  private static String elide(String s, int originalLength, int max) {
    if (s.length() <= max) {
      return s;
    }
    String mark = "…(" + originalLength + " characters)…";
    int keep = Math.max(0, max - mark.length());
    int head = keep * 2 / 3;
    int tail = keep - head;
    // never split a surrogate pair
    if (head > 0 && Character.isHighSurrogate(s.charAt(head - 1))) {
      head--;
    }
    int tailStart = s.length() - tail;
    if (tail > 0 && Character.isLowSurrogate(s.charAt(tailStart))) {
      tailStart++;
    }
    return s.substring(0, head) + mark + s.substring(tailStart);
  }
}
