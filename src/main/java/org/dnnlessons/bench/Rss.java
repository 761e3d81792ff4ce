package org.dnnlessons.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident set size, from {@code /proc/self/status} (Linux). */
final class Rss {

  private Rss() {}

  /** VmRSS in kB, or -1 where {@code /proc} is not available. */
  static long kilobytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
