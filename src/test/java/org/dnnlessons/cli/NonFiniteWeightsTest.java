package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.train.SavedModelExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A file whose weights hold NaN or infinite values is refused by {@code evaluate}, {@code predict},
 * {@code export} and {@code train --init-from} before it is used, in one line naming the tensor and
 * counting the values: never a "Test Accuracy" computed from NaN logits.
 */
class NonFiniteWeightsTest {

  @TempDir Path dir;

  /**
   * A lesson MLP (one hidden layer of 4) whose {@code hidden_layer/weights} [784, 4] holds 3 NaN
   * and 1 infinite values, saved by the Saver as {@code train --save} saves, or exported as a Keras
   * {@code .weights.h5}.
   */
  private Path save(String name, boolean keras) throws Exception {
    return save(name, keras, false);
  }

  private Path save(String name, boolean keras, boolean savedModel) throws Exception {
    ModelDescription model = ModelDescription.lesson(List.of(4));
    try (Graph g = new Graph()) {
      Mlp.Network net = Mlp.build(g, Mlp.Options.lesson().withModel(model).withGraphSeed(1L));
      try (Session s = net.model().newSession()) {
        float[] values = new float[784 * 4];
        java.util.Arrays.fill(values, 0.01f);
        values[5] = Float.NaN;
        values[700] = Float.NaN;
        values[3135] = Float.NaN;
        values[42] = Float.NEGATIVE_INFINITY;
        NamedVariable<TFloat32> weights = net.variables().get(0);
        assertEquals("hidden_layer/weights", weights.name());
        try (TFloat32 t =
            TFloat32.tensorOf(Shape.of(784, 4), DataBuffers.of(values, true, false))) {
          s.runner()
              .feed(((GraphOperation) weights.initializer().op()).input(1), t)
              .addTarget(net.init())
              .run()
              .close();
        }
        if (savedModel) {
          Path out = dir.resolve(name);
          SavedModelExport.export(s, net, Saver.builder(g).build(), out);
          return out;
        }
        if (keras) {
          Path out = dir.resolve(name);
          KerasExport.write(MlpWeights.of(s, net, model), out, KerasExport.Format.WEIGHTS_H5);
          return out;
        }
        return Path.of(Saver.builder(g).build().save(s, dir.resolve(name).toString()));
      }
    }
  }

  private static List<String> refusals(Path file, String expected) {
    List<String> wrong = new ArrayList<>();
    String f = file.toString();
    List<String[]> commands =
        List.of(
            new String[] {"evaluate", "--checkpoint", f},
            new String[] {"predict", "--checkpoint", f, "--index", "0"},
            new String[] {
              "export", "--checkpoint", f, "--format", "keras", "--out", f + ".out.keras"
            },
            new String[] {"train", "--init-from", f, "--epochs", "1", "--batch-size", "100"},
            // --init-map reads the checkpoint's own keys, not through MlpWeights
            new String[] {
              "train",
              "--init-from",
              f,
              "--init-map",
              "hidden_layer/=hidden_layer/,out/=out/",
              "--hidden",
              "4",
              "--epochs",
              "1"
            });
    for (String[] args : commands) {
      CliRun r = CliRun.of(args);
      String err = r.err().strip();
      List<String> lines = err.lines().toList();
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      if (r.status() != Main.EXIT_FAILURE
          || !last.equals("error: " + expected)
          || r.out().contains("Test Accuracy")
          || r.out().contains("Epoch")) {
        wrong.add(
            args[0] + ": status " + r.status() + ", err [" + err + "], out [" + r.out() + "]");
      }
      if (Files.exists(Path.of(f + ".out.keras"))) {
        wrong.add(args[0] + " wrote " + f + ".out.keras");
      }
    }
    return wrong;
  }

  @Test
  void aLessonCheckpointHoldingNanIsNamedByEveryCommand() throws Exception {
    Path prefix = save("model.ckpt", false);
    assertEquals(
        List.of(),
        refusals(
            prefix,
            prefix
                + ": 'hidden_layer/weights' holds 3 NaN and 1 infinite values of 3136;"
                + " refused"));
  }

  @Test
  void aKerasWeightsFileHoldingNanIsNamedByItsOwnVariablePath() throws Exception {
    Path h5 = save("model.weights.h5", true);
    // the file's own name for the kernel, the HDF5 dataset h5py lists
    assertEquals(
        List.of(),
        refusals(
            h5, h5 + ": 'layers/dense/vars/0' holds 3 NaN and 1 infinite values of 3136; refused"));
  }

  @Test
  void aSavedModelHoldingNanIsRefusedBeforeItsSignatureRuns() throws Exception {
    // evaluate and predict run a SavedModel's own signature; export and --init-from read its
    // variables as layers: all four refuse, naming the variable in variables/variables
    Path model = save("model", false, true);
    assertEquals(
        List.of(),
        refusals(
            model,
            model.resolve("variables").resolve("variables")
                + ": 'hidden_layer/weights' holds 3 NaN and 1 infinite values of 3136; refused"));
  }
}
