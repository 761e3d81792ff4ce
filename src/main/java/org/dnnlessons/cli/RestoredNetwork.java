package org.dnnlessons.cli;

import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The multilayer perceptron rebuilt with {@code --hidden} and restored from {@code --checkpoint}:
 * what {@code evaluate} and {@code predict} both start from. Close it to free the graph and the
 * session.
 *
 * @param graph the graph
 * @param net its named parts
 * @param session a session whose variables hold the checkpoint's values
 */
record RestoredNetwork(Graph graph, Mlp.Network net, Session session) implements AutoCloseable {

  /**
   * Builds the network for images shaped like {@code data}'s and restores it.
   *
   * @param checkpoint a prefix, or a directory (its latest checkpoint), or any form of a Keras
   *     model {@link MlpWeights#read} accepts
   */
  static RestoredNetwork open(Mlp.Options options, DataSet data, Path checkpoint) throws Exception {
    // Keras's forms (TF2 object checkpoints, SavedModels, .weights.h5, .keras) map onto the names
    MlpWeights keras = MlpWeights.isKerasForm(checkpoint) ? MlpWeights.read(checkpoint) : null;
    Path prefix = keras != null ? null : CheckpointState.resolve(checkpoint);
    // before TensorFlow is loaded: the weights and one run over the split must fit
    org.dnnlessons.train.InferenceMemory.check(
        String.valueOf(checkpoint), data.imageSize(), options.hidden(), data.numExamples());
    Graph graph = new Graph();
    Session session = null;
    try {
      Mlp.Network net =
          Mlp.build(graph, options.withImageSize(data.imageRows(), data.imageColumns()));
      session = net.model().newSession();
      if (keras != null) {
        keras.restore(session, net);
      } else {
        Saver.builder(graph).build().restore(session, prefix.toString());
      }
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
