package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) during {@code train}, sent to a real child JVM after its first epoch line: exit
 * status 130 and one line on stderr naming the epoch and what survives.
 */
class TrainInterruptIT {

  @TempDir Path dir;

  private static final Pattern EPOCH = Pattern.compile("(?m)^Epoch (\\d+)\\s");

  /** Runs train with {@code more} options, interrupts it after its first epoch line. */
  private String[] interrupted(int epochLines, String... more) throws Exception {
    Path out = dir.resolve("out.log");
    Path err = dir.resolve("err.log");
    List<String> args =
        new ArrayList<>(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "train",
                "--hidden",
                "16",
                "--seed",
                "6",
                "--epochs",
                "1000",
                "--save",
                dir.resolve("run/model.ckpt").toString()));
    args.addAll(List.of(more));
    Process child =
        new ProcessBuilder(ChildJvm.command(args.toArray(new String[0])))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(out)
          && EPOCH.matcher(Files.readString(out)).results().count() >= epochLines)) {
        assertTrue(child.isAlive(), "the child died: " + Files.readString(err));
        assertTrue(System.nanoTime() < deadline, "no epoch line within 120 s");
        Thread.sleep(20);
      }
      Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGINT");
    } finally {
      child.destroyForcibly();
    }
    assertEquals(130, child.exitValue(), Files.readString(err));
    Matcher epoch = EPOCH.matcher(Files.readString(out));
    int last = -1;
    while (epoch.find()) {
      last = Integer.parseInt(epoch.group(1));
    }
    // TensorFlow's native start-up lines come first (a java -jar launch filters them)
    List<String> lines =
        Files.readAllLines(err).stream()
            .filter(
                l -> l.startsWith("train:") || l.startsWith("error:") || l.startsWith("warning:"))
            .toList();
    assertEquals(1, lines.size(), "one line of ours on stderr: " + Files.readString(err));
    // the epoch after the last line printed; or that last one, when the signal came between its
    // line and the notice hearing its end, or the loop printed it while the hook ran (threads run
    // on during shutdown hooks)
    Matcher said = Pattern.compile("^train: interrupted in epoch (\\d+); ").matcher(lines.get(0));
    assertTrue(said.find(), lines.get(0));
    int reported = Integer.parseInt(said.group(1));
    assertTrue(reported == last + 1 || reported == last, last + " printed: " + lines.get(0));
    return new String[] {lines.get(0), "train: interrupted in epoch " + reported + "; "};
  }

  @Test
  void withoutSaveEveryItSaysNothingWasSaved() throws Exception {
    String[] r = interrupted(1);
    assertEquals(r[1] + "nothing was saved (--save-every K saves during training)", r[0]);
  }

  @Test
  void withSaveEveryItNamesTheLastCheckpoint() throws Exception {
    // after the second epoch line: the first epoch's checkpoint is written
    String[] r = interrupted(2, "--save-every", "1");
    Path run = dir.resolve("run");
    Matcher named =
        Pattern.compile(
                Pattern.quote(r[1] + "the last checkpoint saved is " + run.resolve("model.ckpt-"))
                    + "(\\d+)")
            .matcher(r[0]);
    assertTrue(named.matches(), r[0]);
    // what it names survives: listed in the state file, its index there
    String name = "model.ckpt-" + named.group(1);
    assertTrue(CheckpointState.read(run).all().contains(name), name);
    assertTrue(Files.isRegularFile(run.resolve(name + ".index")), name);
  }
}
