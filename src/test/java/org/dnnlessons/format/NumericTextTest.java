package org.dnnlessons.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.dnnlessons.format.NumericText.Difference;
import org.dnnlessons.format.NumericText.Tolerance;
import org.junit.jupiter.api.Test;

/** Numbers within a tolerance, integers and text exact, alignment free. */
class NumericTextTest {

  /** What the ReLU quiz prints with oneDNN's SSE4.1 and AVX-512 kernels... */
  private static final String RELU_SSE41 =
      "[[ 5.11      8.440001]\n [ 0.        0.      ]\n [24.01     38.24    ]]\n";

  /** ...and with its AVX2 kernels: one float32 unit in the last place apart, columns realigned. */
  private static final String RELU_AVX2 =
      "[[ 5.1099997  8.44     ]\n [ 0.         0.       ]\n [24.01      38.24     ]]\n";

  private static Optional<Difference> compare(String expected, String actual) {
    return NumericText.compare(expected, actual, Tolerance.FLOAT32);
  }

  @Test
  void oneUlpOfFloat32AndRealignedColumnsAreEqual() {
    assertEquals(Optional.empty(), compare(RELU_SSE41, RELU_AVX2));
    assertEquals(Optional.empty(), compare(RELU_AVX2, RELU_SSE41));
  }

  @Test
  void aWrongDigitBeyondTheToleranceIsReportedWithItsLine() {
    String changed = RELU_AVX2.replace("38.24", "38.25");
    Difference d = compare(RELU_SSE41, changed).orElseThrow();
    assertEquals(3, d.line());
    assertEquals("38.24", d.expected());
    assertEquals("38.25", d.actual());
    assertEquals(
        "line 3: expected 38.24, found 38.25 (|diff| 0.0100 > atol 0.000001 + rtol 0.000001"
            + " * |expected|)",
        d.toString());
    // FLOAT32 allows about 8 float32 units in the last place: 8.44f has units of 9.5e-7.
    assertEquals(Optional.empty(), compare("8.44", Float.toString(8.44f + 8 * Math.ulp(8.44f))));
    assertTrue(compare("8.44", Float.toString(8.44f + 12 * Math.ulp(8.44f))).isPresent());
  }

  @Test
  void toleranceIsNumpyIscloseAndTakenFromTheCaller() {
    Tolerance accuracy = new Tolerance(0, 0.001);
    assertEquals(
        Optional.empty(), NumericText.compare("Accuracy: 0.2285", "Accuracy: 0.229", accuracy));
    assertTrue(NumericText.compare("Accuracy: 0.2285", "Accuracy: 0.2296", accuracy).isPresent());
    assertTrue(NumericText.compare("0.5", "0.50000006", Tolerance.EXACT).isPresent());
    assertEquals(Optional.empty(), NumericText.compare("0.5", "0.50", Tolerance.EXACT));
    assertTrue(new Tolerance(0.1, 0).allows(10.0, 11.0));
    assertTrue(!new Tolerance(0.1, 0).allows(10.0, 11.01));
  }

  @Test
  void integersAreComparedDigitForDigit() {
    // rtol 1e-6 would let 203530 pass for 203531: counts and shapes are not float results.
    Difference d =
        compare("Total number of params: 203530", "Total number of params: 203531").orElseThrow();
    assertEquals("integers are compared digit for digit", d.reason());
    assertTrue(
        compare("hidden_layer_2/weights [256, 128]", "hidden_layer_3/weights [256, 128]")
            .isPresent());
    assertTrue(compare("[1. 2.]", "[1 2]").isPresent(), "a float printed as an integer");
  }

  @Test
  void textOutsideNumbersIsExact() {
    Difference d = compare("Test Accuracy: 0.5", "Test accuracy: 0.5").orElseThrow();
    assertEquals("Test Accuracy:", d.expected());
    assertEquals("Test accuracy:", d.actual());
    assertTrue(compare("a 0.5\nb", "a 0.5b").isPresent(), "a line break is not alignment");
    assertTrue(compare("x  = 1", "x = 1").isPresent(), "blanks away from numbers count");
  }

  @Test
  void missingOrExtraNumbersAreDifferences() {
    assertEquals("the actual text ends early", compare("1. 2. 3.", "1. 2.").orElseThrow().reason());
    assertEquals("the actual text goes on", compare("1. 2.", "1. 2.\n3.").orElseThrow().reason());
    assertEquals(
        "line 1: expected \"]\", found \"\" (the text differs)",
        compare("[1. 2.]", "[1. 2. 3.]").orElseThrow().toString());
    assertTrue(compare("1 2", "12").isPresent(), "two numbers never merge into one");
    assertTrue(compare("[1.5 2.5]", "[1.52.5]").isPresent());
  }

  @Test
  void shapeFreesNumbersAndAlignment() {
    assertEquals(
        NumericText.shape("[[ 1.1        6.6000004]\n [48.02  76.48 ]]"),
        NumericText.shape("[[ 9.559999  16.       ]\n [ 9.56       4.78     ]]"));
    assertTrue(!NumericText.shape("[[1. 2.]]").equals(NumericText.shape("[[1. 2. 3.]]")));
  }

  @Test
  void toleranceRejectsNegativeAndNonFiniteValues() {
    assertEquals(
        "rtol must be a finite number >= 0, found -1",
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1, 0)).getMessage());
    assertEquals(
        "atol must be a finite number >= 0, found NaN",
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(0, Double.NaN))
            .getMessage());
  }
}
