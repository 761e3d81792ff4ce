package org.dnnlessons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A peer that never says {@code ready} costs the benchmark one line, not the whole run. */
class PythonTrainingServerTest {

  @Test
  void aPeerSilentAtStartIsStoppedAfterTheTimeoutWithOneLine() {
    ProcessBuilder sleeper = new ProcessBuilder("sleep", "60");
    long start = System.nanoTime();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                PythonTrainingServer.start(
                    sleeper, "sleeper", ProcessBuilder::start, Duration.ofMillis(500)));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals("sleeper: no 'ready' within 0.5 s; stopped it", e.getMessage());
    assertTrue(seconds < 20, "waited " + seconds + " s");
  }
}
