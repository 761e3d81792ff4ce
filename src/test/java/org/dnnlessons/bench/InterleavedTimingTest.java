package org.dnnlessons.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedTimingTest {

  @Test
  void roundsRotateTheOrderAndTheWarmUpRoundIsNotKept() throws Exception {
    List<String> calls = new ArrayList<>();
    double[] next = {0};
    List<InterleavedTiming.Timed> tasks = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      tasks.add(
          () -> {
            calls.add(name);
            return ++next[0];
          });
    }
    List<Measurement> m = InterleavedTiming.run(2, tasks);

    // warm-up round starts with the last task, then each round starts one later
    assertEquals(List.of("c", "a", "b", "a", "b", "c", "b", "c", "a"), calls);
    // the values 1..3 of the warm-up round are dropped; round 0 gave a=4 b=5 c=6,
    // round 1 gave b=7 c=8 a=9
    assertArrayEquals(new double[] {4, 9}, m.get(0).seconds());
    assertArrayEquals(new double[] {5, 7}, m.get(1).seconds());
    assertArrayEquals(new double[] {6, 8}, m.get(2).seconds());
  }

  @Test
  void theProbeIsReadAtTheStartOfEachTimedRound() throws Exception {
    List<String> calls = new ArrayList<>();
    double[] reading = {0};
    InterleavedTiming.Rounds r =
        InterleavedTiming.run(
            3,
            List.of(
                () -> {
                  calls.add("a");
                  return 1;
                },
                () -> {
                  calls.add("b");
                  return 2;
                }),
            () -> {
              calls.add("probe");
              return ++reading[0];
            });
    // warm-up round unprobed, then the probe ahead of each timed round's two tasks
    assertEquals(List.of("b", "a", "probe", "a", "b", "probe", "b", "a", "probe", "a", "b"), calls);
    assertArrayEquals(new double[] {1, 2, 3}, r.atRoundStart());
    assertArrayEquals(new double[] {1, 1, 1}, r.times().get(0).seconds());
  }

  @Test
  void ratiosAreTakenRoundByRound() {
    Measurement python = new Measurement(new double[] {3, 2, 6});
    Measurement java = new Measurement(new double[] {2, 2, 3});
    assertArrayEquals(new double[] {1.5, 1.0, 2.0}, InterleavedTiming.ratios(python, java), 1e-12);
  }

  @Test
  void wallClockMeasuresTheTask() throws Exception {
    double s = InterleavedTiming.wallClock(() -> Thread.sleep(20)).seconds();
    assertEquals(0.02, s, 0.5, "seconds of a 20 ms sleep: " + s);
    assertEquals(true, s >= 0.019, "at least the sleep: " + s);
  }

  @Test
  void refusesNoRoundsOrNoTasks() {
    assertThrows(IllegalArgumentException.class, () -> InterleavedTiming.run(0, List.of(() -> 1)));
    assertThrows(IllegalArgumentException.class, () -> InterleavedTiming.run(1, List.of()));
  }

  @Test
  void tableCellsGiveTheMedianThenTheSpreadOfTheRounds() {
    Measurement reference = new Measurement(new double[] {1.0, 2.0, 1.0});
    Measurement task = new Measurement(new double[] {0.5, 2.0, 0.8});
    // 100 steps: 100/0.8 median, 100/2.0 slowest, 100/0.5 fastest
    assertEquals("125 (50-200)", InterleavedTiming.rateCell(100, task));
    // rounds' ratios 2.0, 1.0, 1.25
    assertEquals("1.25x (1.00-2.00)", InterleavedTiming.ratioCell(reference, task));
    assertEquals("1", InterleavedTiming.ratioCell(reference, reference));
  }
}
