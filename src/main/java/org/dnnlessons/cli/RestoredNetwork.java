package org.dnnlessons.cli;

import java.nio.file.Path;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.RestoredMlp;
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
    RestoredMlp restored =
        RestoredMlp.open(options.withImageSize(data.imageRows(), data.imageColumns()), checkpoint);
    return new RestoredNetwork(restored.graph(), restored.net(), restored.session());
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
