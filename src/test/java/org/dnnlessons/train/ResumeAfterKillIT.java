package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.cli.Main;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run of 4 epochs saved every epoch, killed with SIGKILL in the middle of its third epoch (a real
 * child process, {@link TrainUntilKilledChild}), then continued with {@code train --resume}, ends
 * with weights bit-identical to an uninterrupted run of the same seed: the same steps on the same
 * batches in the same order, and the same global step, epoch count and learning curve. In the
 * default fast loop (8 steps per run, data in the graph) and one step per run. Exact equality is
 * sound here: the same machine, threads and kernels on both sides.
 */
class ResumeAfterKillIT {

  @TempDir Path dir;

  private static String train(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> command(Path prefix, int stepsPerRun, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--hidden",
                "16",
                "--learning-rate",
                "0.1",
                "--init-stddev",
                "0.1",
                "--seed",
                "6",
                "--epochs",
                "4",
                "--save",
                prefix.toString(),
                "--save-every",
                "1",
                "--steps-per-run",
                String.valueOf(stepsPerRun)));
    args.addAll(List.of(more));
    return args;
  }

  @ParameterizedTest(name = "steps per run {0}")
  @ValueSource(ints = {8, 1})
  void killedInEpochThreeThenResumedEqualsAnUninterruptedRunBitForBit(int stepsPerRun)
      throws Exception {
    Path killed = dir.resolve("killed/model.ckpt");
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                ChildJvm.command(
                    "-cp",
                    System.getProperty("java.class.path"),
                    TrainUntilKilledChild.class.getName(),
                    killed.toString(),
                    String.valueOf(stepsPerRun)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(log) && Files.readString(log).contains("IN EPOCH 3"))) {
        assertTrue(child.isAlive(), "the child died: " + Files.readString(log));
        assertTrue(System.nanoTime() < deadline, "not in epoch 3 within 120 s");
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    Path killedDir = killed.getParent();
    assertEquals(killedDir.resolve("model.ckpt-108"), CheckpointState.latestCheckpoint(killedDir));
    assertFalse(Files.exists(Path.of(killed + "-162.index")));

    String resumed = train(command(killed, stepsPerRun, "--resume").toArray(new String[0]));
    assertTrue(resumed.contains("2 of 4 epochs done, global step 108"), resumed);
    assertTrue(resumed.contains("Saved " + killed + "-216"), resumed);

    Path whole = dir.resolve("whole/model.ckpt");
    train(command(whole, stepsPerRun).toArray(new String[0]));

    CheckpointReader a = CheckpointReader.open(Path.of(killed + "-216"));
    CheckpointReader b = CheckpointReader.open(Path.of(whole + "-216"));
    List<String> keys = new ArrayList<>();
    for (TensorInfo t : b.tensors()) {
      keys.add(t.name());
    }
    assertEquals(keys, a.tensors().stream().map(TensorInfo::name).toList());
    for (String key : keys) {
      if (key.equals(TrainState.HISTORY)) {
        double[] x = a.read(key).doubles();
        double[] y = b.read(key).doubles();
        for (int row = 0; row < 4; row++) {
          // cost and validation accuracy of every epoch; column 2 is the seconds it took
          assertEquals(y[row * 3], x[row * 3], "cost of epoch " + row);
          assertEquals(y[row * 3 + 1], x[row * 3 + 1], "validation accuracy of epoch " + row);
        }
      } else {
        assertArrayEquals(b.read(key).data(), a.read(key).data(), key + " bit for bit");
      }
    }
    assertEquals(
        List.of("model.ckpt-54", "model.ckpt-108", "model.ckpt-162", "model.ckpt-216"),
        CheckpointState.read(killedDir).all());
  }
}
