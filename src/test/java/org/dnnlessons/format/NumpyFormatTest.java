package org.dnnlessons.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares {@link NumpyFormat} with numpy's own output, recorded in {@code numpy_format_cases.txt}
 * by {@code src/test/python/numpy_format_cases.py}.
 */
class NumpyFormatTest {

  record Case(String name, String dtype, long[] shape, String[] values, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> numpyCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = NumpyFormatTest.class.getResourceAsStream("numpy_format_cases.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String name = line.substring("### ".length());
        String dtype = r.readLine().substring("dtype ".length());
        String shapeText = r.readLine().substring("shape".length()).trim();
        long[] shape =
            shapeText.isEmpty()
                ? new long[0]
                : Stream.of(shapeText.split(" ")).mapToLong(Long::parseLong).toArray();
        String valuesText = r.readLine().substring("values".length()).trim();
        String[] values = valuesText.isEmpty() ? new String[0] : valuesText.split(" ");
        r.readLine(); // "expected"
        StringBuilder expected = new StringBuilder();
        while (!(line = r.readLine()).equals("### end")) {
          expected.append(expected.length() == 0 ? "" : "\n").append(line);
        }
        cases.add(new Case(name, dtype, shape, values, expected.toString()));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numpyCases")
  void printsWhatNumpyPrints(Case c) {
    String actual =
        switch (c.dtype()) {
          case "float32" -> {
            float[] v = new float[c.values().length];
            for (int i = 0; i < v.length; i++) {
              v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(c.values()[i], 16));
            }
            yield NumpyFormat.format(v, c.shape());
          }
          case "float64" -> {
            double[] v = new double[c.values().length];
            for (int i = 0; i < v.length; i++) {
              v[i] = Double.longBitsToDouble(Long.parseUnsignedLong(c.values()[i], 16));
            }
            yield NumpyFormat.format(v, c.shape());
          }
          default -> {
            long[] v = Stream.of(c.values()).mapToLong(Long::parseLong).toArray();
            yield NumpyFormat.format(v, c.shape());
          }
        };
    assertEquals(c.expected(), actual, () -> "case '" + c.name() + "'");
  }

  @Test
  void matrixOverloadMatchesFlatValues() {
    float[][] m = {{5.11f, 8.44f}, {0f, 0f}, {24.01f, 38.24f}};
    assertEquals("[[ 5.11  8.44]\n [ 0.    0.  ]\n [24.01 38.24]]", NumpyFormat.format(m));
  }

  @Test
  void rejectsValuesThatDoNotFillTheShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NumpyFormat.format(new float[5], new long[] {2, 3}));
    assertEquals("shape [2, 3] holds 6 values, found 5", e.getMessage());
  }
}
