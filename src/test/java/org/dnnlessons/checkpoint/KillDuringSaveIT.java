package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A process killed (SIGKILL) at a random moment while it saves checkpoints in a loop always leaves
 * the checkpoint its state file names complete and restorable: the data, meta and index files are
 * written under temporary names and renamed (index last), and the state file moves only after.
 * Every checkpoint left in the directory reads whole, the next save deletes the killed writer's
 * temporary files, and its directory lock died with it. Seeded: the kill moments are the same on
 * every run, up to process scheduling. {@link CrashAtEveryStepTest} stops a save at each of its
 * steps.
 */
class KillDuringSaveIT {

  private static final int ROUNDS = 5;

  @TempDir Path dir;

  @Test
  void theCheckpointTheStateFileNamesIsAlwaysComplete() throws Exception {
    Random random = new Random(77);
    int leftovers = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path runDir = Files.createDirectories(dir.resolve("round-" + round));
      Process child =
          new ProcessBuilder(
                  ChildJvm.command(
                      "-cp",
                      System.getProperty("java.class.path"),
                      SaveLoopChild.class.getName(),
                      runDir.toString()))
              .redirectErrorStream(true)
              .redirectOutput(runDir.resolve("child.log").toFile())
              .start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(runDir.resolve("checkpoint"))) {
          assertTrue(
              child.isAlive(), "the child died: " + Files.readString(runDir.resolve("child.log")));
          assertTrue(System.nanoTime() < deadline, "no checkpoint within 60 s");
          Thread.sleep(20);
        }
        Thread.sleep(random.nextInt(1500));
      } finally {
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      Path latest = CheckpointChecks.assertIntact(runDir, null, "round " + round);
      assertNotNull(latest, "round " + round + ": the state file names an existing checkpoint");
      String name = latest.getFileName().toString();
      float step = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
      assertTrue(Files.exists(Path.of(latest + ".meta")), "meta file of " + latest);
      assertEquals(
          step, CheckpointChecks.readValue(latest, "round " + round), "values of " + latest);

      CheckpointReader reader = CheckpointReader.open(runDir); // pure Java, checksums verified
      assertEquals(4, reader.tensors().size());
      assertRestoresInTensorFlow(latest, step);

      // The dead writer's lock is gone with it, and the next save deletes its temporary files.
      leftovers += CheckpointChecks.temporaryFiles(runDir).size();
      try (TinyModel next = new TinyModel(s -> s, false)) {
        next.save(runDir.resolve("next.ckpt"), 1f);
      }
      assertEquals(List.of(), CheckpointChecks.temporaryFiles(runDir), "round " + round);
    }
    System.out.println(ROUNDS + " kills, " + leftovers + " temporary files left by them, cleaned");
  }

  private static void assertRestoresInTensorFlow(Path prefix, float step) throws Exception {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      Ops scope = tf.withSubScope("layer_2");
      NamedVariable<TFloat32> v =
          g.variable(
              scope,
              "weights",
              scope.fill(scope.constant(new int[] {512, 512}), scope.constant(-1.0f)));
      Saver saver = Saver.builder(graph).variables(java.util.Map.of("layer_2/weights", v)).build();
      try (Session s = g.newSession()) {
        saver.restore(s, prefix.toString());
        try (Result r = s.runner().fetch(v).run()) {
          float[] values = Tensors.toArray((TFloat32) r.get(0));
          assertEquals(step, values[0]);
          assertEquals(step, values[values.length - 1]);
        }
      }
    }
  }
}
