package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code checkpoint} state file and the checkpoint's small inputs are read from regular files
 * only: a FIFO (which would block every reader forever) or a link to {@code /dev/zero} (whose
 * {@code Files.size} is 0 and whose read never ends) is refused at once with one line; every path
 * the product writes into the state file reads back, and a prefix it could not hold is refused
 * before anything is written.
 */
class StateFileInputsTest {

  private static final Duration AT_ONCE = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void aFifoStateFileIsRefusedAtOnce() throws Exception {
    mkfifo(dir.resolve("checkpoint"));
    CheckpointException e = refused(() -> CheckpointState.read(dir));
    assertEquals(
        dir.resolve("checkpoint") + ": the state file is a FIFO, not a regular file",
        e.getMessage());
    // every reader that goes through the state file: inspect, evaluate, train --resume
    assertTrue(refused(() -> CheckpointReader.open(dir)).getMessage().contains("is a FIFO"));
    assertTrue(refused(() -> CheckpointState.resolve(dir)).getMessage().contains("is a FIFO"));
  }

  @Test
  void aStateFileLinkedToDevZeroIsRefusedWithoutReadingIt() throws Exception {
    Files.createSymbolicLink(dir.resolve("checkpoint"), Path.of("/dev/zero"));
    CheckpointException e = refused(() -> CheckpointState.read(dir));
    assertEquals(
        dir.resolve("checkpoint") + ": the state file is a character device, not a regular file",
        e.getMessage());
  }

  @Test
  void aFifoIndexOrV1FileIsRefusedAtOnce() throws Exception {
    mkfifo(dir.resolve("model.ckpt.index"));
    CheckpointException e = refused(() -> CheckpointReader.open(dir.resolve("model.ckpt")));
    assertEquals(
        dir.resolve("model.ckpt.index") + ": is a FIFO, not a regular file", e.getMessage());
  }

  @Test
  void aSaveIsRefusedBeforeWritingWhenTheStateFileIsAFifo() throws Exception {
    mkfifo(dir.resolve("checkpoint"));
    try (TinyModel model = new TinyModel(s -> s, false)) {
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> model.save(dir.resolve("m.ckpt"), 1f));
      assertEquals(
          dir.resolve("checkpoint")
              + ": is a FIFO, not a regular file; refused before writing anything",
          e.getMessage());
    }
    assertEquals(List.of(dir.resolve(".checkpoint.lock"), dir.resolve("checkpoint")), list());
  }

  @Test
  void everyPathWrittenIntoTheStateFileReadsBack() throws Exception {
    // the quoting is protobuf text format's: quotes, backslashes, line breaks and other control
    // characters escaped; octal escapes ("\\303\\251", as Python writes non-ASCII) read as UTF-8
    Random random = new Random(24);
    String alphabet = "ab/.-_ \"\\\n\r\t\u0000\u0001\u007f\u00e9\u4e2d\ud83d\ude00'?#:0127x";
    for (int round = 0; round < 300; round++) {
      List<String> paths = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
          int at = random.nextInt(alphabet.length());
          char c = alphabet.charAt(at);
          if (Character.isSurrogate(c)) {
            s.append("\ud83d\ude00"); // a whole pair
          } else {
            s.append(c);
          }
        }
        paths.add(s.toString());
      }
      CheckpointState written = new CheckpointState(paths.get(2), paths);
      written.write(dir);
      assertEquals(written, CheckpointState.read(dir), "round " + round + ": " + paths);
    }
  }

  @Test
  void readsPythonsOctalEscapesOfNonAsciiPaths() throws Exception {
    // tf.compat.v1.train.Saver().save(sess, "modèl") writes the state file this way
    Files.writeString(
        dir.resolve("checkpoint"),
        "model_checkpoint_path: \"mod\\303\\250l\"\nall_model_checkpoint_paths: \"mod\\303\\250l\"\n",
        StandardCharsets.US_ASCII);
    assertEquals("modèl", CheckpointState.read(dir).latest());
  }

  @Test
  void aPrefixWithALineBreakIsRefusedBeforeAnythingIsWritten() throws Exception {
    try (TinyModel model = new TinyModel(s -> s, false)) {
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> model.save(dir.resolve("a\nb").resolve("m"), 1f));
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith(
                  ": a checkpoint prefix cannot hold a line break or other control character"
                      + " (U+000A at "
                      + (dir.toString().length() + 2)
                      + "); the checkpoint state file names checkpoints one per line"),
          e.getMessage());
    }
    assertEquals(List.of(), list());
  }

  private List<Path> list() throws Exception {
    try (var s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  interface Read {
    Object run() throws Exception;
  }

  private static CheckpointException refused(Read read) {
    return assertTimeoutPreemptively(
        AT_ONCE,
        () -> assertThrows(CheckpointException.class, read::run),
        "blocked or kept reading");
  }

  static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor(), "mkfifo " + p);
  }
}
