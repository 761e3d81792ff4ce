package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --jit-compile}: the XLA-compiled loop trains to the exact loop's accuracy, saves
 * checkpoints {@code evaluate} reads, and refuses dropout in one line.
 */
class TrainJitCompileTest {

  @TempDir Path dir;

  private static String testAccuracy(String out) {
    Matcher m = Pattern.compile("Test Accuracy: (0\\.\\d{4})").matcher(out);
    assertTrue(m.find(), out);
    return m.group(1);
  }

  private CliRun train(String name, boolean jit) {
    String prefix = dir.resolve(name + "/model.ckpt").toString();
    String[] args = {
      "train",
      "--epochs",
      "2",
      "--learning-rate",
      "0.1",
      "--init-stddev",
      "0.1",
      "--seed",
      "3",
      "--batch-size",
      "512",
      "--save",
      prefix
    };
    if (jit) {
      String[] more = java.util.Arrays.copyOf(args, args.length + 1);
      more[args.length] = "--jit-compile";
      args = more;
    }
    CliRun run = CliRun.of(args);
    assertEquals(0, run.status(), run.err());
    return run;
  }

  @Test
  void trainsToTheExactLoopsAccuracyAndSavesWhatEvaluateReads() {
    CliRun exact = train("exact", false);
    CliRun jit = train("jit", true);
    // 2 epochs of 13 steps at batch 512: one compiled run each
    assertTrue(jit.out().contains("Trained 26 steps in "), jit.out());
    double a = Double.parseDouble(testAccuracy(exact.out()));
    double b = Double.parseDouble(testAccuracy(jit.out()));
    assertEquals(a, b, 0.001, "2,000 test digits: two either way is noise");
    CliRun evaluate = CliRun.of("evaluate", "--checkpoint", dir.resolve("jit").toString());
    assertEquals(0, evaluate.status(), evaluate.err());
    assertEquals(testAccuracy(jit.out()), testAccuracy(evaluate.out()));
  }

  @Test
  void dropoutIsRefusedInOneLine() {
    CliRun run = CliRun.of("train", "--jit-compile", "--keep-prob", "0.5", "--epochs", "1");
    assertEquals(2, run.status(), run.out() + run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("--jit-compile cannot be combined with dropout"), run.err());
  }
}
