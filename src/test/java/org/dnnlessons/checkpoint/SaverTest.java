package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.testing.Close;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Save/restore round trips and every restore error, with the session state after a failure. */
class SaverTest {

  @TempDir Path dir;

  /** Saves float variables with the given names and values; returns the prefix. */
  private String saveFloats(String file, Map<String, float[]> variables)
      throws CheckpointException {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      // one Ops per name scope: a second withSubScope("layer") would make "layer_1"
      Map<String, Ops> scopes = new java.util.HashMap<>();
      variables.forEach(
          (name, values) -> {
            int slash = name.lastIndexOf('/');
            Ops scope =
                slash < 0 ? tf : scopes.computeIfAbsent(name.substring(0, slash), tf::withSubScope);
            g.variable(scope, name.substring(slash + 1), scope.constant(values));
          });
      Saver saver = Saver.builder(graph).build();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        return saver.save(s, dir.resolve(file).toString());
      }
    }
  }

  private static float[] fetch(Session s, NamedVariable<TFloat32> v) {
    try (Result r = s.runner().fetch(v).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  @Test
  void roundTripIntoAFreshGraphIsBitExact() throws CheckpointException {
    float[] w = {0.1f, -2.5f, 3.0e-7f, Float.MIN_VALUE, -0.0f, 1e30f};
    float[] b = {42f};
    String prefix = saveFloats("sub/dir/model.ckpt", Map.of("layer/w", w, "layer/b", b));
    assertTrue(Files.isRegularFile(Path.of(prefix + ".index")), "parent directories are created");
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops layer = g.tf().withSubScope("layer");
      NamedVariable<TFloat32> b2 = g.variable(layer, "b", layer.constant(new float[1]));
      NamedVariable<TFloat32> w2 = g.variable(layer, "w", layer.constant(new float[6]));
      Saver saver = Saver.builder(graph).build();
      assertEquals(List.of("layer/b", "layer/w"), saver.keys());
      try (Session s = g.newSession()) {
        saver.restore(s, prefix);
        Close.assertBitwiseEqual(w, fetch(s, w2), "w");
        Close.assertBitwiseEqual(b, fetch(s, b2), "b");
      }
    }
  }

  @Test
  void aSecondSaverOnTheSameGraphGetsItsOwnScopeAndWorks() throws CheckpointException {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      NamedVariable<TFloat32> w = g.variable(g.tf(), "w", g.tf().constant(new float[] {1f, 2f}));
      Saver first = Saver.builder(graph).build();
      Saver second = Saver.builder(graph).build();
      // Python names a graph's second Saver's ops save_1/...
      assertEquals("save/restore_all", first.saverDef().getRestoreOpName());
      assertEquals("save_1/restore_all", second.saverDef().getRestoreOpName());
      assertTrue(
          graph.operation("save_1/SaveV2") != null && graph.operation("save/SaveV2") != null);
      String prefix = dir.resolve("twice.ckpt").toString();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        second.save(s, prefix);
      }
      try (Session s = g.newSession()) {
        first.restore(s, prefix);
        Close.assertBitwiseEqual(new float[] {1f, 2f}, fetch(s, w), "w");
      }
    }
  }

  @Test
  void failedRestoreLeavesEveryVariableUnchanged() throws CheckpointException {
    String prefix =
        saveFloats("model.ckpt", Map.of("a", new float[] {1, 2}, "z", new float[] {1, 2, 3, 4}));
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      // "a" fits and sorts first; "z" has the wrong shape.
      NamedVariable<TFloat32> a = g.variable(tf, "a", tf.constant(new float[] {-1, -1}));
      g.variable(tf, "z", tf.constant(new float[] {-1, -1, -1}));
      Saver saver = Saver.builder(graph).build();
      try (Session s = g.newSession()) {
        s.run(g.globalVariablesInitializer());
        CheckpointException e =
            assertThrows(CheckpointException.class, () -> saver.restore(s, prefix));
        assertEquals(
            prefix
                + ": shape mismatch for variable 'z': the checkpoint holds shape [4],"
                + " the graph's variable has shape [3]",
            e.getMessage());
        assertEquals(Path.of(prefix), e.file());
        Close.assertBitwiseEqual(new float[] {-1, -1}, fetch(s, a), "a after the failed restore");
      }
    }
  }

  @Test
  void missingKeyIsNamed() throws CheckpointException {
    String prefix = saveFloats("model.ckpt", Map.of("weights", new float[] {1}));
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      g.variable(tf, "biases", tf.constant(new float[] {0}));
      Saver saver = Saver.builder(graph).build();
      try (Session s = g.newSession()) {
        CheckpointException e =
            assertThrows(CheckpointException.class, () -> saver.restore(s, prefix));
        assertEquals(
            prefix
                + ": no tensor named 'biases' in the checkpoint; closest names in the"
                + " checkpoint: weights (variables are matched by name)",
            e.getMessage());
      }
    }
  }

  @Test
  void dtypeMismatchIsNamed() throws CheckpointException {
    String prefix = saveFloats("model.ckpt", Map.of("v", new float[] {1, 2}));
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      g.variable(tf, "v", tf.constant(new double[] {0, 0}));
      Saver saver = Saver.builder(graph).build();
      try (Session s = g.newSession()) {
        CheckpointException e =
            assertThrows(CheckpointException.class, () -> saver.restore(s, prefix));
        assertEquals(
            prefix
                + ": dtype mismatch for variable 'v': the checkpoint holds float32,"
                + " the graph's variable is float64",
            e.getMessage());
      }
    }
  }

  @Test
  void explicitKeyMapLoadsIntoRenamedVariables() throws CheckpointException {
    String prefix = saveFloats("model.ckpt", Map.of("old_name", new float[] {7, 8, 9}));
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<TFloat32> renamed = g.variable(tf, "new_name", tf.constant(new float[3]));
      Saver saver = Saver.builder(graph).variables(Map.of("old_name", renamed)).build();
      try (Session s = g.newSession()) {
        saver.restore(s, prefix);
        Close.assertBitwiseEqual(new float[] {7, 8, 9}, fetch(s, renamed), "new_name");
      }
    }
  }

  @Test
  void keyMapRejectsSomethingThatIsNotAVariable() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var constant = tf.withName("c").constant(1.0f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Saver.builder(graph).variables(Map.of("c", constant)));
      assertEquals("Saver covers VariableV2 ops, found 'c' of type Const", e.getMessage());
    }
  }

  @Test
  void noVariablesToSaveIsPythonsMessage() {
    try (Graph graph = new Graph()) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> Saver.builder(graph).build());
      assertTrue(e.getMessage().startsWith("No variables to save"), e.getMessage());
      IllegalArgumentException empty =
          assertThrows(
              IllegalArgumentException.class,
              () -> Saver.builder(graph).variables(Map.of()).build());
      assertTrue(empty.getMessage().startsWith("No variables to save"), empty.getMessage());
    }
  }

  @Test
  void maxToKeepZeroOrNullKeepsEveryCheckpointAsInPython() throws Exception {
    for (Integer keep : new Integer[] {0, null}) {
      Path run = dir.resolve("keep-" + keep);
      try (TinyModel model = new TinyModel(s -> s.maxToKeep(keep), false)) {
        for (int step = 1; step <= 7; step++) {
          model.save(run.resolve("model.ckpt"), step, step);
        }
      }
      CheckpointState state = CheckpointState.read(run);
      assertEquals("model.ckpt-7", state.latest());
      assertEquals(7, state.all().size(), "maxToKeep(" + keep + ") lists all: " + state.all());
      for (int step = 1; step <= 7; step++) {
        assertEquals(
            (float) step, CheckpointChecks.readValue(run.resolve("model.ckpt-" + step), "kept"));
      }
    }
    try (Graph graph = new Graph()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Saver.builder(graph).maxToKeep(-1));
      assertEquals("maxToKeep must be 0 (keep every checkpoint) or more, found -1", e.getMessage());
    }
  }

  @Test
  void everyFileWrittenHasTheUmasksMode() throws Exception {
    Path reference = Files.createFile(dir.resolve("reference"));
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
    // every file must have the mode a plain new file gets under this umask; under 022 (CI's,
    // 0644 as in Python) that also catches the old 0600 state file
    try (TinyModel model = new TinyModel(s -> s, false)) {
      model.save(dir.resolve("model.ckpt"), 1f, 1);
      model.save(dir.resolve("model.ckpt"), 2f, 2); // the state file replaced
    }
    for (String file :
        List.of(
            "checkpoint",
            "model.ckpt-2.index",
            "model.ckpt-2.data-00000-of-00001",
            "model.ckpt-2.meta",
            ".checkpoint.lock")) {
      assertEquals(
          PosixFilePermissions.toString(expected),
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))),
          file + " has the mode of any new file (0666 less the umask)");
    }
  }
}
