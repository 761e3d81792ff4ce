package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each kind of malformed {@code :predict} body gets a 400 whose error names that kind and where it
 * is (as TensorFlow Serving's RapidJSON messages name theirs: "The document is empty.", "The
 * document root must not be followed by other values.", "Invalid value.", ...), never a message
 * about another fault (a huge number was once answered as "not a finite number", trailing data as
 * "NaN, Infinity and unquoted words are not accepted").
 */
class MalformedBodyMessagesTest {

  private static final String[][] CASES = {
    // kind, body, the error's expected words
    {"empty", "", "the body is empty"},
    {"only spaces", " \r\n\t ", "the body is empty"},
    {
      "truncated in a list",
      "{\"instances\": [[0.5, 1",
      "the body ends inside a list opened at character 15: the JSON is truncated"
    },
    {
      "truncated after a list",
      "{\"instances\": [[0.5]]",
      "ends inside an object opened at character 0"
    },
    {"truncated in a key", "{\"instances", "ends inside a string opened at character 1"},
    {"truncated after a colon", "{\"instances\":", "ends inside an object opened at character 0"},
    {"truncated in an escape", "{\"instances\\u00", "ends inside a string opened at character 1"},
    {
      "huge number",
      "{\"instances\": [[1e400]]}",
      "$.instances[0][0] is 1e400: a number beyond the range of a double"
    },
    {"huge negative number", "{\"instances\": [[-1e400]]}", "is -1e400: a number beyond the range"},
    {"out of the pixel range", "{\"instances\": [[255]]}", "$.instances[0][0] is 255: pixels are"},
    {
      "trailing garbage",
      "{\"instances\": [[0.5]]} xyz",
      "data after the JSON value at character 23: 'xyz'"
    },
    {
      "trailing brace",
      "{\"instances\": [[0.5]]}}",
      "data after the JSON value at character 22: '}'"
    },
    {"a second object", "{\"instances\": [[0.5]]}{}", "data after the JSON value at character 22"},
    {"NaN", "{\"instances\": [[NaN]]}", "NaN at character 16 is not a JSON number"},
    {"Infinity", "{\"instances\": [[Infinity]]}", "Infinity at character 16 is not a JSON number"},
    {
      "-Infinity",
      "{\"instances\": [[-Infinity]]}",
      "-Infinity at character 16 is not a JSON number"
    },
    {"unquoted word", "{\"instances\": [[foo]]}", "an unquoted word 'foo' at character 16"},
    {"single-quoted key", "{'instances': [[0.1]]}", "a key in single quotes at character 1"},
    {
      "single-quoted value", "{\"instances\": [['a']]}", "a string in single quotes at character 16"
    },
    {
      "missing comma",
      "{\"instances\": [[0.1 0.2]]}",
      "expected ',' or ']' after a list's element at character 20, found '0.2]]}'"
    },
    {
      "missing comma in an object",
      "{\"instances\": [[0.1]] \"x\": 1}",
      "expected ',' or '}' after an object's value at character 22"
    },
    {"missing colon", "{\"instances\" [[0.1]]}", "expected ':' after a key at character 13"},
    {"unquoted key", "{instances: [[0.1]]}", "expected a key in double quotes at character 1"},
    {
      "trailing comma in a list",
      "{\"instances\": [[0.1,]]}",
      "a trailing comma before ']' at character 20"
    },
    {
      "trailing comma in an object",
      "{\"instances\": [[0.1]],}",
      "a trailing comma before '}' at character 22"
    },
    {"leading comma", "{\"instances\": [,0.1]}", "',' at character 15 where a value was expected"},
    {
      "hexadecimal",
      "{\"instances\": [[0x10]]}",
      "'0x10' at character 16 is not a JSON number: JSON numbers are decimal"
    },
    {
      "leading zero",
      "{\"instances\": [[01]]}",
      "'01' at character 16 is not a JSON number: JSON numbers have no leading zeros"
    },
    {
      "no digit before the point",
      "{\"instances\": [[.5]]}",
      "'.5' at character 16 is not a JSON number: a digit must come first"
    },
    {
      "no digit after the point",
      "{\"instances\": [[1.]]}",
      "'1.' at character 16 is not a JSON number: a digit must follow"
    },
    {
      "empty exponent",
      "{\"instances\": [[1e]]}",
      "is not a JSON number: the exponent has no digits"
    },
    {
      "plus sign",
      "{\"instances\": [[+1]]}",
      "'+1' at character 16 is not a JSON number: JSON numbers have no '+' sign"
    },
    {
      "comment",
      "/* pixels */ {\"instances\": [[0.1]]}",
      "a comment at character 0: JSON has no comments"
    },
    {
      "bad escape",
      "{\"instances\": [[\"\\x\"]]}",
      "an invalid escape '\\x' in a string at character 17"
    },
    {"bad unicode escape", "{\"a\\u12G4\": 1}", "an invalid \\u escape at character 3"},
    {
      "control character",
      "{\"a\tb\": 1}",
      "a control character (U+0009) inside a string at character 3"
    },
    {"stray character", "{\"instances\": [[#]]}", "'#' (U+0023) at character 16 is not JSON"},
    {"not an object", "[[0.5]]", "the body must be a JSON object"},
  };

  @Test
  void eachMalformedBodyKindIsNamed() {
    List<String> wrong = new ArrayList<>();
    for (String[] c : CASES) {
      ApiException e =
          assertThrows(
              ApiException.class,
              () -> ImageRequest.predict(c[1].getBytes(StandardCharsets.UTF_8), 8),
              c[0]);
      assertEquals(400, e.status(), c[0]);
      if (!e.getMessage().contains(c[2])) {
        wrong.add(c[0] + ": expected '" + c[2] + "' in: " + e.getMessage());
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void notUtf8IsNamed() {
    ApiException e =
        assertThrows(
            ApiException.class, () -> ImageRequest.predict(new byte[] {'{', (byte) 0xff, '}'}, 8));
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  @Test
  void validJsonHasNoSyntaxFault() {
    for (String ok :
        new String[] {
          "{}",
          "[]",
          "0",
          "-0.5e-3",
          "1E+2",
          "\"a\\u00e9\\n\"",
          "{\"a\": [true, false, null]}",
          " {\"instances\": [[0.5, 1, 0]]} \n"
        }) {
      assertEquals(null, JsonSyntax.firstFault(ok), ok);
    }
  }
}
