package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;

/** {@code train} warns once, on standard error, when the cost becomes NaN; the run goes on. */
@CpuNumerics
class TrainDivergenceWarningTest {

  @Test
  void aDivergedRunIsWarnedAboutOnceAndStillFinishes() {
    CliRun run =
        CliRun.of(
            "train",
            "--hidden",
            "16",
            "--learning-rate",
            "1e30",
            "--init-stddev",
            "1e30",
            "--epochs",
            "2",
            "--seed",
            "3");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("Epoch 0   - cost: nan - "), run.out());
    assertTrue(run.out().contains("Epoch 1   - cost: nan - "), run.out());
    assertEquals(
        "warning: the training cost became NaN in epoch 0: training diverged; try a smaller"
            + " --learning-rate or --init-stddev\n",
        run.err());
  }
}
