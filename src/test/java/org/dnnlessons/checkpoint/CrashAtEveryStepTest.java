package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save stopped at every one of its file-system steps (each write, fsync, rename and unlink, as
 * {@link DurableFiles} enumerates them) never loses or tears a checkpoint. Two ways of stopping:
 *
 * <ul>
 *   <li><b>killed</b>: before each step the directory is copied as it stands, which is exactly what
 *       a process killed at that step leaves (the files' bytes are in the page cache; nothing of
 *       the writer's cleanup runs). Each copy must be {@linkplain CheckpointChecks#assertIntact
 *       intact}, its latest checkpoint must restore in TensorFlow, and the next save into it must
 *       delete the dead writer's temporary files;
 *   <li><b>failed</b> (disk full): the step throws {@code IOException("No space left on device")};
 *       the save fails with one line, and the directory is intact with the checkpoint the state
 *       file named before still restoring.
 * </ul>
 *
 * {@link KillDuringSaveIT} and {@code KillAtEveryStepIT} do the same with real SIGKILLs.
 */
class CrashAtEveryStepTest {

  @TempDir Path dir;

  /** Kill points tried so far (printed, for the report). */
  private static int killPoints;

  @AfterEach
  void noHookLeft() {
    DurableFiles.listener = null;
  }

  @FunctionalInterface
  interface Act {
    void run(TinyModel model, Path work) throws Exception;
  }

  @Test
  void firstSaveIntoANewDirectory() throws Exception {
    killAtEveryStep(
        "fresh", s -> s, false, (m, w) -> {}, (m, w) -> m.save(w.resolve("model.ckpt"), 1f, 1));
  }

  @Test
  void maxToKeepOneDeletesTheOldCheckpointOnlyAfterTheStateFileNamesTheNewOne() throws Exception {
    killAtEveryStep(
        "keep1",
        s -> s.maxToKeep(1),
        false,
        (m, w) -> {
          m.save(w.resolve("model.ckpt"), 1f, 1);
          m.save(w.resolve("model.ckpt"), 2f, 2);
        },
        (m, w) -> m.save(w.resolve("model.ckpt"), 3f, 3),
        2,
        3);
  }

  @Test
  void overwritingAPrefixLeavesItOldOrNewNeverMixedNeverAbsent() throws Exception {
    // lesson save-variables --file x/model.ckpt, twice: the state file names model.ckpt at every
    // kill point, and it restores (from the recovery set while the new index is not in place)
    killAtEveryStep(
        "overwrite",
        s -> s,
        false,
        (m, w) -> m.save(w.resolve("model.ckpt"), 1f),
        (m, w) -> m.save(w.resolve("model.ckpt"), 2f),
        1,
        2);
  }

  @Test
  void overwritingAPrefixSavedByTensorFlowsSaveV2() throws Exception {
    // a string variable: TensorFlow's SaveV2 writes the bundle, the Saver moves it into place
    killAtEveryStep(
        "overwrite-savev2",
        s -> s,
        true,
        (m, w) -> m.save(w.resolve("model.ckpt"), 1f),
        (m, w) -> m.save(w.resolve("model.ckpt"), 2f),
        1,
        2);
  }

  @Test
  void overwritingWithoutAMetaFileRemovesTheOldMeta() throws Exception {
    killAtEveryStep(
        "overwrite-nometa",
        s -> s.writeMetaGraph(false),
        false,
        (m, w) -> {
          try (TinyModel withMeta = new TinyModel(s -> s, false)) {
            withMeta.save(w.resolve("model.ckpt"), 1f);
          }
        },
        (m, w) -> m.save(w.resolve("model.ckpt"), 2f));
    assertFalse(Files.exists(dir.resolve("overwrite-nometa/model.ckpt.meta")), "old .meta removed");
  }

