package org.dnnlessons.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publishing JVM really signalled before each step of {@link FilePublisher#publish}: after
 * SIGKILL the file is the old one or the new one, whole, and the next publish into the directory
 * deletes the temporary the dead writer left; after SIGTERM the shutdown hook has deleted it.
 */
class PublishKillIT {

  @TempDir Path dir;

  @Test
  void everyKillPointLeavesTheOldOrTheNewFileAndNoTemporaryForLong() throws Exception {
    int steps = 4; // CREATE, FSYNC, RENAME, FSYNC_DIR (EveryWriterTest counts them per writer)
    int tried = 0;
    for (String signal : List.of("KILL", "TERM")) {
      for (int n = 0; n < steps; n++) {
        Path work = Files.createDirectories(dir.resolve(signal + "-" + n));
        Path file = Files.writeString(work.resolve("file.txt"), "old");
        int exit = run(work, n, signal);
        String where = "SIG" + signal + " before step " + n;
        assertEquals(signal.equals("KILL") ? 137 : 143, exit, where);
        String left = Files.readString(file);
        assertTrue(left.equals("old") || left.equals("new"), where + ": " + left);
        if (signal.equals("TERM")) {
          assertEquals(
              List.of(), EveryWriterTest.temporaries(work), where + ": the hook deleted it");
        }
        FilePublisher.publishBytes(work.resolve("other.txt"), new byte[] {1});
        assertEquals(List.of(), EveryWriterTest.temporaries(work), where + ": next publish cleans");
        tried++;
      }
    }
    System.out.println(tried + " real kill points (SIGKILL, SIGTERM), 0 files lost");
  }

  private int run(Path work, int killAt, String signal) throws Exception {
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    PublishChild.class.getName(),
                    work.toString(),
                    Integer.toString(killAt),
                    signal))
            .redirectErrorStream(true)
            .redirectOutput(work.resolveSibling(work.getFileName() + ".log").toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    return p.exitValue();
  }
}
