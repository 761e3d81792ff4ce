package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.testing.PythonExpected;
import org.dnnlessons.train.Evaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * Checkpoints written by real Python TensorFlow 2.21 during this run ({@code
 * make_checkpoint_fixtures.py}), read and restored by Java.
 */
@CpuNumerics
class PythonToJavaIT {

  @TempDir static Path dir;

  private static Path fixtures;

  @BeforeAll
  static void pythonWritesTheCheckpoints() throws Exception {
    fixtures = dir.resolve("python");
    PythonTensorFlow.run("make_checkpoint_fixtures.py", fixtures.toString(), "data/mnist");
  }

  @Test
  void everyDtypeReadsBitForBitAsPythonReadsIt() throws Exception {
    PythonExpected.assertReaderMatches(
        CheckpointReader.open(fixtures.resolve("dtypes/model.ckpt")),
        fixtures.resolve("dtypes/expected.txt"));
    PythonExpected.assertReaderMatches(
        CheckpointReader.open(fixtures.resolve("sharded")),
        fixtures.resolve("sharded/expected.txt"));
    PythonExpected.assertReaderMatches(
        CheckpointReader.open(fixtures.resolve("tf2")), fixtures.resolve("tf2/expected.txt"));
  }

  @Test
  void javaEvaluatePrintsPythonsAccuracy() throws Exception {
    String python = pythonAccuracy();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            "evaluate",
            "--checkpoint",
            fixtures.resolve("mlp").toString());
    assertEquals(0, status);
    assertEquals("Test Accuracy: " + python + "\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void tensorFlow2CheckpointRestoresIntoTheJavaMlpThroughAKeyMap() throws Exception {
    var test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(32)));
      var v = net.variables(); // hidden_layer/weights, out/weights, hidden_layer/biases, out/biases
      Saver saver =
          Saver.builder(graph)
              .variables(
                  Map.of(
                      "hidden_weights/.ATTRIBUTES/VARIABLE_VALUE", v.get(0),
                      "out_weights/.ATTRIBUTES/VARIABLE_VALUE", v.get(1),
                      "hidden_biases/.ATTRIBUTES/VARIABLE_VALUE", v.get(2),
                      "out_biases/.ATTRIBUTES/VARIABLE_VALUE", v.get(3)))
              .build();
      try (Session session = net.model().newSession()) {
        saver.restore(session, CheckpointState.resolve(fixtures.resolve("tf2_mlp")).toString());
        float accuracy = Evaluator.accuracy(session, net, test);
        assertEquals(pythonAccuracy(), String.format(Locale.ROOT, "%.4f", accuracy));
      }
    }
  }

  private static String pythonAccuracy() throws Exception {
    return String.format(
        Locale.ROOT,
        "%.4f",
        Float.parseFloat(Files.readString(fixtures.resolve("mlp/accuracy.txt")).strip()));
  }

  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
}
