package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.OutputStream;
import java.io.PrintStream;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;

/** The dropout quiz: keep_prob 1.0 keeps everything, 0.5 keeps about half and doubles it. */
@CpuNumerics
class DropoutQuizTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  /** relu(features W0) W1 computed by hand, biases being zero. */
  private static float[][] handLogits(float[][] hidden) {
    float[][] w1 = ReluQuiz.OUT_WEIGHTS;
    float[][] out = new float[hidden.length][2];
    for (int r = 0; r < hidden.length; r++) {
      for (int c = 0; c < 2; c++) {
        float sum = 0;
        for (int k = 0; k < w1.length; k++) {
          sum += hidden[r][k] * w1[k][c];
        }
        out[r][c] = sum;
      }
    }
    return out;
  }

  private static float[][] handHidden() {
    float[][] x = DropoutQuiz.FEATURES;
    float[][] w0 = ReluQuiz.HIDDEN_LAYER_WEIGHTS;
    float[][] out = new float[x.length][3];
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < 3; c++) {
        float sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += x[r][k] * w0[k][c];
        }
        out[r][c] = Math.max(sum, 0);
      }
    }
    return out;
  }

  @Test
  void keepProbOneGivesTheUndroppedLogits() {
    DropoutQuiz.Activations r = DropoutQuiz.run(new DropoutQuiz.Options(1.0, null), QUIET);
    Close.assertAllClose(handHidden(), r.hidden());
    Close.assertBitwiseEqual(r.hidden(), r.droppedHidden(), "dropped hidden at keep_prob 1");
    Close.assertAllClose(handLogits(handHidden()), r.logits());
  }

  @Test
  void keepProbHalfZeroesOrDoublesEveryUnitAndLogitsFollowTheMask() {
    DropoutQuiz.Activations r = DropoutQuiz.run(new DropoutQuiz.Options(0.5, 7L), QUIET);
    for (int i = 0; i < r.hidden().length; i++) {
      for (int j = 0; j < r.hidden()[i].length; j++) {
        float h = r.hidden()[i][j];
        float d = r.droppedHidden()[i][j];
        if (d != 0.0f && d != 2.0f * h) {
          fail("unit [" + i + "][" + j + "] = " + d + ", expected 0 or exactly 2 x " + h);
        }
      }
    }
    Close.assertAllClose(handLogits(r.droppedHidden()), r.logits());
  }

  @Test
  void sameSeedSameMaskExactly() {
    DropoutQuiz.Activations a = DropoutQuiz.run(new DropoutQuiz.Options(0.5, 11L), QUIET);
    DropoutQuiz.Activations b = DropoutQuiz.run(new DropoutQuiz.Options(0.5, 11L), QUIET);
    Close.assertBitwiseEqual(a.logits(), b.logits(), "logits with seed 11");
  }

  @Test
  void keptFractionIsHalfWithinThreeStandardDeviations() {
    int seeds = 60;
    int kept = 0;
    int units = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      DropoutQuiz.Activations r = DropoutQuiz.run(new DropoutQuiz.Options(0.5, seed), QUIET);
      for (int i = 0; i < r.hidden().length; i++) {
        for (int j = 0; j < r.hidden()[i].length; j++) {
          assertTrue(r.hidden()[i][j] > 0, "the quiz's hidden units are all positive");
          units++;
          if (r.droppedHidden()[i][j] != 0) {
            kept++;
          }
        }
      }
    }
    double expected = 0.5 * units;
    double sigma = Math.sqrt(units * 0.5 * 0.5);
    assertTrue(
        Math.abs(kept - expected) <= 3 * sigma,
        "kept " + kept + " of " + units + " units; expected " + expected + " +- " + 3 * sigma);
  }

  @Test
  void optionsRejectKeepProbOutsideZeroOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DropoutQuiz.Options(1.5, null));
    assertEquals(
        "keep_prob must be in (0, 1] (the probability of keeping a unit), found 1.5",
        e.getMessage());
  }
}
