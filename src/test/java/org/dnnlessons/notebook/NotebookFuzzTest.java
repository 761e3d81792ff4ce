package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise for notebook JSON, on crafted {@code .ipynb} files ({@link NotebookFuzz}): read and
 * used, or refused with one {@link NotebookException} line naming the file; bounded allocation and
 * time per round. {@code -Dfuzz.rounds=N} changes the number of rounds (2,000 by default).
 */
class NotebookFuzzTest {

  @TempDir Path dir;

  @Test
  void everyRoundReadsOrRefusesWithOneLine() throws IOException {
    int rounds = Integer.getInteger("fuzz.rounds", 2000);
    NotebookFuzz.Report r = NotebookFuzz.run(rounds, Long.getLong("fuzz.seed", 17L), dir);
    System.out.println(r.summary());
    assertTrue(
        r.crashes.isEmpty(), () -> r.crashes.size() + " crashes, first: " + r.crashes.get(0));
    assertTrue(r.accepted >= rounds / 20 && r.refused >= rounds / 2, r.summary());
    // files of a few KiB: the bound only catches a parser that loops (not a speed measurement)
    assertTrue(r.slowestSeconds < 30, r.summary());
  }
}
