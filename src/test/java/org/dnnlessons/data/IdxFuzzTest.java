package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise for IDX headers and gzip streams, on crafted files ({@link IdxFuzz}): every round
 * reads the file or refuses it with one {@link DatasetException} line naming the file and the
 * reason, allocates at most {@link IdxFuzz#MAX_ALLOCATED_PER_ROUND} bytes, and ends quickly. {@code
 * -Dfuzz.rounds=N} changes the number of rounds (3,000 by default), {@code -Dfuzz.seed=S} the seed.
 */
class IdxFuzzTest {

  @TempDir Path dir;

  @Test
  void everyRoundReadsOrRefusesWithOneLineInBoundedMemoryAndTime() throws IOException {
    int rounds = Integer.getInteger("fuzz.rounds", 3000);
    long seed = Long.getLong("fuzz.seed", 13L);
    IdxFuzz.Report r = IdxFuzz.run(rounds, seed, dir);
    System.out.println(r.summary());
    assertTrue(
        r.crashes.isEmpty(), () -> r.crashes.size() + " crashes, first: " + r.crashes.get(0));
    for (int formatRounds : r.rounds) {
      assertTrue(formatRounds >= rounds / 8, "a format got too few rounds: " + r.summary());
    }
    // both outcomes are exercised: a fuzzer that only makes garbage proves little
    assertTrue(r.accepted >= rounds / 20 && r.refused >= rounds / 2, r.summary());
    // no hangs: a round reads at most the limit plus 1 MiB, milliseconds of work; the bound only
    // catches a reader that decompresses or loops without end (not a speed measurement)
    assertTrue(r.slowestSeconds < 30, r.summary());
  }
}
