package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dnnlessons.train.EpochSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A diverged run prints its cost as the notebook's Python prints it ({@code "{:.6f}"}-style
 * formatting gives {@code nan}, {@code inf}, {@code -inf}), not Java's {@code NaN} or {@code
 * Infinity}.
 */
class NonFiniteOutputTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "NaN, Epoch: 0003 cost= nan validation accuracy= 0.5",
    "Infinity, Epoch: 0003 cost= inf validation accuracy= 0.5",
    "-Infinity, Epoch: 0003 cost= -inf validation accuracy= 0.5",
    "0.125, Epoch: 0003 cost= 0.125000 validation accuracy= 0.5"
  })
  void mlpEpochLinesPrintNonFiniteNumbersAsPythonDoes(double cost, String expected) {
    assertEquals(expected, MlpLesson.epochLine(new EpochSummary(2, 1, cost, 0.5, 0)));
  }
}
