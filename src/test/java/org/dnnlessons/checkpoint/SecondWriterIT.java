package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second process saving into a directory where another process's {@link Saver} writes is refused
 * with one line naming that process, and writes nothing; once the first process ends (here it
 * exits; a killed one releases the lock as well, see {@link KillDuringSaveIT}) the directory is
 * free again.
 */
class SecondWriterIT {

  @TempDir Path dir;

  @Test
  void aSecondWriterIsRefusedWithTheFirstOnesPid() throws Exception {
    Process child =
        new ProcessBuilder(
                ChildJvm.command(
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockHolderChild.class.getName(),
                    dir.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("saved"));
      assertEquals("saved", line, "the child saved its first checkpoint");

      try (TinyModel second = new TinyModel(s -> s, false)) {
        CheckpointException e =
            assertThrows(
                CheckpointException.class, () -> second.save(dir.resolve("model.ckpt"), 7f, 1));
        assertEquals(
            dir.toRealPath()
                + ": another process (pid "
                + child.pid()
                + ") is writing checkpoints in this directory (it holds .checkpoint.lock);"
                + " wait for it to end or save elsewhere",
            e.getMessage());
        assertThrows(
            CheckpointException.class, () -> second.saver.lockDirectory(dir + "/other.ckpt"));
        assertEquals(List.of("model.ckpt-1"), CheckpointState.read(dir).all(), "nothing written");
        assertEquals(1f, CheckpointChecks.readValue(dir.resolve("model.ckpt-1"), "child's"));

        child.getOutputStream().close(); // the child saves model.ckpt-2 and exits
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
        assertEquals("model.ckpt-2", CheckpointState.read(dir).latest());

        second.save(dir.resolve("model.ckpt"), 7f, 3);
        assertEquals(List.of("model.ckpt-3"), CheckpointState.read(dir).all());
        assertTrue(Files.exists(dir.resolve(".checkpoint.lock")));
      }
    } finally {
      child.destroyForcibly();
    }
  }
}