  @Test
  void overwritingOneShardWithThreeRemovesTheOldShard() throws Exception {
    // three data files for two tensors: one shard is empty
    killAtEveryStep(
        "overwrite-sharded",
        s -> s.sharded(3).maxToKeep(1),
        false,
        (m, w) -> {
          try (TinyModel oneShard = new TinyModel(s -> s, false)) {
            oneShard.save(w.resolve("model.ckpt"), 1f, 1);
            oneShard.save(w.resolve("model.ckpt"), 2f, 2);
          }
        },
        (m, w) -> {
          m.save(w.resolve("model.ckpt"), 3f, 2);
          m.save(w.resolve("model.ckpt"), 4f, 3);
        });
    Path work = dir.resolve("overwrite-sharded");
    assertEquals(
        List.of(
            work.resolve(".checkpoint.lock"),
            work.resolve("checkpoint"),
            work.resolve("model.ckpt-1.data-00000-of-00001"), // not this saver's: left as it was
            work.resolve("model.ckpt-1.index"),
            work.resolve("model.ckpt-1.meta"),
            work.resolve("model.ckpt-3.data-00000-of-00003"),
            work.resolve("model.ckpt-3.data-00001-of-00003"),
            work.resolve("model.ckpt-3.data-00002-of-00003"),
            work.resolve("model.ckpt-3.index"),
            work.resolve("model.ckpt-3.meta")),
        CheckpointChecks.list(work));
  }

  @Test
  void secondRunIntoTheSameDirectoryOverwritesListedCheckpoints() throws Exception {
    // train --save run/model.ckpt run twice: the second run's steps are the first run's names
    killAtEveryStep(
        "rerun",
        s -> s.maxToKeep(2),
        false,
        (m, w) -> {
          try (TinyModel first = new TinyModel(s -> s.maxToKeep(2), false)) {
            first.save(w.resolve("model.ckpt"), 1f, 1);
            first.save(w.resolve("model.ckpt"), 2f, 2);
          }
        },
        (m, w) -> {
          m.save(w.resolve("model.ckpt"), 3f, 1);
          m.save(w.resolve("model.ckpt"), 4f, 2);
        },
        2,
        3,
        4);
  }

  /**
   * Runs {@code prepare}, then {@code act} with a copy of the directory taken before each step, and
   * checks every copy; then runs {@code act} again from {@code prepare}'s state with each step
   * failing in turn. Values: 1, 2, ... per save; {@code alwaysNamed} lists the values one of which
   * the state file must always name (empty: a moment without a state file is allowed, as when the
   * only checkpoint is being overwritten).
   */
  private void killAtEveryStep(
      String name,
      UnaryOperator<Saver.Builder> settings,
      boolean strings,
      Act prepare,
      Act act,
      float... alwaysNamed)
      throws Exception {
    Set<Float> allowed = Set.of(1f, 2f, 3f, 4f);
    Path work = Files.createDirectories(dir.resolve(name));
    List<String> steps = new ArrayList<>();
    List<Path> copies = new ArrayList<>();
    try (TinyModel model = new TinyModel(settings, strings)) {
      prepare.run(model, work);
      CheckpointChecks.copy(work, dir.resolve(name + "-before"));
      DurableFiles.listener =
          (step, file) -> {
            Path copy = dir.resolve(name + "-killed-" + copies.size());
            CheckpointChecks.copy(work, copy);
            copies.add(copy);
            steps.add(step + " " + file.getFileName());
          };
      try {
        act.run(model, work);
      } finally {
        DurableFiles.listener = null;
      }
    }
    assertDurableOrder(steps);
    assertTrue(CheckpointChecks.temporaryFiles(work).isEmpty(), "a finished save leaves none");
    try (TinyModel checker = new TinyModel(s -> s, strings)) {
      for (int i = 0; i < copies.size(); i++) {
        String where = name + ", killed before step " + i + " (" + steps.get(i) + ")";
        Path copy = copies.get(i);
        Path latest = CheckpointChecks.assertIntact(copy, allowed, where);
        if (alwaysNamed.length > 0) {
          assertNotNull(latest, where + ": the state file names a checkpoint");
        }
        if (latest != null) {
          float v = checker.restore(latest);
          assertTrue(
              alwaysNamed.length == 0 || contains(alwaysNamed, v),
              where + ": restored " + v + " from " + latest);
        }
        // the next save, by another writer, deletes the dead one's temporary files
        checker.save(copy.resolve("next.ckpt"), 9f);
        checker.saver.close();
        assertEquals(List.of(), CheckpointChecks.temporaryFiles(copy), where);
        assertEquals(9f, checker.restore(CheckpointState.resolve(copy)), where);
      }
    }
    killPoints += copies.size();
    System.out.println(
        name + ": " + copies.size() + " kill points, all intact (" + killPoints + ")");
    failAtEveryWriteAndFsync(name, settings, strings, act, steps);
  }

