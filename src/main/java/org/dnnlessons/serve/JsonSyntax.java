package org.dnnlessons.serve;

import java.util.Locale;

/**
 * The first fault of a body that is not JSON (RFC 8259), named as what it is: empty, truncated,
 * data after the value, {@code NaN} or {@code Infinity}, an unquoted word, single quotes, a number
 * JSON does not write ({@code 01}, {@code .5}, {@code 0x10}), a missing comma or colon, a trailing
 * comma, a comment, a bad escape; with the character offset where it is. Run only when the parser
 * has refused a body, to say why (Gson's own messages say little more than "malformed JSON" for
 * most of these); TensorFlow Serving names them likewise from RapidJSON's parse error codes ("The
 * document is empty.", "The document root must not be followed by other values.", ...).
 */
final class JsonSyntax {

  private final String s;
  private int i;

  private JsonSyntax(String s) {
    this.s = s;
  }

  /** A fault found; its message says what and where. */
  private static final class Fault extends Exception {
    private static final long serialVersionUID = 1L;

    Fault(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The first fault of {@code text} as JSON, in one line.
   *
   * @param text the body, decoded
   * @return what is wrong and at which character (counted from 0), or {@code null} when it is JSON
   */
  static String firstFault(String text) {
    JsonSyntax p = new JsonSyntax(text);
    try {
      p.space();
      if (p.i == text.length()) {
        return "the body is empty (expected a JSON object)";
      }
      p.value("the body");
      p.space();
      if (p.i < text.length()) {
        throw p.fault("data after the JSON value at character " + p.i + ": " + p.near());
      }
      return null;
    } catch (Fault f) {
      return f.getMessage();
    }
  }

  private Fault fault(String message) {
    return new Fault(message);
  }

  /** The text at the current character, quoted and cut short. */
  private String near() {
    String rest = s.substring(i, Math.min(s.length(), i + 12));
    return "'" + rest.replaceAll("\\s.*", "") + (i + 12 < s.length() ? "'..." : "'");
  }

  private Fault truncated(String inside, int openedAt) {
    return fault(
        "the body ends inside "
            + inside
            + (openedAt >= 0 ? " opened at character " + openedAt : "")
            + ": the JSON is truncated");
  }

  private void space() throws Fault {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
      } else if (c == '/'
          && i + 1 < s.length()
          && (s.charAt(i + 1) == '*' || s.charAt(i + 1) == '/')) {
        throw fault("a comment at character " + i + ": JSON has no comments");
      } else {
        return;
      }
    }
  }

