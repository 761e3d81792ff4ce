package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * {@code train --export DIR} writes a SavedModel that Python's {@code tf.saved_model.load} runs:
 * its logits and probabilities equal Java's predictions within 1e-6.
 */
@CpuNumerics
class SavedModelIT {

  private static final double TOLERANCE = 1e-6;
  private static final int COUNT = 20;

  @TempDir Path dir;

  @Test
  void pythonServesTheExportedModelWithJavasOutputs() throws Exception {
    Path model = dir.resolve("model");
    int status =
        Main.execute(
            new PrintStream(OutputStream.nullOutputStream()),
            System.err,
            "train",
            "--hidden",
            "32",
            "--epochs",
            "1",
            "--learning-rate",
            "0.1",
            "--init-stddev",
            "0.1",
            "--seed",
            "5",
            "--save",
            dir.resolve("ckpt/model.ckpt").toString(),
            "--export",
            model.toString());
    assertEquals(0, status);

    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    float[] logits;
    float[] probabilities;
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(32)));
      Saver saver = Saver.builder(graph).build();
      try (Session s = net.model().newSession()) {
        saver.restore(s, CheckpointState.resolve(dir.resolve("ckpt")).toString());
        int[] first = new int[COUNT];
        Arrays.setAll(first, i -> i);
        try (Batch b = test.toBatch(first);
            Result r =
                s.runner()
                    .feed(net.x(), b.images())
                    .fetch(net.logits())
                    .fetch(net.probabilities())
                    .run()) {
          logits = Tensors.toArray((TFloat32) r.get(0));
          probabilities = Tensors.toArray((TFloat32) r.get(1));
        }
      }
    }

    Map<String, String> python =
        PythonTensorFlow.run(
            "interop_savedmodel.py", model.toString(), "--count", Integer.toString(COUNT));
    assertClose(logits, python.get("logits"), "logits");
    assertClose(probabilities, python.get("probabilities"), "probabilities");
  }

  private static void assertClose(float[] java, String python, String what) {
    double[] p = Arrays.stream(python.split(",")).mapToDouble(Double::parseDouble).toArray();
    assertEquals(java.length, p.length, what + ": element count");
    for (int i = 0; i < p.length; i++) {
      double diff = Math.abs(java[i] - p[i]);
      if (!(diff <= TOLERANCE + TOLERANCE * Math.abs(p[i]))) {
        throw new AssertionError(what + "[" + i + "]: Java " + java[i] + ", Python " + p[i]);
      }
    }
  }
}
