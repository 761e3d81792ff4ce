package org.dnnlessons.benchdjl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL peer trains the lesson's network: its steps against plain gradient descent written out in
 * doubles, its data as {@code bench_peers.Data} reads it, its protocol's answers and refusals.
 */
class DjlPeerTest {

  private static final Path DATA = Path.of("..", "data", "mnist");
  private static Digits digits;
  private static NDManager manager;
  private static DjlPeer peer;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    digits = Digits.read(DATA);
    manager = NDManager.newBaseManager();
    peer = new DjlPeer(digits, manager);
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void theDigitsAreTheEmbeddedOnesWithTheFirstThousandHeldOut() {
    assertEquals(7000, digits.trainCount());
    assertEquals(1000, digits.validationCount());
    // numpy's uint8 -> float32 * float32(1/255): 255 becomes exactly 1
    float max = 0;
    for (float f : digits.trainImages()) {
      max = Math.max(max, f);
    }
    assertEquals(1.0f, max);
  }

  @Test
  void stepsAreGradientDescentOnTheMeanCrossEntropy() throws IOException {
    int batch = 8;
    int steps = 3;
    Random r = new Random(7);
    float[][] w = new float[Protocol.SIZES.length][];
    for (int i = 0; i < w.length; i++) {
      w[i] = new float[Protocol.SIZES[i]];
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] = (float) r.nextGaussian();
      }
    }
    int[] indices = new int[batch * steps];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = r.nextInt(digits.trainCount());
    }
    float loss = peer.check(batch, w, indices);

    double[][] ref = new double[w.length][];
    for (int i = 0; i < w.length; i++) {
      ref[i] = new double[w[i].length];
      for (int j = 0; j < w[i].length; j++) {
        ref[i][j] = w[i][j];
      }
    }
    for (int s = 0; s < steps; s++) {
      referenceStep(
          ref, digits, java.util.Arrays.copyOfRange(indices, s * batch, s * batch + batch));
    }
    double expected = referenceLoss(ref, digits.validationImages(), digits.validationLabels());
    assertEquals(expected, loss, 1e-5 * expected, "validation loss after " + steps + " steps");
    // the updates themselves: W2's and b1's change from the start, against the reference's
    DjlPeer.Network n = peer.network(batch);
    assertClose(ref[1], w[1], n.w2.toFloatArray(), "W2");
    assertClose(ref[2], w[2], n.b1.toFloatArray(), "b1");
  }

  /** {@code got - start} against {@code want - start}, relative to the largest change. */
  private static void assertClose(double[] want, float[] start, float[] got, String name) {
    double largest = 0;
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      largest = Math.max(largest, Math.abs(want[i] - start[i]));
    }
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs((got[i] - start[i]) - (want[i] - start[i])));
    }
    assertTrue(largest > 0, name + " did not change");
    assertTrue(
        worst <= 1e-3 * largest, name + ": off by " + worst + " of changes up to " + largest);
  }

  /** One step of plain gradient descent at 0.001, in doubles. */
  private static void referenceStep(double[][] p, Digits d, int[] rows) {
    int b = rows.length;
    double[] w1 = p[0];
    double[] w2 = p[1];
    double[] b1 = p[2];
    double[] b2 = p[3];
    double[][] h = new double[b][256];
    double[][] dz = new double[b][10];
    for (int n = 0; n < b; n++) {
      int at = rows[n] * 784;
      for (int j = 0; j < 256; j++) {
        double v = b1[j];
        for (int k = 0; k < 784; k++) {
          v += d.trainImages()[at + k] * w1[k * 256 + j];
        }
        h[n][j] = Math.max(v, 0);
      }
      double[] z = logits(h[n], w2, b2);
      double[] prob = softmax(z);
      for (int c = 0; c < 10; c++) {
        dz[n][c] = (prob[c] - (c == d.trainLabels()[rows[n]] ? 1 : 0)) / b;
      }
    }
    double[] g1 = new double[w1.length];
    double[] g2 = new double[w2.length];
    double[] gb1 = new double[256];
    double[] gb2 = new double[10];
    for (int n = 0; n < b; n++) {
      int at = rows[n] * 784;
      for (int j = 0; j < 256; j++) {
        double dh = 0;
        for (int c = 0; c < 10; c++) {
          g2[j * 10 + c] += h[n][j] * dz[n][c];
          dh += dz[n][c] * w2[j * 10 + c];
        }
        if (h[n][j] <= 0) {
          continue;
        }
        gb1[j] += dh;
        for (int k = 0; k < 784; k++) {
          g1[k * 256 + j] += d.trainImages()[at + k] * dh;
        }
      }
      for (int c = 0; c < 10; c++) {
        gb2[c] += dz[n][c];
      }
    }
    double[][] grads = {g1, g2, gb1, gb2};
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < p[i].length; j++) {
        p[i][j] -= 0.001 * grads[i][j];
      }
    }
  }

  private static double[] logits(double[] h, double[] w2, double[] b2) {
    double[] z = new double[10];
    for (int c = 0; c < 10; c++) {
      z[c] = b2[c];
      for (int j = 0; j < 256; j++) {
        z[c] += h[j] * w2[j * 10 + c];
      }
    }
    return z;
  }

  private static double[] softmax(double[] z) {
    double max = java.util.Arrays.stream(z).max().orElseThrow();
    double sum = 0;
    double[] e = new double[z.length];
    for (int c = 0; c < z.length; c++) {
      e[c] = Math.exp(z[c] - max);
      sum += e[c];
    }
    for (int c = 0; c < z.length; c++) {
      e[c] /= sum;
    }
    return e;
  }

  private static double referenceLoss(double[][] p, float[] x, long[] labels) {
    double total = 0;
    for (int n = 0; n < labels.length; n++) {
      double[] h = new double[256];
      for (int j = 0; j < 256; j++) {
        double v = p[2][j];
        for (int k = 0; k < 784; k++) {
          v += x[n * 784 + k] * p[0][k * 256 + j];
        }
        h[j] = Math.max(v, 0);
      }
      double[] z = logits(h, p[1], p[3]);
      double max = java.util.Arrays.stream(z).max().orElseThrow();
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      total += -(z[(int) labels[n]] - max - Math.log(sum));
    }
    return total / labels.length;
  }

  @Test
  void answersTheProtocolAsBenchPyDoes() throws IOException {
    Path weights = dir.resolve("w.f32");
    ByteBuffer b = ByteBuffer.allocate(4 * (784 * 256 + 256 * 10 + 256 + 10));
    b.order(ByteOrder.LITTLE_ENDIAN);
    Random r = new Random(1);
    while (b.hasRemaining()) {
      b.putFloat((float) r.nextGaussian());
    }
    Files.write(weights, b.array());
    Path indices = dir.resolve("i.i32");
    ByteBuffer ix = ByteBuffer.allocate(4 * 64).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 64; i++) {
      ix.putInt(i * 100);
    }
    Files.write(indices, ix.array());
    String answers =
        serve("describe djl\ntrain djl 32 3\ncheck djl 32 " + weights + " " + indices + "\nquit\n");
    String[] lines = answers.split("\n");
    assertEquals("ready", lines[0]);
    assertTrue(
        lines[1].matches("describe djl DJL 0\\.36\\.0 \\(PyTorch 2\\.7\\.1, \\d+ threads\\)"),
        lines[1]);
    assertTrue(lines[2].matches("time djl 32 \\d+\\.\\d{6}"), lines[2]);
    assertTrue(lines[3].matches("loss djl 32 \\d+\\.\\d+"), lines[3]);
    assertEquals(4, lines.length, answers);
  }

  @Test
  void refusesWhatItCannotReadWithOneLine() throws IOException {
    assertRefused("train djl 0 5", "BATCH '0' in 'train djl 0 5' is not a whole number 1-1048576");
    assertRefused(
        "train djl 32 x", "STEPS 'x' in 'train djl 32 x' is not a whole number 1-1048576");
    assertRefused("train torch_eager 32 5", "peer 'torch_eager' is not served here (only djl)");
    assertRefused("fit djl", "cannot read request 'fit djl' (expected train djl BATCH STEPS");
    Path shortWeights = dir.resolve("short.f32");
    Files.write(shortWeights, new byte[12]);
    assertRefused(
        "check djl 32 " + shortWeights + " " + shortWeights,
        shortWeights + ": 12 bytes, expected 814120 (W1, W2, b1, b2 as float32)");
  }

  @Test
  void refusesIndicesOutsideTheTrainingSplit() throws IOException {
    Path weights = dir.resolve("w.f32");
    Files.write(weights, new byte[814120]);
    Path indices = dir.resolve("i.i32");
    Files.write(
        indices, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(7000).array());
    assertRefused(
        "check djl 1 " + weights + " " + indices,
        indices + ": index 7000 is outside the training split (0-6999)");
  }

  private static void assertRefused(String request, String message) {
    Protocol.BadRequest e = assertThrows(Protocol.BadRequest.class, () -> serve(request + "\n"));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  private static String serve(String requests) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    peer.serve(
        new BufferedReader(new StringReader(requests)),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
