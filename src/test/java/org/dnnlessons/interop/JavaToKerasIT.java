package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * A model trained by Java and written as a {@code .keras} archive ({@code train --export-keras} and
 * {@code export --format keras}) and a {@code .weights.h5} file ({@code export --format
 * weights-h5}) opens in real Keras 3 ({@code keras_load.py}: {@code keras.models.load_model} with
 * no code, and {@code model.load_weights} into the Sequential of src/site/markdown/checkpoints.md,
 * and {@code set_weights} from the checkpoint itself): Keras's outputs equal Java's logits within
 * 1e-5 and its accuracy equals {@code evaluate}'s to 4 decimals.
 */
class JavaToKerasIT {

  /** float32 logits computed by two libraries' kernels: {@code |a-b| <= atol + rtol*|b|}. */
  private static final double TOLERANCE = 1e-5;

  private static final int COUNT = 20;

  @TempDir static Path dir;

  private static Path checkpoint;

  @BeforeAll
  static void javaTrainsAndExports() {
    checkpoint = dir.resolve("run");
    run(
        "train",
        "--hidden",
        "32,16",
        "--epochs",
        "1",
        "--learning-rate",
        "0.1",
        "--init-stddev",
        "0.1",
        "--seed",
        "5",
        "--save",
        checkpoint.resolve("model.ckpt").toString(),
        "--export-keras",
        dir.resolve("trained.keras").toString());
    run(
        "export",
        "--format",
        "keras",
        "--checkpoint",
        checkpoint.toString(),
        "--out",
        dir.resolve("model.keras").toString());
    run(
        "export",
        "--format",
        "weights-h5",
        "--checkpoint",
        checkpoint.toString(),
        "--out",
        dir.resolve("model.weights.h5").toString());
  }

  @Test
  void kerasLoadsBothFilesWithJavasLogitsAndAccuracy() throws Exception {
    float[] java = javaLogits(MlpWeights.read(checkpoint));
    String accuracy = run("evaluate", "--checkpoint", checkpoint.toString()).strip();
    Map<String, String> python =
        PythonTensorFlow.run(
            "keras_load.py",
            "--keras",
            dir.resolve("model.keras").toString(),
            "--keras",
            dir.resolve("trained.keras").toString(),
            "--weights",
            dir.resolve("model.weights.h5").toString(),
            "--checkpoint",
            checkpoint.toString(),
            "--hidden",
            "32,16",
            "--count",
            Integer.toString(COUNT));
    for (String key : new String[] {"keras", "keras_1", "weights_h5", "set_weights"}) {
      assertClose(java, python.get(key), key);
      System.out.printf(
          Locale.ROOT,
          "JAVA->KERAS %s Keras accuracy %s, Java %s%n",
          key,
          python.get(key + "_accuracy"),
          accuracy);
      assertEquals(
          accuracy,
          String.format(
              Locale.ROOT,
              "Test Accuracy: %.4f",
              Double.parseDouble(python.get(key + "_accuracy"))),
          key);
    }
  }

  @Test
  void javaReadsItsExportsBackBitForBit() throws Exception {
    MlpWeights saved = MlpWeights.read(checkpoint);
    for (String file : new String[] {"trained.keras", "model.keras", "model.weights.h5"}) {
      MlpWeights exported = MlpWeights.read(dir.resolve(file));
      assertEquals(saved.tensors().keySet(), exported.tensors().keySet(), file);
      for (String name : saved.tensors().keySet()) {
        assertEquals(
            Arrays.toString(saved.tensors().get(name).info().shape()),
            Arrays.toString(exported.tensors().get(name).info().shape()),
            file + " " + name);
        assertEquals(
            true,
            Arrays.equals(
                saved.tensors().get(name).floats(), exported.tensors().get(name).floats()),
            file + " " + name);
      }
    }
  }

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    assertEquals(0, status, () -> String.join(" ", args) + ": " + err);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static float[] javaLogits(MlpWeights weights) throws Exception {
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    int[] first = new int[COUNT];
    Arrays.setAll(first, i -> i);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withHidden(weights.hidden()));
      try (Session s = net.model().newSession();
          Batch b = test.toBatch(first)) {
        weights.restore(s, net);
        try (Result r = s.runner().feed(net.x(), b.images()).fetch(net.logits()).run()) {
          return Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
  }

  private static void assertClose(float[] java, String python, String what) {
    double[] p = Arrays.stream(python.split(",")).mapToDouble(Double::parseDouble).toArray();
    assertEquals(java.length, p.length, what + ": element count");
    double maxDiff = 0;
    for (int i = 0; i < p.length; i++) {
      double diff = Math.abs(java[i] - p[i]);
      maxDiff = Math.max(maxDiff, diff);
      if (!(diff <= TOLERANCE + TOLERANCE * Math.abs(p[i]))) {
        throw new AssertionError(what + "[" + i + "]: Java " + java[i] + ", Keras " + p[i]);
      }
    }
    System.out.printf(Locale.ROOT, "JAVA->KERAS %s max |logit diff| %s%n", what, maxDiff);
  }
}
