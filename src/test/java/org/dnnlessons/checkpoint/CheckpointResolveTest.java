package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a checkpoint argument is understood ({@link CheckpointState#resolve(Path,
 * java.util.function.Consumer)}): a file of the checkpoint stands for its prefix, and a state file
 * that names a checkpoint elsewhere falls back to its namesake beside it, with a warning.
 */
class CheckpointResolveTest {

  @TempDir Path dir;

  private Path checkpoint(String name) throws Exception {
    Path source = PythonFixtures.ROOT.resolve("dtypes");
    Path prefix = dir.resolve(name);
    Files.copy(source.resolve("model.ckpt.index"), Path.of(prefix + ".index"));
    Files.copy(
        source.resolve("model.ckpt.data-00000-of-00001"), Path.of(prefix + ".data-00000-of-00001"));
    Files.writeString(Path.of(prefix + ".meta"), "");
    return prefix;
  }

  @ParameterizedTest(name = "prefix{0}")
  @ValueSource(strings = {"", ".index", ".data-00000-of-00001", ".meta"})
  void aFileOfTheCheckpointStandsForItsPrefix(String suffix) throws Exception {
    Path prefix = checkpoint("model.ckpt-5");
    assertEquals(prefix, CheckpointState.resolve(Path.of(prefix + suffix), w -> {}));
    assertEquals(47, CheckpointReader.open(Path.of(prefix + suffix)).totalParameters());
  }

  @Test
  void theStateFileStandsForItsLatestCheckpoint() throws Exception {
    Path prefix = checkpoint("model.ckpt-5");
    new CheckpointState("model.ckpt-5", List.of("model.ckpt-5")).write(dir);
    assertEquals(prefix, CheckpointState.resolve(dir.resolve("checkpoint"), w -> {}));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/old/place/run/model.ckpt-5",
        "C:\\Users\\me\\run\\model.ckpt-5",
        "../elsewhere/model.ckpt-5"
      })
  void aStateFileNamingACheckpointElsewhereUsesItsNamesakeWithAWarning(String named)
      throws Exception {
    Path prefix = checkpoint("model.ckpt-5");
    new CheckpointState(named, List.of(named)).write(dir);
    List<String> warnings = new ArrayList<>();
    assertEquals(prefix, CheckpointState.resolve(dir, warnings::add));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).contains("names '" + named + "', which is not there")
            && warnings.get(0).endsWith("using " + prefix + " beside the state file"),
        warnings.get(0));
  }

  @Test
  void aStateFileNamingNothingSaysWhichPathsWereTried() throws Exception {
    checkpoint("model.ckpt-4");
    new CheckpointState("/old/place/model.ckpt-5", List.of()).write(dir);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointState.resolve(dir, w -> {}));
    assertEquals(
        dir.resolve("checkpoint")
            + ": names the checkpoint '/old/place/model.ckpt-5', but /old/place/model.ckpt-5.index"
            + " does not exist, nor does "
            + dir.resolve("model.ckpt-5")
            + ".index beside the state file",
        e.getMessage());
  }

  /** Found by the fuzz test: a NUL in the state file's path is not a path, and said on one line. */
  @Test
  void aStateFileNamingAnImpossiblePathIsOneLine() throws Exception {
    checkpoint("model.ckpt-4");
    Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"model.c\u0000pt\\n\"\n");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointState.resolve(dir, w -> {}));
    assertEquals(
        dir.resolve("checkpoint")
            + ": names the checkpoint 'model.c\\x00pt\\x0a', but that is not a path here",
        e.getMessage());
  }

  /** Found by the fuzz test: a newline in a name read from a file stays inside one line. */
  @Test
  void messagesStayOneLineWhateverTheFileHolds() {
    CheckpointException e =
        new CheckpointException(dir, 7, "tensor 'a\nb\u2028c' has an unknown rank");
    assertEquals(
        dir + " at offset 7: tensor 'a\\x0ab\\u2028c' has an unknown rank", e.getMessage());
  }
}
