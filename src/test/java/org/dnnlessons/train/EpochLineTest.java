package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code train}'s epoch line prints non-finite costs as Python does: nan, inf, -inf. */
class EpochLineTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "NaN, Epoch 2   - cost: nan - Validation Accuracy: 0.5000",
    "Infinity, Epoch 2   - cost: inf - Validation Accuracy: 0.5000",
    "-Infinity, Epoch 2   - cost: -inf - Validation Accuracy: 0.5000",
    "0.165716, Epoch 2   - cost: 0.165716 - Validation Accuracy: 0.5000"
  })
  void nonFiniteCostsPrintAsPythonPrintsThem(double cost, String expected) {
    assertEquals(expected, ConsoleProgress.epochLine(new EpochSummary(2, 1, cost, 0.5, 0)));
  }
}
