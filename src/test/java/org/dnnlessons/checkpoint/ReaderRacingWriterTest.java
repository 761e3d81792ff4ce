package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dnnlessons.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Saver#restore} racing saves that replace the same prefix (the reader saw "checksum
 * mismatch" in a quarter of its reads): every restore gets one save's values whole, and none fails.
 */
class ReaderRacingWriterTest {

  @TempDir Path dir;

  @Test
  void restoresRacingOverwritesGetOneSaveWhole() throws Exception {
    Path prefix = dir.resolve("model.ckpt");
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    int restores = 0;
    try (TinyModel writer = new TinyModel(s -> s, false);
        TinyModel reader = new TinyModel(s -> s, false)) {
      writer.save(prefix, 1f);
      Thread saves = savesInBackground(writer, prefix, 150, failures, done);
      while (!done.get()) {
        try {
          float v = reader.restore(prefix); // checks all of layer/w holds one value
          assertTrue(v == 1f || v == 2f, "restored " + v);
          restores++;
        } catch (CheckpointException e) {
          failures.add("restore: " + e.getMessage());
        }
      }
      saves.join();
    }
    System.out.println(restores + " restores raced 150 overwrites");
    assertEquals(List.of(), failures);
    assertTrue(restores > 10, "the reader ran during the saves: " + restores);
  }

  @Test
  void inspectAllOfTheDirectoryRacingOverwritesNeverReportsAChecksumMismatch() throws Exception {
    // the reader: inspect --all DIR while train --save overwrites the prefix
    Path prefix = dir.resolve("model.ckpt");
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    int reads = 0;
    try (TinyModel writer = new TinyModel(s -> s, false)) {
      writer.save(prefix, 1f);
      Thread saves = savesInBackground(writer, prefix, 100, failures, done);
      while (!done.get()) {
        CliRun inspect = CliRun.of("inspect", "--all", dir.toString());
        String printed = inspect.out();
        if (inspect.status() != 0) {
          failures.add("inspect: " + inspect.err());
        } else {
          assertTrue(printed.contains("# Total number of params"), printed);
          // one save's values whole: never 1s and 2s in one print
          assertFalse(printed.contains("1.") && printed.contains("2."), printed);
        }
        reads++;
      }
      saves.join();
    }
    System.out.println(reads + " inspect --all runs raced 100 overwrites");
    assertEquals(List.of(), failures);
    assertTrue(reads > 10, "the reader ran during the saves: " + reads);
  }

  /**
   * Saves {@code times} times to {@code prefix} on a thread of its own, values 1 and 2 in turn; a
   * failed save goes to {@code failures}; {@code done} is set when it ends.
   */
  private static Thread savesInBackground(
      TinyModel writer, Path prefix, int times, List<String> failures, AtomicBoolean done) {
    Thread saves =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < times; i++) {
                  writer.save(prefix, 1f + (i % 2));
                }
              } catch (CheckpointException e) {
                failures.add("save: " + e.getMessage());
              } finally {
                done.set(true);
              }
            });
    saves.start();
    return saves;
  }
}
