package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Unrolled steps leave the weights bit-identical to as many single steps on the same batches. */
@CpuNumerics
class UnrolledTrainingTest {

  private static final int K = 4;
  private static final int BATCH = 64;

  private static List<float[]> train(DataSet data, List<int[]> batches, boolean unrolled)
      throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.Options options =
          Mlp.Options.lesson()
              .withHidden(List.of(32, 16))
              .withLearningRate(0.1)
              .withInitStddev(0.1)
              .withGraphSeed(3L);
      Mlp.Network net = Mlp.build(graph, options);
      UnrolledTraining u = UnrolledTraining.build(net, options, K, BATCH);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        if (unrolled) {
          for (int i = 0; i < batches.size(); i += K) {
            int[] all = new int[K * BATCH];
            for (int k = 0; k < K; k++) {
              System.arraycopy(batches.get(i + k), 0, all, k * BATCH, BATCH);
            }
            try (Batch b = data.toBatch(all)) {
              u.trainSteps(s, b.images(), b.oneHotLabels());
            }
          }
        } else {
          for (int[] indices : batches) {
            try (Batch b = data.toBatch(indices)) {
              net.trainStep(s, b.images(), b.oneHotLabels());
            }
          }
        }
        List<float[]> values = org.dnnlessons.testing.Variables.values(s, net.variables());
        return values;
      }
    }
  }

  @Test
  void unrolledStepsEqualSingleStepsBitForBit() throws Exception {
    DataSet data =
        MnistDataSets.read(
                new EmbeddedMnist(),
                MnistDataSets.Options.defaults().withReshape(false).withSeed(4))
            .train();
    List<int[]> batches = new ArrayList<>();
    for (int i = 0; i < 4 * K; i++) {
      batches.add(data.nextBatchIndices(BATCH, true));
    }
    List<float[]> single = train(data, batches, false);
    List<float[]> unrolled = train(data, batches, true);
    assertEquals(single.size(), unrolled.size());
    for (int i = 0; i < single.size(); i++) {
      Close.assertBitwiseEqual(single.get(i), unrolled.get(i), "variable " + i);
    }
  }

  @Test
  void dropoutNetworksAreNotUnrolled() {
    try (Graph graph = new Graph()) {
      Mlp.Options options = Mlp.Options.lesson().withDropout(true);
      Mlp.Network net = Mlp.build(graph, options);
      assertThrows(
          IllegalArgumentException.class, () -> UnrolledTraining.build(net, options, 4, 128));
    }
  }
}
