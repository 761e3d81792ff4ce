package org.dnnlessons.bench;

import org.dnnlessons.data.Batch;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * Process start to the first training step, Java's side: read the embedded digits, build the
 * lesson's MLP, initialize, run one {@code train_op}, exit. {@link Benchmark} times the whole
 * process, as it times {@code first_step.py}.
 */
public final class FirstStep {

  private FirstStep() {}

  /**
   * Runs one training step and exits.
   *
   * @param args ignored
   * @throws Exception when the embedded digits or the graph cannot be loaded
   */
  public static void main(String[] args) throws Exception {
    var train =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .train();
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withGraphSeed(1L));
      try (Session s = net.model().newSession();
          Batch b = train.nextBatch(128)) {
        s.run(net.init());
        net.trainStep(s, b.images(), b.oneHotLabels());
      }
    }
  }
}
