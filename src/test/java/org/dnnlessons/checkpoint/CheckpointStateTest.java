package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.nn.ModelGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/** The {@code checkpoint} state file, max_to_keep and latest-checkpoint lookup. */
class CheckpointStateTest {

  @TempDir Path dir;

  @Test
  void readsTheFormatPythonWrites() throws Exception {
    // as written by TensorFlow 2.21's tf.compat.v1.train.Saver, timestamps included
    Files.writeString(
        dir.resolve("checkpoint"),
        """
        model_checkpoint_path: "model.ckpt-20"
        all_model_checkpoint_paths: "model.ckpt-10"
        all_model_checkpoint_paths: "model.ckpt-20"
        all_model_checkpoint_timestamps: 1795900000.1234
        all_model_checkpoint_timestamps: 1795900010.5678
        last_preserved_timestamp: 1795899990.0
        """);
    CheckpointState s = CheckpointState.read(dir);
    assertEquals("model.ckpt-20", s.latest());
    assertEquals(List.of("model.ckpt-10", "model.ckpt-20"), s.all());
    assertNull(CheckpointState.latestCheckpoint(dir), "no .index file: not a usable checkpoint");
    Files.writeString(dir.resolve("model.ckpt-20.index"), "");
    assertEquals(dir.resolve("model.ckpt-20"), CheckpointState.latestCheckpoint(dir));
  }

  @Test
  void malformedStateFileIsNamed() throws Exception {
    Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path model.ckpt\n");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointState.read(dir));
    assertEquals(
        dir.resolve("checkpoint")
            + ": line 1 is 'model_checkpoint_path model.ckpt',"
            + " expected 'field: value'",
        e.getMessage());
  }

  @Test
  void maxToKeepDeletesTheOldestCheckpointsWithTheirFiles() throws Exception {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      g.variable(tf, "v", tf.constant(new float[] {1, 2}));
      Saver saver = Saver.builder(graph).maxToKeep(3).build();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        String prefix = dir.resolve("model.ckpt").toString();
        for (long step = 1; step <= 7; step++) {
          assertEquals(prefix + "-" + step, saver.save(s, prefix, step));
        }
      }
    }
    CheckpointState state = CheckpointState.read(dir);
    assertEquals("model.ckpt-7", state.latest());
    assertEquals(List.of("model.ckpt-5", "model.ckpt-6", "model.ckpt-7"), state.all());
    for (long step = 1; step <= 7; step++) {
      boolean kept = step >= 5;
      assertEquals(
          kept, Files.exists(dir.resolve("model.ckpt-" + step + ".index")), "step " + step);
      assertEquals(kept, Files.exists(dir.resolve("model.ckpt-" + step + ".data-00000-of-00001")));
    }
    try (var files = Files.list(dir)) {
      assertFalse(
          files.anyMatch(p -> p.getFileName().toString().contains(".tmp")),
          "no temporary files left");
    }
    assertEquals(dir.resolve("model.ckpt-7"), CheckpointState.resolve(dir));
  }

  @Test
  void resolveExplainsWhatIsMissing() {
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointState.resolve(dir));
    assertEquals(
        dir + ": no 'checkpoint' state file here; pass a checkpoint prefix instead",
        e.getMessage());
    Path prefix = dir.resolve("nothing.ckpt");
    e = assertThrows(CheckpointException.class, () -> CheckpointState.resolve(prefix));
    assertTrue(
        e.getMessage().contains("expected the file " + prefix + ".index to exist"), e.getMessage());
  }
}
