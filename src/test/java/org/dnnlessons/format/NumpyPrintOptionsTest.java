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
 * Compares {@link NumpyFormat} under {@link NumpyPrintOptions} with numpy's own output after {@code
 * np.set_printoptions(threshold=..., edgeitems=...)}, recorded in {@code
 * numpy_print_options_cases.txt} by {@code src/test/python/numpy_print_options_cases.py}.
 */
class NumpyPrintOptionsTest {

  record Case(
      String name,
      NumpyPrintOptions options,
      String dtype,
      long[] shape,
      String[] values,
      String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> numpyCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in =
            NumpyPrintOptionsTest.class.getResourceAsStream("numpy_print_options_cases.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String name = line.substring("### ".length());
        String[] options = r.readLine().substring("options ".length()).split(" ");
        String dtype = r.readLine().substring("dtype ".length());
        long[] shape =
            Stream.of(r.readLine().substring("shape ".length()).split(" "))
                .mapToLong(Long::parseLong)
                .toArray();
        String[] values = r.readLine().substring("values ".length()).split(" ");
        r.readLine(); // "expected"
        StringBuilder expected = new StringBuilder();
        while (!(line = r.readLine()).equals("### end")) {
          expected.append(expected.length() == 0 ? "" : "\n").append(line);
        }
        NumpyPrintOptions o =
            new NumpyPrintOptions(Integer.parseInt(options[0]), Integer.parseInt(options[1]));
        cases.add(new Case(name, o, dtype, shape, values, expected.toString()));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numpyCases")
  void printsWhatNumpyPrintsUnderTheseOptions(Case c) {
    String[] text = c.values();
    String actual =
        switch (c.dtype()) {
          case "float32" -> {
            float[] v = new float[text.length];
            for (int i = 0; i < v.length; i++) {
              v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(text[i], 16));
            }
            yield NumpyFormat.format(v, c.shape(), c.options());
          }
          case "float64" -> {
            double[] v = new double[text.length];
            for (int i = 0; i < v.length; i++) {
              v[i] = Double.longBitsToDouble(Long.parseUnsignedLong(text[i], 16));
            }
            yield NumpyFormat.format(v, c.shape(), c.options());
          }
          case "bool" -> {
            boolean[] v = new boolean[text.length];
            for (int i = 0; i < v.length; i++) {
              v[i] = Boolean.parseBoolean(text[i]);
            }
            yield NumpyFormat.format(v, c.shape(), c.options());
          }
          default -> {
            long[] v = Stream.of(text).mapToLong(Long::parseLong).toArray();
            yield NumpyFormat.format(v, c.shape(), c.options());
          }
        };
    assertEquals(c.expected(), actual);
  }

  @Test
  void theDefaultsAreNumpys() {
    assertEquals(new NumpyPrintOptions(1000, 3), NumpyPrintOptions.DEFAULT);
    long[] shape = {1001};
    long[] values = new long[1001];
    assertEquals(
        NumpyFormat.format(values, shape, NumpyPrintOptions.DEFAULT),
        NumpyFormat.format(values, shape));
  }

  @Test
  void badOptionsAreRefusedNamingTheValue() {
    IllegalArgumentException threshold =
        assertThrows(IllegalArgumentException.class, () -> new NumpyPrintOptions(-1, 3));
    assertEquals("threshold must be 0 or more, found -1", threshold.getMessage());
    IllegalArgumentException edge =
        assertThrows(IllegalArgumentException.class, () -> new NumpyPrintOptions(1000, 0));
    assertEquals("edgeItems must be 1 or more, found 0", edge.getMessage());
  }
}
