package org.dnnlessons.cli;

import org.dnnlessons.data.DataSet;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The network a saved model describes, built and restored: what {@code evaluate} and {@code
 * predict} both start from. Close it to free the graph and the session.
 *
 * @param graph the graph
 * @param net its named parts
 * @param session a session whose variables hold the file's values
 */
record RestoredNetwork(Graph graph, Mlp.Network net, Session session) implements AutoCloseable {

  /**
   * Builds the network for images shaped like {@code data}'s and restores it.
   *
   * @param options the network ({@link RestoredNetworkOptions#resolve})
   * @param weights its weights, read from any form {@link MlpWeights#read} accepts
   */
  static RestoredNetwork open(Mlp.Options options, DataSet data, MlpWeights weights)
      throws Exception {
    // before TensorFlow is loaded: the weights and one run over the split must fit
    org.dnnlessons.train.InferenceMemory.check(
        String.valueOf(weights.source()), data.imageSize(), options.hidden(), data.numExamples());
    Graph graph = new Graph();
    Session session = null;
    try {
      Mlp.Network net =
          Mlp.build(graph, options.withImageSize(data.imageRows(), data.imageColumns()));
      session = net.model().newSession();
      weights.restore(session, net);
      return new RestoredNetwork(graph, net, session);
    } catch (Exception | Error e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
