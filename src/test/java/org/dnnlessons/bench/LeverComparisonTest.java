package org.dnnlessons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the levers table calls a lever, and what it lists. */
class LeverComparisonTest {

  @Test
  void aLeverIsFasterOrSlowerOnlyWhenEveryRoundSaysSo() {
    assertEquals(
        LeverComparison.Verdict.FASTER, LeverComparison.Verdict.of(new double[] {1.01, 1.2, 1.1}));
    assertEquals(
        LeverComparison.Verdict.SLOWER, LeverComparison.Verdict.of(new double[] {0.99, 0.7, 0.9}));
    assertEquals(
        LeverComparison.Verdict.NOISE, LeverComparison.Verdict.of(new double[] {1.3, 0.99, 1.2}));
    assertEquals(
        LeverComparison.Verdict.NOISE, LeverComparison.Verdict.of(new double[] {0.8, 1.0, 0.9}));
  }

  @Test
  void everyLeverTheIssueNamesHasARowAfterTrainsOwnLoop() throws Exception {
    List<LeverComparison.Lever> levers = LeverComparison.levers(32);
    assertTrue(levers.get(0).label().startsWith("`train`"), levers.get(0).label());
    List<String> labels = levers.stream().map(LeverComparison.Lever::label).toList();
    assertEquals(labels.size(), new HashSet<>(labels).size(), "labels repeat: " + labels);
    int epoch = TrainingBench.trainingExamples() / 32;
    for (String wanted :
        List.of(
            "intra-op pool of 1",
            "inter-op pool of 1",
            "resource variables",
            "`BiasAdd`",
            "float32 pixels",
            "XLA, 8 unrolled",
            "a whole epoch (" + epoch + " steps) per run in one `While` loop")) {
      assertTrue(labels.stream().anyMatch(l -> l.contains(wanted)), wanted + " in " + labels);
    }
  }

  @Test
  void theMatmulCeilingIsTheFastestRepetitionNotTheMedian() {
    // two repetitions slowed by other work on the machine, one undisturbed
    Measurement m = new Measurement(new double[] {0.40, 0.08, 0.50});
    assertEquals(MatmulPeak.flops() / 0.08, MatmulPeak.ceiling(m), 1);
  }
}
