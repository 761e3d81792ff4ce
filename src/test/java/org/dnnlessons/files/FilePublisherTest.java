package org.dnnlessons.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FilePublisher}'s promises that no single writer shows: see {@link EveryWriterTest}. */
class FilePublisherTest {

  @TempDir Path dir;

  @AfterEach
  void noHookLeft() {
    FilePublisher.listener = null;
  }

  @Test
  void theNextPublishDeletesTheTemporariesOfDeadWritersOnly() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long dead = gone.pid();
    long alive = ProcessHandle.current().pid();
    Path deadFile = Files.write(dir.resolve(".model.keras.tmp-" + dead + "-1"), new byte[10]);
    Path deadScratch =
        Files.write(dir.resolve(".model.keras.weights.h5.tmp-" + dead + "-2"), new byte[10]);
    Path deadDir = Files.createDirectories(dir.resolve(".saved.tmp-" + dead + "-3"));
    Files.write(Files.createDirectories(deadDir.resolve("variables")).resolve("x"), new byte[1]);
    Path outside = Files.write(dir.resolve("keep-me"), new byte[1]);
    Files.createSymbolicLink(deadDir.resolve("link"), outside); // never followed
    Path live = Files.write(dir.resolve(".other.png.tmp-" + alive + "-4"), new byte[10]);
    Path notOurs = Files.write(dir.resolve(".tmp-notes"), new byte[1]);
    FilePublisher.publishBytes(dir.resolve("new.txt"), new byte[] {1});
    assertFalse(Files.exists(deadFile), "a dead writer's temporary file");
    assertFalse(Files.exists(deadScratch), "a dead writer's scratch file");
    assertFalse(Files.exists(deadDir), "a dead writer's temporary directory");
    assertTrue(Files.exists(outside), "a link inside it is not followed");
    assertTrue(Files.exists(live), "a live writer's temporary is kept");
    assertTrue(Files.exists(notOurs), "a name we do not make is kept");
  }

  @Test
  void aLinkToARegularFileIsWrittenThroughAndKept() throws Exception {
    Path real =
        Files.write(
            Files.createDirectories(dir.resolve("real")).resolve("a.png"), "old".getBytes());
    Path link = Files.createSymbolicLink(dir.resolve("a.png"), real);
    FilePublisher.publishBytes(link, "new".getBytes());
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertArrayEquals("new".getBytes(), Files.readAllBytes(real));
  }

  @Test
  void aDirectoryIsPublishedWholeOrNotAtAll() throws Exception {
    Path target = dir.resolve("saved_model");
    List<String> steps = new ArrayList<>();
    FilePublisher.listener = (step, file) -> steps.add(step.toString());
    FilePublisher.publishDirectory(target, d -> writeModel(d));
    FilePublisher.listener = null;
    assertEquals(List.of("CREATE", "FSYNC", "RENAME", "FSYNC_DIR"), steps);
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(target.resolve("variables/v.data")));
    // an existing directory is never replaced
    IOException exists =
        assertThrows(
            IOException.class, () -> FilePublisher.publishDirectory(target, d -> writeModel(d)));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    // a failure at each step before the rename leaves nothing, not even a temporary directory
    for (int i = 0; i < 3; i++) {
      Path t = dir.resolve("model-" + i);
      int failAt = i;
      int[] n = {0};
      FilePublisher.listener =
          (step, file) -> {
            if (n[0]++ == failAt) {
              throw new IOException("No space left on device");
            }
          };
      IOException e =
          assertThrows(
              IOException.class, () -> FilePublisher.publishDirectory(t, d -> writeModel(d)));
      FilePublisher.listener = null;
      assertEquals(
          t
              + ": the disk is full (No space left on device) while writing it; the file was not replaced",
          e.getMessage());
      assertFalse(Files.exists(t), "step " + i);
      assertEquals(List.of(), EveryWriterTest.temporaries(dir), "step " + i);
    }
  }

  private static void writeModel(Path d) throws IOException {
    Files.write(d.resolve("saved_model.pb"), new byte[] {1, 2});
    Files.write(Files.createDirectories(d.resolve("variables")).resolve("v.data"), new byte[] {7});
  }

  @Test
  void aWriterThatFailsLeavesTheOldFileAndNoTemporary() throws Exception {
    Path target = Files.write(dir.resolve("t.json"), "old".getBytes());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                FilePublisher.publish(
                    target,
                    out -> {
                      out.write("half".getBytes());
                      throw new IllegalStateException("the writer's own failure");
                    }));
    assertEquals("the writer's own failure", e.getMessage());
    assertArrayEquals("old".getBytes(), Files.readAllBytes(target));
    assertEquals(List.of(), EveryWriterTest.temporaries(dir));
  }

  @Test
  void messagesElideLongValuesWithTheirLengthAndStayOneLine() {
    String config = "{\"units\": 4}".repeat(2_000_000); // 24 MB, as a crafted config.json
    String v = Messages.value(config);
    assertTrue(v.length() <= Messages.MAX_VALUE_CHARS, v.length() + ": " + v);
    assertTrue(v.contains("…(24000000 characters)…"), v);
    assertTrue(v.startsWith("{\"units\": 4}"), v);
    assertEquals("a\\nb\\tc\\u0000", Messages.value("a\nb\tc\u0000"));
    String line = Messages.oneLine("x: " + config + "\nsecond line");
    assertTrue(line.length() <= Messages.MAX_MESSAGE_CHARS, "length " + line.length());
    assertFalse(line.contains("\n"), line);
    assertTrue(line.endsWith("\\nsecond line"), line);
    String emoji = "😀".repeat(400);
    String cut = Messages.value(emoji);
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.indexOf('…') - 1)), "no split pair");
  }

  static List<Path> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
