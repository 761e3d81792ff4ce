package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save into a full disk (a real 3 MiB tmpfs, mounted when the tests run as root, as in CI): it
 * fails with one line saying so, leaves no temporary file, and the previous checkpoint still
 * restores. Without root, {@link CrashAtEveryStepTest} injects the same failure at every write and
 * fsync instead.
 */
class DiskFullIT {

  @TempDir Path dir;

  @Test
  void aFullDiskFailsTheSaveWithOneLineAndKeepsThePreviousCheckpoint() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("tmpfs"));
    int mounted = run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk.toString());
    if ("root".equals(System.getProperty("user.name"))) {
      // CI runs as root: there the real full disk must be tested, never skipped
      assertEquals(0, mounted, "mount -t tmpfs failed as root");
    }
    Assumptions.assumeTrue(
        mounted == 0,
        "mounting a tmpfs needs root; CrashAtEveryStepTest injects a full disk instead");
    try {
      // layer/w of 300,000 floats: 1.2 MB a checkpoint (2 fit, 3 do not)
      try (TinyModel model = new TinyModel(s -> s.maxToKeep(1), false, 300_000)) {
        model.save(disk.resolve("model.ckpt"), 1f, 1);
        model.save(disk.resolve("model.ckpt"), 2f, 2); // model.ckpt-1 deleted after
        try (TinyModel big = new TinyModel(s -> s.maxToKeep(1), false, 300_000)) {
          // another saver: its new checkpoint needs room beside model.ckpt-2 and model.ckpt-2b
          big.save(disk.resolve("other.ckpt"), 3f);
          CheckpointException e =
              assertThrows(
                  CheckpointException.class, () -> big.save(disk.resolve("third.ckpt"), 4f));
          assertFalse(e.getMessage().contains("\n"), e.getMessage());
          assertEquals(
              disk.resolve("third.ckpt") + ": cannot write the checkpoint: No space left on device",
              e.getMessage());
        }
        assertEquals(List.of(), CheckpointChecks.temporaryFiles(disk), "temporary files deleted");
        assertFalse(Files.exists(disk.resolve("third.ckpt.index")));
        assertEquals(3f, model.restore(disk.resolve("other.ckpt")));
        assertEquals(2f, model.restore(disk.resolve("model.ckpt-2")));
        CheckpointChecks.assertIntact(disk, List.of(2f, 3f), "after the full disk");
        // room again: the next save works
        Files.delete(disk.resolve("other.ckpt.data-00000-of-00001"));
        Files.delete(disk.resolve("other.ckpt.index"));
        model.save(disk.resolve("model.ckpt"), 5f, 3);
        assertEquals(5f, model.restore(CheckpointState.resolve(disk)));
        assertTrue(!Files.exists(disk.resolve("model.ckpt-2.index")), "maxToKeep(1)");
      }
    } finally {
      assertEquals(0, run("umount", disk.toString()), "umount " + disk);
    }
  }

  @Test
  void aFullDiskDuringExportNamesTheFileAndKeepsTheOldOne() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("export-tmpfs"));
    int mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
    if ("root".equals(System.getProperty("user.name"))) {
      assertEquals(0, mounted, "mount -t tmpfs failed as root");
    }
    Assumptions.assumeTrue(
        mounted == 0, "mounting a tmpfs needs root; EveryWriterTest injects a full disk instead");
    try {
      for (org.dnnlessons.keras.KerasExport.Format format :
          org.dnnlessons.keras.KerasExport.Format.values()) {
        Path out =
            disk.resolve(
                format == org.dnnlessons.keras.KerasExport.Format.KERAS
                    ? "model.keras"
                    : "model.weights.h5");
        // a small export fits; one of 784x512 float32 weights (1.6 MB) does not
        org.dnnlessons.keras.KerasExport.write(
            org.dnnlessons.testing.LessonWeights.of(4), out, format);
        byte[] old = Files.readAllBytes(out);
        java.io.IOException e =
            assertThrows(
                java.io.IOException.class,
                () ->
                    org.dnnlessons.keras.KerasExport.write(
                        org.dnnlessons.testing.LessonWeights.of(512), out, format));
        assertEquals(
            out
                + ": the disk is full (No space left on device) while writing it;"
                + " the file was not replaced",
            e.getMessage());
        assertTrue(java.util.Arrays.equals(old, Files.readAllBytes(out)), "the old file kept");
        assertEquals(List.of(out), CheckpointChecks.list(disk), "no temporary left");
        Files.delete(out);
      }
    } finally {
      assertEquals(0, run("umount", disk.toString()), "umount " + disk);
    }
  }

  private static int run(String... command) throws Exception {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (java.io.IOException e) {
      return -1; // no mount command
    }
  }
}
