package org.dnnlessons.train;

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
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The whole-epoch lever trains what the lesson's exact graph trains (weights within {@link
 * WhileLoopTraining#WEIGHT_TOLERANCE} after 100 steps, the same summed cost within 1e-5), and XLA
 * really takes the loop: TensorFlow's executors run neither the {@code While} nor a matmul.
 */
class WhileLoopTrainingTest {

  private static MnistDataSets data() throws Exception {
    return MnistDataSets.read(
        new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false).withSeed(5));
  }

  private record Run(List<float[]> weights, double costSum) {}

  /** 100 steps at batch 32 on the same batches, {@code perRun} steps per run. */
  private static Run train(boolean whileLoop, int perRun) throws Exception {
    return train(whileLoop, perRun, Mlp.Options.lesson().withGraphSeed(5L));
  }

  private static Run train(boolean whileLoop, int perRun, Mlp.Options options) throws Exception {
    MnistDataSets mnist = data();
    int[] indices = mnist.train().nextBatchesIndices(100, 32, true);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      InGraphTraining loop =
          whileLoop
              ? WhileLoopTraining.build(net, options, mnist.train(), perRun, 32)
              : GraphFedTraining.build(net, options, mnist.train(), perRun, 32);
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        loop.load(s);
        int run = perRun * 32;
        for (int at = 0; at < indices.length; at += run) {
          loop.run(
              s, java.util.Arrays.copyOfRange(indices, at, Math.min(indices.length, at + run)));
        }
        double cost = loop.takeCostSum(s);
        return new Run(Variables.values(s, net.variables()), cost);
      } finally {
        if (loop instanceof AutoCloseable c) {
          c.close();
        }
      }
    }
  }

  @Test
  void weightsAfter100StepsStayWithinTheToleranceOfTheExactGraph() throws Exception {
    // 100 steps as runs of 30, 30, 30 and 10: a partial last run too
    assertWithinTolerance(train(false, 8), train(true, 30));
  }

  @Test
  void deeperNetworksTrainTheSameMathToo() throws Exception {
    Mlp.Options deeper = Mlp.Options.lesson().withHidden(List.of(64, 32)).withGraphSeed(7L);
    assertWithinTolerance(train(false, 8, deeper), train(true, 64, deeper));
  }

  private static void assertWithinTolerance(Run exact, Run looped) {
    for (int i = 0; i < exact.weights().size(); i++) {
      float[] a = exact.weights().get(i);
      float[] b = looped.weights().get(i);
      double scale = 0;
      double diff = 0;
      for (int j = 0; j < a.length; j++) {
        scale = Math.max(scale, Math.abs(a[j]));
        diff = Math.max(diff, Math.abs(a[j] - b[j]));
      }
      assertTrue(
          diff / scale <= WhileLoopTraining.WEIGHT_TOLERANCE,
          "variable " + i + ": relative difference " + diff / scale + " after 100 steps");
    }
    assertEquals(exact.costSum(), looped.costSum(), 1e-5 * exact.costSum());
  }

  @Test
  void xlaTakesTheWholeLoopOnlyWhenMarked() throws Exception {
    MnistDataSets mnist = data();
    Mlp.Options options = Mlp.Options.lesson().withHidden(List.of(16)).withGraphSeed(5L);
    for (boolean jit : new boolean[] {true, false}) {
      try (Graph graph = new Graph()) {
        Mlp.Network net = Mlp.build(graph, options);
        try (WhileLoopTraining loop =
                WhileLoopTraining.build(net, options, mnist.train(), 4, 32, jit);
            Session s = net.model().newSession()) {
          s.run(net.init());
          loop.load(s);
          Map<String, Integer> ops =
              loop.executedOps(mnist.train().nextBatchesIndices(4, 32, true));
          boolean loopOrMatmul =
              ops.keySet().stream()
                  .anyMatch(
                      op -> op.contains("While") || op.equals("Enter") || op.contains("MatMul"));
          if (jit) {
            assertFalse(loopOrMatmul, ops.toString());
          } else {
            assertTrue(loopOrMatmul, ops.toString());
          }
        }
      }
    }
  }

  @Test
  void refusesDropoutAndSizesBelowOne() throws Exception {
    MnistDataSets mnist = data();
    Mlp.Options dropout = Mlp.Options.lesson().withDropout(true);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, dropout);
      assertThrows(
          IllegalArgumentException.class,
          () -> WhileLoopTraining.build(net, dropout, mnist.train(), 4, 32));
    }
    Mlp.Options plain = Mlp.Options.lesson();
    for (int[] sizes : new int[][] {{0, 32}, {4, 0}}) {
      try (Graph graph = new Graph()) {
        Mlp.Network net = Mlp.build(graph, plain);
        assertThrows(
            IllegalArgumentException.class,
            () -> WhileLoopTraining.build(net, plain, mnist.train(), sizes[0], sizes[1]));
      }
    }
  }
}
