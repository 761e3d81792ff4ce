package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;

/**
 * The ranges that train well, as {@code src/site/markdown/training.md} states them (the page is the
 * one source of the command, the floor and the ranges): {@code train} at both ends of each range,
 * one option changed at a time, reaches the stated test accuracy on the embedded digits.
 */
@CpuNumerics
class TrainingRangesTest {

  static final Path PAGE = Path.of("src/site/markdown/training.md");

  private static final Pattern COMMAND = Pattern.compile("(?m)^`(train [^`]+)`$");
  private static final Pattern FLOOR =
      Pattern.compile("the test accuracy stays at least \\*\\*(0\\.\\d+)\\*\\*");
  private static final Pattern RANGE =
      Pattern.compile("(?m)^\\| `(--[a-z-]+)` \\| ([0-9.]+) to ([0-9.]+) \\|");
  private static final Pattern ACCURACY = Pattern.compile("(?m)^Test Accuracy: ([0-9.]+)$");

  /** The page's section, from "Ranges that train well" to the next heading. */
  static String section() throws IOException {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    int start = page.indexOf("Ranges that train well.");
    assertTrue(start >= 0, PAGE + " states no ranges");
    int end = page.indexOf("\n#", start);
    return page.substring(start, end < 0 ? page.length() : end);
  }

  private static double testAccuracy(List<String> args) {
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
    Matcher m = ACCURACY.matcher(r.out());
    assertTrue(m.find(), r.out());
    return Double.parseDouble(m.group(1));
  }

  /** {@code command} with {@code option}'s value replaced by {@code value}. */
  private static List<String> with(List<String> command, String option, String value) {
    List<String> args = new ArrayList<>(command);
    int i = args.indexOf(option);
    assertTrue(i >= 0 && i + 1 < args.size(), "the page's command has no " + option);
    args.set(i + 1, value);
    return args;
  }

  @Test
  void bothEndsOfEveryStatedRangeTrainWell() throws IOException {
    String section = section();
    Matcher command = COMMAND.matcher(section);
    assertTrue(command.find(), section);
    List<String> base = List.of(command.group(1).split(" +"));
    Matcher floor = FLOOR.matcher(section);
    assertTrue(floor.find(), section);
    double atLeast = Double.parseDouble(floor.group(1));
    Map<String, String[]> ranges = new LinkedHashMap<>();
    for (Matcher m = RANGE.matcher(section); m.find(); ) {
      ranges.put(m.group(1), new String[] {m.group(2), m.group(3)});
    }
    assertEquals(
        List.of("--learning-rate", "--batch-size", "--hidden", "--epochs"),
        List.copyOf(ranges.keySet()));
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, String[]> range : ranges.entrySet()) {
      for (String end : range.getValue()) {
        List<String> args = with(base, range.getKey(), end);
        double accuracy = testAccuracy(args);
        if (accuracy < atLeast) {
          failures.add(String.join(" ", args) + ": test accuracy " + accuracy + " < " + atLeast);
        }
      }
    }
    assertEquals(List.of(), failures);
  }
}
