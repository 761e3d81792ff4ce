package org.dnnlessons.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.cli.CliRun;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * What the Keras-to-Java tests ({@code KerasToJavaIT}, {@code KerasLayersIT}) share: running a
 * command of the CLI in this JVM, reading the values Python wrote, Java's outputs of a restored
 * network, and comparing the two within a tolerance.
 */
final class KerasCompare {

  private KerasCompare() {}

  /**
   * Runs {@code dnn-lessons ARGS} in this JVM.
   *
   * @return {status, stdout, stderr}
   */
  static String[] cli(String... args) {
    CliRun r = CliRun.of(args);
    return new String[] {String.valueOf(r.status()), r.out(), r.err()};
  }

  /** A file of float rows Python wrote, values separated by white space. */
  static float[][] readMatrix(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    float[][] out = new float[lines.size()][];
    for (int i = 0; i < out.length; i++) {
      String[] v = lines.get(i).trim().split("\\s+");
      out[i] = new float[v.length];
      for (int c = 0; c < v.length; c++) {
        out[i][c] = Float.parseFloat(v[c]);
      }
    }
    return out;
  }

  /**
   * The logits (or probabilities) of the network {@code options} describe, restored from {@code
   * weights}, for the first {@code count} images of {@code test}, row-major {@code [count, 10]}.
   */
  static float[] outputs(
      Mlp.Options options, MlpWeights weights, DataSet test, int count, boolean probabilities)
      throws Exception {
    int[] first = new int[count];
    Arrays.setAll(first, i -> i);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      try (Session s = net.model().newSession();
          Batch b = test.toBatch(first)) {
        weights.restore(s, net);
        try (Result r =
            s.runner()
                .feed(net.x(), b.images())
                .fetch(probabilities ? net.probabilities() : net.logits())
                .run()) {
          return Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
  }

  /**
   * The largest {@code |java - keras|}, after checking every value is within {@code |a-b| <=
   * tolerance + tolerance*|keras|}.
   *
   * @param what the model and form, for the failure's message
   * @param value what the values are ("logit", "output")
   * @param detail more for the failure's message ("" for none)
   * @throws AssertionError naming the first value out of tolerance
   */
  static double maxDiff(
      String what, String value, float[][] keras, float[] java, double tolerance, String detail) {
    double maxDiff = 0;
    for (int i = 0; i < keras.length; i++) {
      for (int c = 0; c < Mlp.NUM_CLASSES; c++) {
        double expected = keras[i][c];
        double actual = java[i * Mlp.NUM_CLASSES + c];
        double diff = Math.abs(actual - expected);
        maxDiff = Math.max(maxDiff, diff);
        if (!(diff <= tolerance + tolerance * Math.abs(expected))) {
          throw new AssertionError(
              what
                  + " "
                  + value
                  + " ["
                  + i
                  + ","
                  + c
                  + "]: Java "
                  + actual
                  + ", Keras "
                  + expected
                  + detail);
        }
      }
    }
    return maxDiff;
  }
}
