package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import org.dnnlessons.cli.Main;
import org.dnnlessons.format.NumericText.Tolerance;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.testing.PrintedText;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Checkpoints written by Python TensorFlow, restored into Java graphs by the Saver. */
@CpuNumerics
class PythonCheckpointRestoreTest {

  /** An accuracy over the 2,000 embedded test images may move by one image. */
  private static final Tolerance ONE_OF_2000_TEST_IMAGES = new Tolerance(0, 1.0 / 2000 + 1e-9);

  private static float[] floats(byte[] littleEndian) {
    float[] out = new float[littleEndian.length / 4];
    ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private static float[] fetch(Session s, NamedVariable<TFloat32> v) {
    try (Result r = s.runner().fetch(v).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  @Test
  void twoShardSaverCheckpointRestores() throws Exception {
    Map<String, PythonFixtures.Expected> expected = PythonFixtures.expected("sharded");
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<TFloat32> w = g.variable(tf, "weights", tf.constant(new float[3][4]));
      NamedVariable<TFloat32> b = g.variable(tf, "biases", tf.constant(new float[4]));
      Saver saver = Saver.builder(graph).build();
      try (Session s = g.newSession()) {
        saver.restore(
            s, CheckpointState.resolve(PythonFixtures.ROOT.resolve("sharded")).toString());
        Close.assertBitwiseEqual(floats(expected.get("weights").data()), fetch(s, w), "weights");
        Close.assertBitwiseEqual(floats(expected.get("biases").data()), fetch(s, b), "biases");
      }
    }
  }

  @Test
  void tensorFlow2ObjectCheckpointRestoresThroughAKeyMap() throws Exception {
    Map<String, PythonFixtures.Expected> expected = PythonFixtures.expected("tf2");
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<TFloat32> w = g.variable(tf, "w", tf.constant(new float[3][2]));
      NamedVariable<TFloat32> b = g.variable(tf, "b", tf.constant(new float[2]));
      Saver saver =
          Saver.builder(graph)
              .variables(
                  Map.of("w/.ATTRIBUTES/VARIABLE_VALUE", w, "b/.ATTRIBUTES/VARIABLE_VALUE", b))
              .build();
      try (Session s = g.newSession()) {
        saver.restore(s, CheckpointState.resolve(PythonFixtures.ROOT.resolve("tf2")).toString());
        Close.assertBitwiseEqual(
            floats(expected.get("w/.ATTRIBUTES/VARIABLE_VALUE").data()), fetch(s, w), "w");
        Close.assertBitwiseEqual(
            floats(expected.get("b/.ATTRIBUTES/VARIABLE_VALUE").data()), fetch(s, b), "b");
      }
    }
  }

  @Test
  void javaEvaluatePrintsPythonsAccuracyForAPythonTrainedMlp() throws Exception {
    float python =
        Float.parseFloat(Files.readString(PythonFixtures.ROOT.resolve("mlp/accuracy.txt")).strip());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            "evaluate",
            "--hidden",
            "32",
            "--checkpoint",
            PythonFixtures.ROOT.resolve("mlp").toString());
    assertEquals(0, status);
    // accuracy.txt was recorded by Python on one machine. Elsewhere a test image whose two largest
    // logits lie within the CPU's rounding of each other may go the other way, so one image of the
    // 2,000 may differ; PythonToJavaIT compares with Python run on this machine exactly.
    PrintedText.assertClose(
        String.format(Locale.ROOT, "Test Accuracy: %.4f%n", python),
        out.toString(StandardCharsets.UTF_8),
        ONE_OF_2000_TEST_IMAGES);
  }
}
