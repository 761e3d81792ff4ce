package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory estimate: its arithmetic, saturation instead of overflow, and the option it names. */
class TrainingMemoryTest {

  @Test
  void lessonNetworkEstimateIsTheStatedArithmetic() {
    // 784 -> 256 -> 10: 784*256 + 256 + 256*10 + 10 parameters
    long parameters = 784L * 256 + 256 + 256 * 10 + 10;
    long widths = 256 + 10;
    TrainingMemory m = TrainingMemory.estimate(784, List.of(256), 128, 8, 7000, 2000);
    assertEquals(16 * parameters, m.parameterBytes());
    assertEquals(4L * 128 * (3 * 784 + 5 * widths) + 9L * 8 * 128 * 784, m.stepBytes());
    assertEquals(3L * 7000 * (784 + 4), m.dataBytes());
    assertEquals(4L * 2000 * (2 * 784 + 20), m.evaluationBytes());
    assertEquals(12L * 2000 * widths, m.activationBytes());
    assertEquals(2000L * 784, m.evaluationFloats());
    // the plain loop holds no data in the graph
    assertEquals(0, TrainingMemory.estimate(784, List.of(256), 128, 1, 7000, 2000).dataBytes());
  }

  @Test
  void productsPast64BitsSaturateInsteadOfWrapping() {
    int max = Integer.MAX_VALUE;
    TrainingMemory m = TrainingMemory.estimate(max, List.of(max, max, max), max, 64, max, max);
    assertEquals(Long.MAX_VALUE, m.parameterBytes());
    assertEquals(Long.MAX_VALUE, m.totalBytes());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.check(1L << 40, "h", "b", "k"));
    assertEquals(
        "evaluating a split of 4611686014132420609 pixels in one run needs more floats than a"
            + " Java array holds (2^31); use smaller splits (--validation-size, a smaller test"
            + " file)",
        e.getMessage());
  }

  @Test
  void theLargestTermNamesTheOption() {
    long gib = 1L << 30;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingMemory.estimate(784, List.of(1 << 20), 128, 1, 7000, 2000)
                    .check(gib, "--hidden 1048576", "--batch-size 128", null));
    assertEquals(
        "--hidden 1048576: the network's weights and their gradients need 12.4 GiB and its"
            + " activations on the split evaluated in one run 23.4 GiB; the run needs about 38.4"
            + " GiB in all, more than the 1.0 GiB of memory of this machine",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingMemory.estimate(784, List.of(256), 1_000_000, 64, 1_000_000, 10)
                    .check(gib, "--hidden 256", "--batch-size 1000000", "--steps-per-run 64"));
    assertEquals(
        "--batch-size 1000000 with --steps-per-run 64: one training run's tensors need 434.3"
            + " GiB; the run needs about 436.6 GiB in all, more than the 1.0 GiB of memory of"
            + " this machine",
        e.getMessage());
    // what fits passes
    TrainingMemory.estimate(784, List.of(256), 128, 8, 7000, 2000)
        .check(gib, "--hidden 256", "--batch-size 128", "--steps-per-run 8");
  }

  @Test
  void theCompiledWhileLoopHoldsTheSplitButGathersOneBatchWhateverTheStepsPerRun() {
    TrainingMemory one = TrainingMemory.estimate(784, List.of(256), 512, 1, true, 7000, 2000);
    TrainingMemory many = TrainingMemory.estimate(784, List.of(256), 512, 64, true, 7000, 2000);
    TrainingMemory unrolled = TrainingMemory.estimate(784, List.of(256), 512, 64, 7000, 2000);
    assertEquals(one.stepBytes(), many.stepBytes());
    assertEquals(unrolled.dataBytes(), many.dataBytes());
    assertEquals(3L * 7000 * (784 + 4), one.dataBytes(), "the split is in the graph at 1 too");
    assertEquals(unrolled.stepBytes() - 63L * 9 * 512 * 784, many.stepBytes());
    long gib = 1L << 30;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingMemory.estimate(784, List.of(16), 16, 64, true, 100_000_000, 10)
                    .check(gib, "--hidden 16", "--batch-size 16", "--jit-compile"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "--jit-compile: the training split held in the graph needs 220.2 GiB (without"
                    + " --jit-compile, --steps-per-run 1 keeps it out of the graph)"),
        e.getMessage());
  }

  @Test
  void theGraphOfADeepNarrowNetworkIsCountedAndNamed() {
    List<Integer> deep = java.util.Collections.nCopies(300, 8);
    TrainingMemory unrolled = TrainingMemory.estimate(784, deep, 128, 8, 7000, 2000);
    TrainingMemory plain = TrainingMemory.estimate(784, deep, 128, 1, 7000, 2000);
    // 301 layers, in the step and 8 unrolled steps: 2,709 layer copies of 1 MiB
    assertEquals(301L * 9 * TrainingMemory.GRAPH_BYTES_PER_LAYER_STEP, unrolled.graphBytes());
    assertEquals(301L * TrainingMemory.GRAPH_BYTES_PER_LAYER_STEP, plain.graphBytes());
    assertTrue(unrolled.totalBytes() > unrolled.graphBytes());
    long gib = 1L << 30;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                unrolled.check(
                    2 * gib, "--hidden 8,8,...", "--batch-size 128", "--steps-per-run 8"));
    assertEquals(
        "--hidden's 300 layers: the training graph holds its 301 layers 9 times (the step and"
            + " --steps-per-run 8's unrolled steps) and needs 2.6 GiB to build, optimize and run it"
            + " (1.0 MiB per layer and copy); the run needs about 2.7 GiB in all, more than the"
            + " 2.0 GiB of memory of this machine",
        e.getMessage());
    // the plain loop holds one copy: the same network fits
    plain.check(2 * gib, "--hidden 8,8,...", "--batch-size 128", null);
    // 30,000 layers do not fit 24 GiB even one step per run
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TrainingMemory.estimate(
                    784, java.util.Collections.nCopies(30_000, 8), 128, 1, 7000, 2000)
                .check(24 * gib, "--hidden 8,...", "--batch-size 128", null));
  }
}
