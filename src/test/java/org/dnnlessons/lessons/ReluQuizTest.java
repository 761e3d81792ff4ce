package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.testing.PrintedText;
import org.junit.jupiter.api.Test;

/** The ReLU quiz's output, as the notebook shows it. */
@CpuNumerics
class ReluQuizTest {

  @Test
  void outputMatchesTheNotebook() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ReluQuiz.Output result = ReluQuiz.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    float[][] notebook = {{5.11f, 8.44f}, {0f, 0f}, {24.01f, 38.24f}};
    Close.assertAllClose(notebook, result.output());
    // Negative features switch every hidden unit off, so the second row is exactly zero.
    assertEquals(0.0f, result.output()[1][0]);
    assertEquals(0.0f, result.output()[1][1]);
  }

  @Test
  void printsTheMatrixAsNumpyDoes() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ReluQuiz.Output result = ReluQuiz.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
    String text = printed.toString(StandardCharsets.UTF_8);
    // Exactly numpy's print of the values it computed (same run)...
    assertEquals(NumpyFormat.format(result.output()) + "\n", text);
    // ...and the notebook's digits up to the CPU's last bits: frozen on one machine, so compared
    // at a float32 tolerance. ReluLessonIT compares with Python's print on this machine exactly.
    PrintedText.assertClose(PrintedText.RELU_QUIZ, text);
  }
}