  /** Each step that can meet a full disk (a write or an fsync) fails in turn. */
  private void failAtEveryWriteAndFsync(
      String name,
      UnaryOperator<Saver.Builder> settings,
      boolean strings,
      Act act,
      List<String> steps)
      throws Exception {
    int failed = 0;
    for (int i = 0; i < steps.size(); i++) {
      if (!steps.get(i).startsWith("WRITE") && !steps.get(i).startsWith("FSYNC ")) {
        continue;
      }
      failed++;
      Path work = dir.resolve(name + "-full-" + i);
      CheckpointChecks.copy(dir.resolve(name + "-before"), work);
      Path before = CheckpointState.latestCheckpoint(work);
      int failAt = i;
      int[] n = {0};
      String where = name + ", disk full at step " + i + " (" + steps.get(i) + ")";
      try (TinyModel model = new TinyModel(settings, strings)) {
        DurableFiles.listener =
            (step, file) -> {
              if (n[0]++ == failAt) {
                throw new IOException("No space left on device");
              }
            };
        try {
          act.run(model, work);
          throw new AssertionError(where + ": the save did not fail");
        } catch (CheckpointException e) {
          assertFalse(e.getMessage().contains("\n"), where + ": one line: " + e.getMessage());
          assertTrue(e.getMessage().endsWith("No space left on device"), e.getMessage());
        } finally {
          DurableFiles.listener = null;
        }
        assertEquals(List.of(), CheckpointChecks.temporaryFiles(work), where + ": cleaned up");
        Path latest = CheckpointChecks.assertIntact(work, Set.of(1f, 2f, 3f, 4f), where);
        if (before != null) {
          // the checkpoint the state file named before the save still reads (old or new values)
          CheckpointChecks.readValue(before, where + ", " + before);
        }
        if (latest != null) {
          model.restore(latest);
        }
      }
    }
    System.out.println(name + ": a full disk at each of " + failed + " writes and fsyncs");
  }

  private static boolean contains(float[] values, float v) {
    for (float x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern TMP = Pattern.compile("\\.(.+)\\.tmp-\\d+-\\d+(.*)");

  /**
   * The order that makes the renames safe after a power loss too: each file fsynced before it is
   * renamed into place; a checkpoint's {@code .index} renamed after its other files; the directory
   * fsynced after the renames and before the state file moves; the state file renamed before any
   * old checkpoint is deleted.
   */
  private static void assertDurableOrder(List<String> steps) {
    for (int i = 0; i < steps.size(); i++) {
      String[] s = steps.get(i).split(" ", 2);
      if (!s[0].equals("RENAME")) {
        continue;
      }
      String target = s[1];
      boolean synced = false;
      for (int j = i - 1; j >= 0 && !synced && !steps.get(j).equals(steps.get(i)); j--) {
        String[] t = steps.get(j).split(" ", 2);
        Matcher m = TMP.matcher(t[1]);
        synced = t[0].equals("FSYNC") && m.matches() && (m.group(1) + m.group(2)).equals(target);
      }
      assertTrue(synced, "step " + i + " renames " + target + " without an fsync first: " + steps);
      if (target.endsWith(".index")) {
        String prefix = target.substring(0, target.length() - ".index".length());
        for (int j = i + 1; j < steps.size(); j++) {
          assertFalse(
              steps.get(j).startsWith("RENAME " + prefix + "."),
              "a file of " + prefix + " renamed after its index: " + steps);
        }
        int dirSync = indexOf(steps, i + 1, "FSYNC_DIR");
        int nextWrite = indexOf(steps, i + 1, "WRITE");
        assertTrue(
            dirSync > i && (nextWrite < 0 || dirSync < nextWrite),
            "no directory fsync after " + target + " before the next write: " + steps);
      }
      if (target.equals(CheckpointState.FILE_NAME)) {
        assertEquals("FSYNC_DIR", steps.get(i + 1).split(" ")[0], "dir fsync after the state");
      }
    }
  }

  private static int indexOf(List<String> steps, int from, String step) {
    for (int j = from; j < steps.size(); j++) {
      if (steps.get(j).startsWith(step)) {
        return j;
      }
    }
    return -1;
  }
}
