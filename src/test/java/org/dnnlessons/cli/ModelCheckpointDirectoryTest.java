package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * A directory without a {@code checkpoint} state file, as Keras's {@code
 * ModelCheckpoint("run/epoch_{epoch}.keras")} leaves it, is refused in one line naming its newest
 * file (by modification time, not by name) and saying to pass it, by every command that reads one.
 */
class ModelCheckpointDirectoryTest {

  @TempDir Path dir;

  /** Writes the lesson's MLP (hidden [4]) with {@code write}, then sets its modification time. */
  private interface Writer {
    void write(Graph g, Session s, Mlp.Network net, ModelDescription model) throws Exception;
  }

  private static void saveModel(Writer writer) throws Exception {
    ModelDescription model = ModelDescription.lesson(List.of(4));
    try (Graph g = new Graph()) {
      Mlp.Network net = Mlp.build(g, Mlp.Options.lesson().withModel(model).withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        s.runner().addTarget(net.init()).run().close();
        writer.write(g, s, net, model);
      }
    }
  }

  private static List<String> refusals(Path run, String expected) {
    String d = run.toString();
    List<String> wrong = new ArrayList<>();
    for (String[] args :
        List.of(
            new String[] {"evaluate", "--checkpoint", d},
            new String[] {"predict", "--checkpoint", d, "--index", "0"},
            new String[] {"export", "--checkpoint", d, "--format", "keras", "--out", d + ".keras"},
            new String[] {"train", "--init-from", d, "--epochs", "1"})) {
      CliRun r = CliRun.of(args);
      if (r.status() != Main.EXIT_FAILURE || !r.err().strip().equals("error: " + expected)) {
        wrong.add(args[0] + ": status " + r.status() + ", err [" + r.err().strip() + "]");
      }
    }
    return wrong;
  }

  @Test
  void aDirectoryOfKerasFilesNamesTheNewest() throws Exception {
    Path run = Files.createDirectory(dir.resolve("run"));
    // by name epoch_2 sorts last; by time epoch_10 was written last, as ModelCheckpoint writes
    String[] names = {"epoch_1.keras", "epoch_2.keras", "epoch_10.keras"};
    for (int i = 0; i < names.length; i++) {
      Path file = run.resolve(names[i]);
      saveModel(
          (g, s, net, model) ->
              KerasExport.write(MlpWeights.of(s, net, model), file, KerasExport.Format.KERAS));
      Files.setLastModifiedTime(
          file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i)));
    }
    assertEquals(
        List.of(),
        refusals(
            run,
            run
                + ": no 'checkpoint' state file here; it holds 3 Keras files, the newest"
                + " epoch_10.keras: pass that file ("
                + run.resolve("epoch_10.keras")
                + ")"));
    // the file it names is read
    CliRun named = CliRun.of("evaluate", "--checkpoint", run.resolve("epoch_10.keras").toString());
    assertEquals(0, named.status(), named.err());
  }

  @Test
  void aDirectoryOfCheckpointsWithoutItsStateFileNamesTheNewestPrefix() throws Exception {
    Path run = Files.createDirectory(dir.resolve("ckpts"));
    saveModel(
        (g, s, net, model) -> {
          Saver saver = Saver.builder(g).build();
          for (int step : new int[] {100, 20}) {
            saver.save(s, run.resolve("model.ckpt").toString(), step);
            Files.setLastModifiedTime(
                run.resolve("model.ckpt-" + step + ".index"),
                FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(step)));
          }
        });
    Files.delete(run.resolve("checkpoint"));
    assertEquals(
        List.of(),
        refusals(
            run,
            run
                + ": no 'checkpoint' state file here; it holds 2 checkpoints, the newest"
                + " model.ckpt-100: pass that prefix ("
                + run.resolve("model.ckpt-100")
                + ")"));
  }
}
