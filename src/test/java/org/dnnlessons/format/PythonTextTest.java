package org.dnnlessons.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PythonBytes} and {@link PythonFloat} against what Python 3.11 printed for the same values
 * ({@code repr(bytes.fromhex(HEX))}, {@code '%.6f' % v}, {@code '%.2f' % v}); the interop test
 * {@code PythonCheckpointFormatsIT} compares whole string tensors with Python's inspect_checkpoint.
 */
class PythonTextTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "610a62|b'a\\nb'",
        "69742773|b\"it's\"",
        "7361792022686922|b'say \"hi\"'",
        "626f7468202720616e642022|b'both \\' and \"'",
        "7461620963720d62735c|b'tab\\tcr\\rbs\\\\'",
        "00ff|b'\\x00\\xff'",
        "7f801b|b'\\x7f\\x80\\x1b'",
        "``|b''",
        "6261736536343a4150383d|b'base64:AP8='"
      })
  void bytesPrintAsPythonsRepr(String hex, String python) {
    assertEquals(python, PythonBytes.repr(HexFormat.of().parseHex(hex)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "NaN, nan, nan",
    "Infinity, inf, inf",
    "-Infinity, -inf, -inf",
    "0.125, 0.125000, 0.12",
    "2.675, 2.675000, 2.67",
    "-0.0, -0.000000, -0.00",
    "-1e-07, -0.000000, -0.00",
    "81.2264185, 81.226418, 81.23",
    "1e20, 100000000000000000000.000000, 100000000000000000000.00"
  })
  void floatsPrintAsPythonsPercentF(double v, String six, String two) {
    assertEquals(six, PythonFloat.fixed(v, 6));
    assertEquals(two, PythonFloat.fixed(v, 2));
  }
}
