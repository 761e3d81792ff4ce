package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The fast path (data in the graph, several steps per run) trains the same weights, bit for bit, as
 * the plain feed-one-batch-per-run loop, epoch boundaries and leftover steps included.
 */
@CpuNumerics
class GraphFedTrainingTest {

  private record Run(List<float[]> weights, TrainingResult result) {}

  private static Run train(int stepsPerRun) throws Exception {
    return train(stepsPerRun, TrainingListener.NONE);
  }

  private static Run train(int stepsPerRun, TrainingListener listener) throws Exception {
    MnistDataSets mnist =
        MnistDataSets.read(
            new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false).withSeed(9));
    Mlp.Options options =
        Mlp.Options.lesson()
            .withHidden(List.of(32))
            .withLearningRate(0.1)
            .withInitStddev(0.1)
            .withGraphSeed(9L);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      GraphFedTraining fed =
          stepsPerRun > 1
              ? GraphFedTraining.build(net, options, mnist.train(), stepsPerRun, 128)
              : null;
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        // 2 epochs of 54 steps: 54 = 6 runs of 8 steps + one run of the 6 left per epoch
        TrainingResult result =
            Trainer.train(
                s,
                net,
                mnist.train(),
                mnist.validation(),
                TrainOptions.lesson().withEpochs(2),
                listener,
                fed);
        List<float[]> weights = org.dnnlessons.testing.Variables.values(s, net.variables());
        return new Run(weights, result);
      }
    }
  }

  @Test
  void eightStepsPerRunWithDataInTheGraphEqualsThePlainLoopBitForBit() throws Exception {
    Run plain = train(1);
    Run fast = train(8);
    assertEquals(plain.result().steps(), fast.result().steps());
    assertEquals(108, plain.result().runs());
    assertEquals(14, fast.result().runs(), "every step of an epoch runs in the graph");
    for (int i = 0; i < plain.weights().size(); i++) {
      Close.assertBitwiseEqual(plain.weights().get(i), fast.weights().get(i), "variable " + i);
    }
    for (int e = 0; e < 2; e++) {
      assertEquals(
          plain.result().epochs().get(e).meanCost(),
          fast.result().epochs().get(e).meanCost(),
          "mean cost of epoch " + e);
      assertEquals(
          plain.result().epochs().get(e).validationAccuracy(),
          fast.result().epochs().get(e).validationAccuracy());
    }
  }

  @Test
  void aRunOfFewerBatchesThanStepsPerRunRunsOnlyThoseSteps() throws Exception {
    MnistDataSets mnist =
        MnistDataSets.read(
            new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false).withSeed(3));
    Mlp.Options options =
        Mlp.Options.lesson()
            .withHidden(List.of(16))
            .withLearningRate(0.1)
            .withInitStddev(0.1)
            .withGraphSeed(3L);
    int[] threeBatches = mnist.train().nextBatchesIndices(3, 32, true);
    List<float[]> single;
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        for (int k = 0; k < 3; k++) {
          try (var batch =
              mnist
                  .train()
                  .toBatch(java.util.Arrays.copyOfRange(threeBatches, 32 * k, 32 * k + 32))) {
            net.trainStep(s, batch.images(), batch.oneHotLabels());
          }
        }
        single = org.dnnlessons.testing.Variables.values(s, net.variables());
      }
    }
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      GraphFedTraining fed = GraphFedTraining.build(net, options, mnist.train(), 8, 32);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        fed.load(s);
        fed.run(s, threeBatches);
        List<float[]> partial = org.dnnlessons.testing.Variables.values(s, net.variables());
        for (int i = 0; i < single.size(); i++) {
          Close.assertBitwiseEqual(single.get(i), partial.get(i), "variable " + i);
        }
        assertTrue(fed.takeCostSum(s) > 0);
        assertThrows(IllegalArgumentException.class, () -> fed.run(s, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> fed.run(s, new int[33]));
        assertThrows(IllegalArgumentException.class, () -> fed.run(s, new int[9 * 32]));
      }
    }
  }

  @Test
  void theTimeIsTheWholeLoopAndTheWarmUpIsTimedOnItsOwn() throws Exception {
    // progress that takes 10 ms per step (more than a step): the loop a user waits for has it
    TrainingListener slow =
        new TrainingListener() {
          @Override
          public void stepFinished(int stepInEpoch) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    for (int stepsPerRun : new int[] {1, 8}) {
      TrainingResult r = train(stepsPerRun, slow).result();
      assertTrue(r.trainSeconds() >= 108 * 0.010, stepsPerRun + ": " + r.trainSeconds());
      double epochs = r.epochs().stream().mapToDouble(EpochSummary::seconds).sum();
      assertEquals(r.trainSeconds(), epochs, 1e-9);
      assertEquals(stepsPerRun, r.warmupSteps());
      assertTrue(r.warmupSeconds() > 0 && r.warmupSeconds() < r.trainSeconds(), r.toString());
      assertEquals(
          (108 - stepsPerRun) / (r.trainSeconds() - r.warmupSeconds()), r.stepsPerSecond(), 1e-9);
    }
  }
}
