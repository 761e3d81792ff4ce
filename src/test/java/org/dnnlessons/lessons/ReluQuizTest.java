package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dnnlessons.testing.Close;
import org.junit.jupiter.api.Test;

/** The ReLU quiz's output, as the notebook shows it. */
class ReluQuizTest {

  @Test
  void outputMatchesTheNotebook() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ReluQuiz.Result result = ReluQuiz.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    float[][] notebook = {{5.11f, 8.44f}, {0f, 0f}, {24.01f, 38.24f}};
    Close.assertAllClose(notebook, result.output());
    // Negative features switch every hidden unit off, so the second row is exactly zero.
    assertEquals(0.0f, result.output()[1][0]);
    assertEquals(0.0f, result.output()[1][1]);
  }

  @Test
  void printsTheMatrixAsNumpyDoes() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ReluQuiz.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
    // Python TensorFlow 2.21 prints the same lines for the notebook's cell.
    assertEquals(
        "[[ 5.11      8.440001]\n [ 0.        0.      ]\n [24.01     38.24    ]]\n",
        printed.toString(StandardCharsets.UTF_8));
  }
}
