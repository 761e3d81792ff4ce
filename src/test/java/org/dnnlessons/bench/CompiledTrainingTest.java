package org.dnnlessons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.Variables;
import org.dnnlessons.train.GraphFedTraining;
import org.dnnlessons.train.InGraphTraining;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.Trainer;
import org.dnnlessons.train.TrainingListener;
import org.dnnlessons.train.TrainingResult;
import org.dnnlessons.train.WhileLoopTraining;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The compiled loop trains what the lesson's exact graph trains: after 100 steps at the lesson's
 * settings the weights are within {@link WhileLoopTraining#WEIGHT_TOLERANCE} of the exact loop's,
 * the accuracy the same within noise, and XLA really compiled the steps.
 */
class CompiledTrainingTest {

  private record Run(List<float[]> weights, TrainingResult result) {}

  private static MnistDataSets data() throws Exception {
    return MnistDataSets.read(
        new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false).withSeed(5));
  }

  /** The lesson's network and settings (stddev 1, learning rate 0.001), graph seed 5. */
  private static Run train(boolean compiled, int epochs, int batch) throws Exception {
    MnistDataSets mnist = data();
    Mlp.Options options = Mlp.Options.lesson().withGraphSeed(5L);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      InGraphTraining fed =
          compiled
              ? CompiledTraining.build(net, options, mnist.train(), 8, batch)
              : GraphFedTraining.build(net, options, mnist.train(), 8, batch);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        TrainingResult result =
            Trainer.train(
                s,
                net,
                mnist.train(),
                mnist.validation(),
                TrainOptions.lesson().withEpochs(epochs).withBatchSize(batch),
                TrainingListener.NONE,
                fed);
        return new Run(Variables.values(s, net.variables()), result);
      } finally {
        if (fed instanceof CompiledTraining c) {
          c.close();
        }
      }
    }
  }

  /** The largest element difference over the largest magnitude of the exact variable. */
  private static double relativeDifference(float[] exact, float[] other) {
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < exact.length; i++) {
      scale = Math.max(scale, Math.abs(exact[i]));
      diff = Math.max(diff, Math.abs(exact[i] - other[i]));
    }
    return diff / scale;
  }

  @Test
  void weightsAfter100StepsStayWithinTheToleranceOfTheExactGraph() throws Exception {
    // 7,000 training digits at batch 70: one epoch of 100 steps, 12 runs of 8 and one of 4
    Run exact = train(false, 1, 70);
    Run compiled = train(true, 1, 70);
    assertEquals(100, compiled.result().steps());
    assertEquals(13, compiled.result().runs());
    for (int i = 0; i < exact.weights().size(); i++) {
      double d = relativeDifference(exact.weights().get(i), compiled.weights().get(i));
      assertTrue(
          d <= WhileLoopTraining.WEIGHT_TOLERANCE,
          "variable " + i + ": relative difference " + d + " after 100 steps");
    }
    assertEquals(
        exact.result().epochs().get(0).meanCost(),
        compiled.result().epochs().get(0).meanCost(),
        1e-5 * exact.result().epochs().get(0).meanCost());
  }

  @Test
  void accuracyAfterThreeEpochsIsTheExactGraphsWithinNoise() throws Exception {
    Run exact = train(false, 3, 128);
    Run compiled = train(true, 3, 128);
    for (int e = 0; e < 3; e++) {
      double a = exact.result().epochs().get(e).validationAccuracy();
      double b = compiled.result().epochs().get(e).validationAccuracy();
      // 1,000 validation digits: one digit either way is the noise of a float's last bit
      assertEquals(a, b, 0.0015, "validation accuracy of epoch " + e);
    }
  }

  @Test
  void xlaCompilesEachRunIntoOneClusterAndOnlyWhenAsked() throws Exception {
    MnistDataSets mnist = data();
    Mlp.Options options = Mlp.Options.lesson().withHidden(List.of(16)).withGraphSeed(5L);
    for (boolean jit : new boolean[] {true, false}) {
      try (Graph graph = new Graph()) {
        Mlp.Network net = Mlp.build(graph, options);
        try (CompiledTraining fast =
                CompiledTraining.build(
                    net,
                    options,
                    mnist.train(),
                    4,
                    32,
                    new CompiledTraining.Settings(jit, true, false, false));
            Session s = net.model().newSession()) {
          s.run(net.init());
          fast.load(s);
          Map<String, Integer> ops =
              fast.partitionGraphOps(mnist.train().nextBatchesIndices(4, 32, true));
          if (jit) {
            assertEquals(1, ops.getOrDefault("_XlaCompile", 0), ops.toString());
            assertEquals(1, ops.getOrDefault("_XlaRun", 0), ops.toString());
            assertFalse(ops.containsKey("MatMul") || ops.containsKey("_MklMatMul"), ops.toString());
          } else {
            assertFalse(ops.containsKey("_XlaCompile"), ops.toString());
          }
        }
      }
    }
  }

  @Test
  void theTrainedWeightsReachTheNetworksVariablesAtTheEndOfEachEpoch() throws Exception {
    MnistDataSets mnist = data();
    Mlp.Options options = Mlp.Options.lesson().withHidden(List.of(16)).withGraphSeed(5L);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      try (CompiledTraining fast = CompiledTraining.build(net, options, mnist.train(), 8, 32);
          Session s = net.model().newSession()) {
        s.run(net.init());
        List<float[]> before = Variables.values(s, net.variables());
        fast.load(s);
        fast.run(s, mnist.train().nextBatchesIndices(3, 32, true));
        // not yet copied back
        assertEquals(before.get(0)[0], Variables.values(s, net.variables()).get(0)[0]);
        assertTrue(fast.takeCostSum(s) > 0);
        List<float[]> after = Variables.values(s, net.variables());
        assertTrue(relativeDifference(before.get(0), after.get(0)) > 0, "weights moved");
        assertThrows(IllegalArgumentException.class, () -> fast.run(s, new int[31]));
        assertThrows(IllegalArgumentException.class, () -> fast.run(s, new int[9 * 32]));
      }
    }
  }

  @Test
  void refusesDropout() throws Exception {
    MnistDataSets mnist = data();
    Mlp.Options options = Mlp.Options.lesson().withDropout(true);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      assertThrows(
          IllegalArgumentException.class,
          () -> CompiledTraining.build(net, options, mnist.train(), 8, 32));
    }
  }
}
