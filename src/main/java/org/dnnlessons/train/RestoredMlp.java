package org.dnnlessons.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The multilayer perceptron rebuilt and restored from a checkpoint: what {@code evaluate}, {@code
 * predict} and {@code serve} start from. Close it to free the graph and the session.
 *
 * <p>Python counterpart: rebuilding the lesson's graph and {@code tf.train.Saver().restore(sess,
 * prefix)}; for Keras's forms, {@code model.load_weights(path)}.
 *
 * @param graph the graph
 * @param net its named parts
 * @param session a session whose variables hold the checkpoint's values
 */
public record RestoredMlp(Graph graph, Mlp.Network net, Session session) implements AutoCloseable {

  /**
   * Builds the network described by {@code options} and restores it from {@code checkpoint}.
   *
   * @param checkpoint a prefix, or a directory (its latest checkpoint), or any form of a Keras
   *     model {@link MlpWeights#read} accepts
   * @throws CheckpointException when the files are missing, damaged or hold another network
   */
  public static RestoredMlp open(Mlp.Options options, Path checkpoint) throws Exception {
    // Keras's forms (TF2 object checkpoints, SavedModels, .weights.h5, .keras) map onto the names
    MlpWeights keras = MlpWeights.isKerasForm(checkpoint) ? MlpWeights.read(checkpoint) : null;
    Path prefix = keras != null ? null : CheckpointState.resolve(checkpoint);
    Graph graph = new Graph();
    Session session = null;
    try {
      Mlp.Network net = Mlp.build(graph, options);
      session = net.model().newSession();
      if (keras != null) {
        keras.restore(session, net);
      } else {
        Saver.builder(graph).build().restore(session, prefix.toString());
      }
      return new RestoredMlp(graph, net, session);
    } catch (Exception | Error e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e;
    }
  }

  /**
   * The lesson's 28×28 network with the hidden layer widths read from {@code checkpoint}, restored.
   *
   * @see #widthsIn(Path)
   */
  public static RestoredMlp open(Path checkpoint) throws Exception {
    return open(Mlp.Options.lesson().withHidden(widthsIn(checkpoint)), checkpoint);
  }

  /**
   * The hidden layer widths of a checkpoint of this project's MLP, from its weights' shapes ({@code
   * hidden_layer/weights}, {@code hidden_layer_2/weights}, ...).
   *
   * @throws CheckpointException when the checkpoint does not hold the MLP's names
   */
  public static List<Integer> widthsIn(Path checkpoint) throws CheckpointException {
    if (MlpWeights.isKerasForm(checkpoint)) {
      return MlpWeights.read(checkpoint).hidden();
    }
    CheckpointReader reader = CheckpointReader.open(checkpoint);
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; reader.contains(Mlp.hiddenScope(i) + "/weights"); i++) {
      String name = Mlp.hiddenScope(i) + "/weights";
      long[] shape = reader.info(name).shape();
      if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE) {
        throw new CheckpointException(
            reader.prefix(),
            CheckpointException.NO_OFFSET,
            "'"
                + name
                + "' has shape "
                + reader.info(name).compactShape()
                + ", expected [inputs, width] with a width from 1 to "
                + Integer.MAX_VALUE
                + "; pass --hidden to say the layers");
      }
      widths.add((int) shape[1]);
    }
    if (widths.isEmpty() || !reader.contains("out/weights")) {
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          "no hidden_layer/weights and out/weights: not a checkpoint of the lesson's MLP;"
              + " pass --hidden to say its layers");
    }
    return widths;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
