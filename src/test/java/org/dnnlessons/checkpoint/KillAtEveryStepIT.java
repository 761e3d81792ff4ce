package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saving JVM killed with SIGKILL at each file-system step of a save, one child process per step:
 * the child overwrites the checkpoint the state file names and then saves a newer one with {@code
 * maxToKeep(1)}, which deletes the older ({@link KillAtStepChild}). After every kill the directory
 * is intact ({@link CheckpointChecks#assertIntact}), the state file names a checkpoint that
 * restores in TensorFlow (while the only checkpoint is being replaced, from its recovery set: never
 * neither old nor new), and the next save deletes the temporary files the dead writer left and puts
 * the recovery set back under the prefix (or deletes it once the new index is in place).
 */
class KillAtEveryStepIT {

  @TempDir Path dir;

  @Test
  void everyKillPointLeavesARestorableCheckpoint() throws Exception {
    Path base = Files.createDirectories(dir.resolve("base"));
    try (TinyModel first = new TinyModel(s -> s.maxToKeep(1), false)) {
      first.save(base.resolve("model.ckpt"), 1f, 1);
      first.save(base.resolve("model.ckpt"), 2f, 2);
    }
    Path complete = dir.resolve("complete");
    CheckpointChecks.copy(base, complete);
    Child all = run(complete, -1);
    assertEquals(0, all.exit, all.output);
    int steps = Integer.parseInt(all.output.strip().replaceAll("(?s).*steps (\\d+).*", "$1"));
    assertTrue(steps > 20, "a save has many steps: " + steps);
    int leftovers = 0;
    int fromRecovery = 0;
    try (TinyModel checker = new TinyModel(s -> s, false)) {
      for (int n = 0; n < steps; n++) {
        Path work = dir.resolve("killed-" + n);
        CheckpointChecks.copy(base, work);
        Child child = run(work, n);
        String where = "killed at step " + n;
        assertEquals(137, child.exit, where + ": exit status of a SIGKILL; " + child.output);
        Path latest = CheckpointChecks.assertIntact(work, Set.of(1f, 2f, 3f, 4f), where);
        // Overwriting the only checkpoint: the state file names it at every kill point, and it
        // restores, old or new (from its recovery set while the new index is not in place)
        assertNotNull(latest, where + ": the state file names no checkpoint (old or new lost)");
        if (Recovery.readable(latest).getFileName().toString().endsWith(Recovery.SUFFIX)) {
          fromRecovery++;
        }
        float v = checker.restore(latest);
        assertTrue(Set.of(2f, 3f, 4f).contains(v), where + ": restored " + v);
        Path named = work.resolve(CheckpointState.read(work).latest());
        leftovers += CheckpointChecks.temporaryFiles(work).size();
        checker.save(work.resolve("next.ckpt"), 9f);
        checker.saver.close();
        assertEquals(List.of(), CheckpointChecks.temporaryFiles(work), where);
        // the next save put the recovery set back (or deleted it): the prefix itself restores
        assertEquals(
            List.of(),
            CheckpointChecks.list(work).stream().filter(Recovery::isRecoveryFile).toList(),
            where + ": recovery set settled");
        assertEquals(v, checker.restore(named), where);
      }
    }
    System.out.println(
        steps
            + " kill points (SIGKILL), every checkpoint left intact, none lost; "
            + fromRecovery
            + " restored from the recovery set while the only checkpoint was being replaced; "
            + leftovers
            + " temporary files left, all deleted by the next save");
    assertTrue(fromRecovery > 0, "some kill points fell inside the overwrite");
  }

  private record Child(int exit, String output) {}

  private Child run(Path work, int killAt) throws Exception {
    Path log = dir.resolve("child-" + killAt + ".log");
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    "-XX:TieredStopAtLevel=1", // a short-lived child: start fast
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    KillAtStepChild.class.getName(),
                    work.toString(),
                    Integer.toString(killAt)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not end");
    } finally {
      p.destroyForcibly();
    }
    return new Child(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
