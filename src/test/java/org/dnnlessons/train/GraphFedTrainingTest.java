package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        // 2 epochs of 54 steps: 54 = 6 x 8 + 6 leftover single steps per epoch
        TrainingResult result =
            Trainer.train(
                s,
                net,
                mnist.train(),
                mnist.validation(),
                TrainOptions.lesson().withEpochs(2),
                TrainingListener.NONE,
                null,
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
}
