package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress display: a bar with steps/s on a terminal, only epoch lines elsewhere. */
class ConsoleProgressTest {

  private static String run(boolean terminal, List<EpochSummary> lines) {
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    ConsoleProgress p =
        new ConsoleProgress(
            terminal, new PrintStream(bar, true, StandardCharsets.UTF_8), lines::add);
    for (int epoch = 0; epoch < 2; epoch++) {
      p.epochStarted(epoch, 5);
      for (int i = 1; i <= 5; i++) {
        p.stepFinished(i);
      }
      p.epochFinished(new EpochSummary(epoch, 5, 1.0 / (epoch + 1), 0.5, 0.01));
    }
    return bar.toString(StandardCharsets.UTF_8);
  }

  @Test
  void terminalGetsABarPerEpochWithSpeed() {
    List<EpochSummary> lines = new ArrayList<>();
    String bar = run(true, lines);
    // numbered as the epoch lines are ("Epoch 0   - cost: ..."), from 0 as the notebook's loop
    assertTrue(bar.contains("Epoch 0") && bar.contains("Epoch 1") && !bar.contains("Epoch 2"), bar);
    assertTrue(bar.contains("5/5"), bar);
    assertTrue(bar.contains("steps/s"), bar);
    assertEquals(2, lines.size());
  }

  @Test
  void pipesAndCiGetNoBarOnlyTheEpochLines() {
    List<EpochSummary> lines = new ArrayList<>();
    assertEquals("", run(false, lines));
    assertEquals(List.of(0, 1), lines.stream().map(EpochSummary::epoch).toList());
  }
}
