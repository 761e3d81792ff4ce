package org.dnnlessons.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.dnnlessons.format.NumericText;
import org.dnnlessons.format.NumericText.Tolerance;

/**
 * Assertions on printed output whose float digits follow the CPU's kernels, for expected text
 * frozen on one machine: numbers within a tolerance ({@link NumericText}), the rest exact. Output
 * produced by a peer in the same run (Python on the same machine) is compared exactly instead.
 */
public final class PrintedText {

  /**
   * What {@code lesson relu} (and the notebook's ReLU cell) printed on the AVX-512 development
   * machine. Other CPUs print other last digits ({@code [[ 5.1099997 8.44 ]} with oneDNN's AVX2
   * kernels, {@code [24.010002 38.239998]]} with SSE4.1), as Python does there: compare with {@link
   * #assertClose}, never exactly.
   */
  public static final String RELU_QUIZ =
      "[[ 5.11      8.440001]\n [ 0.        0.      ]\n [24.01     38.24    ]]\n";

  private PrintedText() {}

  /** Asserts the texts match with numbers at {@link Tolerance#FLOAT32}. */
  public static void assertClose(String expected, String actual) {
    assertClose(expected, actual, Tolerance.FLOAT32);
  }

  /** Asserts the texts match with numbers at {@code tolerance}; the message shows both texts. */
  public static void assertClose(String expected, String actual, Tolerance tolerance) {
    NumericText.compare(expected, actual, tolerance)
        .ifPresent(
            d ->
                fail(
                    d
                        + " at "
                        + tolerance
                        + "\nexpected:\n"
                        + expected
                        + (expected.endsWith("\n") ? "" : "\n")
                        + "actual:\n"
                        + actual));
  }
}
