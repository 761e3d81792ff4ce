package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --checkpoint DIR} of a moved directory: the state file names the old place, the checkpoint
 * beside it is used, and the warning saying so is printed once per command.
 */
class CheckpointOptionTest {

  private static final Path PYTHON_MLP =
      Path.of("src/test/resources/org/dnnlessons/checkpoint/python/mlp");

  @TempDir Path dir;

  @Test
  void aMovedCheckpointDirectoryIsWarnedAboutOnce() throws Exception {
    Path moved = dir.resolve("moved");
    PathUtils.copyDirectory(PYTHON_MLP, moved);
    Files.writeString(
        moved.resolve("checkpoint"),
        "model_checkpoint_path: \"/gone/run/model.ckpt\"\n"
            + "all_model_checkpoint_paths: \"/gone/run/model.ckpt\"\n");
    CliRun evaluate = CliRun.of("evaluate", "--checkpoint", moved.toString());
    assertEquals(Main.EXIT_OK, evaluate.status(), evaluate.err());
    assertEquals(
        1, evaluate.err().lines().filter(l -> l.startsWith("warning:")).count(), evaluate.err());
    CliRun predict = CliRun.of("predict", "--checkpoint", moved.toString(), "--index", "0");
    assertEquals(Main.EXIT_OK, predict.status(), predict.err());
    assertEquals(
        1, predict.err().lines().filter(l -> l.startsWith("warning:")).count(), predict.err());
  }
}