  private void value(String what) throws Fault {
    if (i >= s.length()) {
      throw truncated(what, -1);
    }
    char c = s.charAt(i);
    if (c == '{') {
      object();
    } else if (c == '[') {
      array();
    } else if (c == '"') {
      string();
    } else if (c == '\'') {
      throw fault(
          "a string in single quotes at character " + i + ": JSON strings take double quotes");
    } else if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
      number();
    } else if (Character.isLetter(c) || c == '_') {
      word();
    } else if (c == ']' || c == '}' || c == ',') {
      throw fault(
          "'" + c + "' at character " + i + " where a value was expected" + trailingComma());
    } else {
      throw fault(
          String.format(
              Locale.ROOT,
              "'%s' (U+%04X) at character %d is not JSON: expected a value",
              c,
              (int) c,
              i));
    }
  }

  /** " (a trailing comma)" when the character before the current one (spaces aside) is a comma. */
  private String trailingComma() {
    int j = i - 1;
    while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
      j--;
    }
    return j >= 0 && s.charAt(j) == ',' ? ": a trailing comma at character " + j : "";
  }

  private void word() throws Fault {
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    String w = s.substring(start, i);
    if (w.equals("true") || w.equals("false") || w.equals("null")) {
      return;
    }
    if (w.equals("NaN") || w.equals("Infinity")) {
      throw fault(
          w
              + " at character "
              + start
              + " is not a JSON number (JSON has no NaN or Infinity; pixels are numbers from 0 to"
              + " 1)");
    }
    throw fault(
        "an unquoted word '"
            + w
            + "' at character "
            + start
            + ": not JSON (strings take double quotes; numbers are digits)");
  }

  private void number() throws Fault {
    int start = i;
    if (s.charAt(i) == '+') {
      throw badNumber(start, "JSON numbers have no '+' sign");
    }
    if (s.charAt(i) == '-') {
      i++;
      if (s.startsWith("Infinity", i)) {
        throw fault(
            "-Infinity at character "
                + start
                + " is not a JSON number (JSON has no NaN or Infinity; pixels are numbers from 0"
                + " to 1)");
      }
    }
    if (i < s.length() && s.charAt(i) == '0') {
      i++;
      if (i < s.length() && (s.charAt(i) == 'x' || s.charAt(i) == 'X')) {
        throw badNumber(start, "JSON numbers are decimal, not hexadecimal");
      }
      if (i < s.length() && Character.isDigit(s.charAt(i))) {
        throw badNumber(start, "JSON numbers have no leading zeros");
      }
    } else if (digits() == 0) {
      throw badNumber(start, "a digit must come first");
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      if (digits() == 0) {
        throw badNumber(start, "a digit must follow the '.'");
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (digits() == 0) {
        throw badNumber(start, "the exponent has no digits");
      }
    }
    if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      throw badNumber(start, "it goes on with '" + s.charAt(i) + "'");
    }
  }

  private int digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i - start;
  }

  private Fault badNumber(int start, String why) {
    int end = start + 1;
    while (end < s.length() && "+-.0123456789abcdefxABCDEFX".indexOf(s.charAt(end)) >= 0) {
      end++;
    }
    return fault(
        "'"
            + s.substring(start, end)
            + "' at character "
            + start
            + " is not a JSON number: "
            + why);
  }

  private void string() throws Fault {
    int start = i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        return;
      } else if (c == '\\') {
        if (i + 1 >= s.length()) {
          break;
        }
        char e = s.charAt(i + 1);
        if (e == 'u') {
          for (int k = 2; k < 6; k++) {
            if (i + k >= s.length()) {
              throw truncated("a string", start);
            }
            if (Character.digit(s.charAt(i + k), 16) < 0) {
              throw fault(
                  "an invalid \\u escape at character " + i + ": four hex digits follow \\u");
            }
          }
          i += 6;
        } else if ("\"\\/bfnrt".indexOf(e) >= 0) {
          i += 2;
        } else {
          throw fault("an invalid escape '\\" + e + "' in a string at character " + i);
        }
      } else if (c < 0x20) {
        throw fault(
            String.format(
                Locale.ROOT,
                "a control character (U+%04X) inside a string at character %d: JSON escapes them",
                (int) c,
                i));
      } else {
        i++;
      }
    }
    throw truncated("a string", start);
  }

  private void array() throws Fault {
    int start = i++;
    space();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return;
    }
    while (true) {
      space();
      if (i >= s.length()) {
        throw truncated("a list", start);
      }
      value("a list");
      space();
      if (i >= s.length()) {
        throw truncated("a list", start);
      }
      char c = s.charAt(i);
      if (c == ',') {
        i++;
        space();
        if (i < s.length() && s.charAt(i) == ']') {
          throw fault("a trailing comma before ']' at character " + i);
        }
      } else if (c == ']') {
        i++;
        return;
      } else {
        throw fault(
            "expected ',' or ']' after a list's element at character " + i + ", found " + near());
      }
    }
  }

  private void object() throws Fault {
    int start = i++;
    space();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return;
    }
    while (true) {
      space();
      if (i >= s.length()) {
        throw truncated("an object", start);
      }
      char c = s.charAt(i);
      if (c == '\'') {
        throw fault("a key in single quotes at character " + i + ": JSON keys take double quotes");
      } else if (c == '}') {
        throw fault("a trailing comma before '}' at character " + i);
      } else if (c != '"') {
        throw fault("expected a key in double quotes at character " + i + ", found " + near());
      }
      string();
      space();
      if (i >= s.length()) {
        throw truncated("an object", start);
      }
      if (s.charAt(i) != ':') {
        throw fault("expected ':' after a key at character " + i + ", found " + near());
      }
      i++;
      space();
      if (i >= s.length()) {
        throw truncated("an object", start);
      }
      value("an object");
      space();
      if (i >= s.length()) {
        throw truncated("an object", start);
      }
      c = s.charAt(i);
      if (c == ',') {
        i++;
      } else if (c == '}') {
        i++;
        return;
      } else {
        throw fault(
            "expected ',' or '}' after an object's value at character " + i + ", found " + near());
      }
    }
  }
}
