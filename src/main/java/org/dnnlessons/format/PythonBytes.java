package org.dnnlessons.format;

/**
 * Python's {@code repr()} of a {@code bytes} object, which is how numpy and TensorFlow print string
 * tensors: {@code b'a\nb'}, {@code b"it's"}, {@code b'\x00\xff'}.
 *
 * <p>Python quotes with {@code '} unless the bytes hold a {@code '} and no {@code "}; it escapes
 * the chosen quote and the backslash with a backslash, writes tab, newline and carriage return as
 * {@code \t \n \r}, other bytes below 0x20 and from 0x7f up as {@code \xNN} (lower-case hex), and
 * every other byte as its ASCII character.
 */
public final class PythonBytes {

  private PythonBytes() {}

  /**
   * {@code repr(b)} as Python 3 prints it.
   *
   * @param b the bytes, any length
   * @return Python 3's {@code repr(bytes(b))}, e.g. {@code b'a\x00'}
   */
  public static String repr(byte[] b) {
    return repr(b, Integer.MAX_VALUE);
  }

  /**
   * {@code repr(b)}, of at most the first {@code maxBytes} bytes; {@code ...} follows the closing
   * quote when bytes were left out (for messages about long keys).
   *
   * @param b the bytes, any length
   * @param maxBytes how many bytes to show at most; {@code >= 0}
   * @return Python's {@code repr} of the first {@code maxBytes} bytes, with {@code ...} appended
   *     when some were left out
   */
  public static String repr(byte[] b, int maxBytes) {
    boolean single = false;
    boolean dbl = false;
    for (byte c : b) {
      single |= c == '\'';
      dbl |= c == '"';
    }
    char quote = single && !dbl ? '"' : '\'';
    int n = Math.min(b.length, maxBytes);
    StringBuilder s = new StringBuilder(n + 3).append('b').append(quote);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xFF;
      if (c == quote || c == '\\') {
        s.append('\\').append((char) c);
      } else if (c == '\t') {
        s.append("\\t");
      } else if (c == '\n') {
        s.append("\\n");
      } else if (c == '\r') {
        s.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        s.append("\\x")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      } else {
        s.append((char) c);
      }
    }
    s.append(quote);
    return n < b.length ? s.append("...").toString() : s.toString();
  }
}
