package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Training is deterministic: the same seeds and batches give bit-identical weights, run after run
 * in one process. A variable's {@code read} shares its memory, so an update that did not wait for
 * every gradient would race with back-propagation still reading the same weights (results drifting
 * between runs, this configuration sometimes diverging to NaN). TensorFlow Java's {@code
 * GradientDescent} optimizer, which {@link Mlp} uses, makes every update wait for all gradients.
 */
@CpuNumerics
class TrainingDeterminismTest {

  private static List<float[]> train(DataSet data) {
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(
              graph,
              Mlp.Options.lesson()
                  .withHidden(List.of(128, 64))
                  .withLearningRate(0.5)
                  .withInitStddev(0.1)
                  .withGraphSeed(2L));
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        for (int step = 0; step < 60; step++) {
          int[] indices = new int[128];
          for (int i = 0; i < indices.length; i++) {
            indices[i] = (step * 128 + i) % data.numExamples();
          }
          try (Batch b = data.toBatch(indices)) {
            net.trainStep(s, b.images(), b.oneHotLabels());
          }
        }
        List<float[]> values = org.dnnlessons.testing.Variables.values(s, net.variables());
        return values;
      }
    }
  }

  @Test
  void sameSeedsAndBatchesGiveBitIdenticalWeightsRunAfterRun() throws Exception {
    DataSet data =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .train();
    List<float[]> first = train(data);
    for (int run = 0; run < 3; run++) {
      List<float[]> again = train(data);
      assertEquals(first.size(), again.size());
      for (int i = 0; i < first.size(); i++) {
        Close.assertBitwiseEqual(first.get(i), again.get(i), "variable " + i + ", run " + run);
      }
    }
    for (float v : first.get(first.size() - 1)) {
      assertTrue(Float.isFinite(v), "training stayed finite");
    }
  }
}
