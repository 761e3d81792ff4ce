package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions as TensorFlow Serving keeps them: the newest checkpoint served, newer ones swapped in.
 */
class CheckpointSourceTest {

  @TempDir Path dir;

  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private static float[][] someImages() {
    float[][] images = new float[3][ServedModel.PIXELS];
    for (int i = 0; i < images.length; i++) {
      for (int p = 0; p < ServedModel.PIXELS; p++) {
        images[i][p] = ((p * 7 + i * 13) % 17) / 16f;
      }
    }
    return images;
  }

  @Test
  void versionIsTheGlobalStepOfTheCheckpointsName() {
    assertEquals(540, CheckpointSource.versionOf(Path.of("run/model.ckpt-540")));
    assertEquals(1, CheckpointSource.versionOf(Path.of("run/model.ckpt")));
    assertEquals(1, CheckpointSource.versionOf(Path.of("model.keras")));
  }

  @Test
  void newestCheckpointIsServedAndANewerOneIsSwappedInWithItsOwnAnswers() throws Exception {
    Checkpoints.save(dir, 100, 1);
    Checkpoints.save(dir, 200, 2);
    ServedModel.Loader loader = MlpServedModel::load;
    try (ModelManager manager = new ModelManager(CheckpointSource.loadLatest(dir, loader));
        CheckpointSource source = new CheckpointSource(dir, manager, loader, log::add)) {
      assertEquals(200, manager.version());
      assertFalse(source.poll(), "nothing newer yet");
      float[][] before;
      try (ModelManager.ServableHandle h = manager.acquire()) {
        before = h.model().predict(someImages());
      }
      String prefix = Checkpoints.save(dir, 300, 3);
      assertTrue(source.poll());
      assertEquals(300, manager.version());
      assertEquals(List.of("serve: version 300 from " + prefix + " now serving (was 200)"), log);
      float[][] after;
      try (ModelManager.ServableHandle h = manager.acquire();
          MlpServedModel direct = MlpServedModel.load(Path.of(prefix), 300)) {
        after = h.model().predict(someImages());
        float[][] expected = direct.predict(someImages());
        for (int i = 0; i < after.length; i++) {
          assertArrayEquals(expected[i], after[i], "same session math: exact");
        }
      }
      assertFalse(java.util.Arrays.equals(before[0], after[0]), "another checkpoint's answers");
    }
  }

  @Test
  void damagedNewerCheckpointIsLoggedAndTheOldOneKeepsServing() throws Exception {
    Checkpoints.save(dir, 100, 1);
    ServedModel.Loader loader = MlpServedModel::load;
    try (ModelManager manager = new ModelManager(CheckpointSource.loadLatest(dir, loader));
        CheckpointSource source = new CheckpointSource(dir, manager, loader, log::add)) {
      String bad = Checkpoints.save(dir, 200, 2);
      try (RandomAccessFile f =
          new RandomAccessFile(bad + ".data-00000-of-00001", "rw")) { // flip bytes: CRC fails
        f.seek(100);
        int b = f.read();
        f.seek(100);
        f.write(b ^ 0xff);
      }
      assertFalse(source.poll());
      assertEquals(100, manager.version());
      assertEquals(1, log.size(), log.toString());
      assertTrue(
          log.get(0).startsWith("serve: version 200 at " + bad + " not loaded (")
              && log.get(0).endsWith("); version 100 keeps serving"),
          log.get(0));
      assertFalse(source.poll(), "not tried again");
      assertEquals(1, log.size(), "logged once");
      try (ModelManager.ServableHandle h = manager.acquire()) {
        assertEquals(3, h.model().predict(someImages()).length, "the old one still answers");
      }
      Checkpoints.save(dir, 300, 3);
      assertTrue(source.poll(), "a later good checkpoint is taken");
      assertEquals(300, manager.version());
    }
  }

  @Test
  void backgroundPollingPicksUpACheckpointTrainingWrites() throws Exception {
    Checkpoints.save(dir, 10, 1);
    ServedModel.Loader loader = MlpServedModel::load;
    try (ModelManager manager = new ModelManager(CheckpointSource.loadLatest(dir, loader));
        CheckpointSource source = new CheckpointSource(dir, manager, loader, log::add)) {
      source.start(Duration.ofMillis(20));
      Checkpoints.save(dir, 20, 2);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (manager.version() != 20 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(20, manager.version(), log.toString());
    }
  }

  @Test
  void aDirectoryWithoutStateFileIsNotWatchedAndAPrefixServesVersionOfItsStep() throws Exception {
    String prefix = Checkpoints.save(dir, 7, 1);
    assertTrue(CheckpointSource.isWatchable(dir));
    Files.delete(dir.resolve("checkpoint"));
    assertFalse(CheckpointSource.isWatchable(dir));
    try (ServedModel m = CheckpointSource.loadLatest(Path.of(prefix), MlpServedModel::load)) {
      assertEquals(7, m.version());
    }
  }
}
