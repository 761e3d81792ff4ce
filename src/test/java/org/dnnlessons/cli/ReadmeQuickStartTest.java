package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.format.NumericText;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start shows what {@code lesson mlp} prints: that output is an unseeded run's
 * unless the README names the seed that repeats it, and that seed must give those lines.
 */
@CpuNumerics
class ReadmeQuickStartTest {

  /** Costs within 1e-4 relative (kernels differ by CPU), accuracies within two of 1,000 images. */
  private static final NumericText.Tolerance TRAINING = new NumericText.Tolerance(1e-4, 2e-3);

  @Test
  void quickStartOutputIsWhatTheNamedSeedPrints() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("## Quick start");
    Matcher m =
        Pattern.compile(
                "`java -jar target/dnn-lessons\\.jar lesson mlp --seed (\\d+)` repeats this run[\\s\\S]*?"
                    + "```\\n(Epoch: 0001[^`]*)```")
            .matcher(readme);
    assertTrue(
        start >= 0 && m.find(start),
        "README's quick start must name the seed of the output it shows (the lesson is unseeded)");
    List<String> shown = m.group(2).lines().toList();
    CliRun r = CliRun.of("lesson", "mlp", "--seed", m.group(1));
    assertEquals(0, r.status(), r.err());
    List<String> printed = r.out().lines().toList();
    int gap = shown.indexOf("...");
    assertTrue(gap > 0, "the README elides the middle epochs with '...'");
    for (int i = 0; i < shown.size(); i++) {
      if (i == gap) {
        continue;
      }
      // lines after the gap are compared with the end of the output
      String actual = i < gap ? printed.get(i) : printed.get(printed.size() - (shown.size() - i));
      String expected = shown.get(i);
      if (expected.startsWith("Trained ")) { // the time follows the machine: steps only
        expected = expected.substring(0, expected.indexOf(" in "));
        actual = actual.substring(0, Math.max(0, actual.indexOf(" in ")));
      }
      String line = shown.get(i);
      Optional<NumericText.Difference> d = NumericText.compare(expected, actual, TRAINING);
      assertTrue(d.isEmpty(), () -> "README line '" + line + "': " + d.get());
    }
  }
}
