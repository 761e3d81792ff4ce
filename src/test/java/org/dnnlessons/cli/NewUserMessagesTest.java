package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user's first mistakes print: one line that names the way out. */
@CpuNumerics
class NewUserMessagesTest {

  @TempDir Path dir;

  private static void assertOneErrorLine(CliRun r, int status, String expected) {
    assertEquals(status, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
    assertEquals("error: " + expected, r.err().strip());
  }

  @Test
  void thePrefixGivenToSaveNamesTheNewestNumberedCheckpoint() throws Exception {
    Path run = Files.createDirectory(dir.resolve("run"));
    // 9 sorts after 162 as text: the newest is the highest step, not the last name
    for (String step : new String[] {"9", "162", "50"}) {
      Files.createFile(run.resolve("model.ckpt-" + step + ".index"));
    }
    Files.createFile(run.resolve("other.ckpt-900.index")); // another prefix: not named
    Files.createFile(run.resolve("model.ckpt-1000.meta")); // no index: not a checkpoint
    String prefix = run.resolve("model.ckpt").toString();
    String expected =
        prefix
            + ": no checkpoint here: expected the file "
            + prefix
            + ".index to exist; the newest checkpoint saved with this prefix is "
            + prefix
            + "-162: pass that, or the directory "
            + run;
    assertOneErrorLine(CliRun.of("evaluate", "--checkpoint", prefix), Main.EXIT_FAILURE, expected);
    // every command that reads a checkpoint: the lesson reading one by its prefix too
    assertOneErrorLine(
        CliRun.of("lesson", "load-variables", "--file", prefix), Main.EXIT_FAILURE, expected);
    assertOneErrorLine(CliRun.of("inspect", prefix), Main.EXIT_FAILURE, expected);
    assertOneErrorLine(
        CliRun.of("serve", "--model", prefix, "--port", "0"), Main.EXIT_FAILURE, expected);
    assertOneErrorLine(
        CliRun.of("train", "--init-from", prefix, "--epochs", "1"), Main.EXIT_FAILURE, expected);
    // a prefix with no numbered checkpoints beside it: the message as before
    String none = run.resolve("none.ckpt").toString();
    assertOneErrorLine(
        CliRun.of("evaluate", "--checkpoint", none),
        Main.EXIT_FAILURE,
        none + ": no checkpoint here: expected the file " + none + ".index to exist");
  }

  @Test
  void aMistypedCommandBeforeOptionsIsAnUnknownCommand() {
    String see = " (see 'dnn-lessons --help')";
    assertOneErrorLine(
        CliRun.of("trian", "--epochs", "1"),
        Main.EXIT_USAGE,
        "Unknown command 'trian'; did you mean train?" + see);
    assertOneErrorLine(
        CliRun.of("Train", "--epochs", "1"),
        Main.EXIT_USAGE,
        "Unknown command 'Train'; did you mean train?" + see);
    assertOneErrorLine(
        CliRun.of("trian", "--epochs=1"),
        Main.EXIT_USAGE,
        "Unknown command 'trian'; did you mean train?" + see);
    assertOneErrorLine(
        CliRun.of("evalute", "--checkpoint", "run"),
        Main.EXIT_USAGE,
        "Unknown command 'evalute'; did you mean evaluate?" + see);
    assertOneErrorLine(
        CliRun.of("frobnicate", "--epochs", "1"),
        Main.EXIT_USAGE,
        "Unknown command 'frobnicate'" + see);
    assertOneErrorLine(
        CliRun.of("lesson", "mlpp", "--epochs", "1"),
        Main.EXIT_USAGE,
        "unknown lesson 'mlpp'; 'dnn-lessons lesson --list' names them (see 'dnn-lessons lesson"
            + " --help')");
    // a known command's mistyped option is still the option's message
    assertOneErrorLine(
        CliRun.of("train", "--epoch", "1"),
        Main.EXIT_USAGE,
        "Unknown option '--epoch'; did you mean --epochs? (see 'dnn-lessons train --help')");
  }

  @Test
  void aSecondServeOnABusyPortNamesTheAddressAndSuggestsPort() throws Exception {
    Path model = dir.resolve("model.keras");
    org.dnnlessons.keras.KerasExport.write(
        org.dnnlessons.testing.LessonWeights.of(4),
        model,
        org.dnnlessons.keras.KerasExport.Format.KERAS);
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = busy.getLocalPort();
      assertOneErrorLine(
          CliRun.of("serve", "--model", model.toString(), "--port", String.valueOf(port)),
          Main.EXIT_FAILURE,
          "cannot listen on 127.0.0.1:"
              + port
              + ": address already in use (another serve?); pass --port N, or --port 0 for a"
              + " free one");
    }
  }
}
