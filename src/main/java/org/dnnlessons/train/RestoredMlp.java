package org.dnnlessons.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The network a saved model describes, built and restored: what {@code evaluate}, {@code predict}
 * and {@code serve} start from. Close it to free the graph and the session.
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
   * Builds the network {@code options} describe and restores {@code weights} into it.
   *
   * @param weights read by {@link MlpWeights#read(Path, Path)} from any saved form
   * @param options the network's widths, activation and dropout, matching {@code weights}
   * @return the network with its variables assigned; the caller closes it
   * @throws Exception when the weights' shapes do not match {@code options}, or the graph cannot be
   *     built
   */
  public static RestoredMlp open(Mlp.Options options, MlpWeights weights) throws Exception {
    Graph graph = new Graph();
    Session session = null;
    try {
      Mlp.Network net = Mlp.build(graph, options);
      session = net.model().newSession();
      weights.restore(session, net);
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
   * Builds the network {@code options} describe for images shaped like {@code data}'s and restores
   * {@code weights} into it, after checking (before TensorFlow is loaded) that the weights and one
   * run over {@code data} fit in memory ({@link InferenceMemory#check}): what {@code evaluate} and
   * {@code predict --index} start from.
   *
   * @param options the network's widths, activation and dropout, matching {@code weights}
   * @param data the images it will run on; their rows and columns set the input's shape
   * @param weights read by {@link MlpWeights#read(Path, Path)} from any saved form
   * @return the network with its variables assigned; the caller closes it
   * @throws Exception when the run would not fit in memory, the weights' shapes do not match, or
   *     the graph cannot be built
   */
  public static RestoredMlp open(Mlp.Options options, DataSet data, MlpWeights weights)
      throws Exception {
    InferenceMemory.check(
        String.valueOf(weights.source()), data.imageSize(), options.hidden(), data.numExamples());
    return open(options.withImageSize(data.imageRows(), data.imageColumns()), weights);
  }

  /**
   * Reads the network {@code path} describes (a lesson checkpoint prefix or directory, or a Keras
   * form) and restores it, as {@code evaluate} does without options.
   *
   * @param path a checkpoint prefix or directory, or a Keras form ({@code .keras}, {@code
   *     .weights.h5}, a TF2 checkpoint or a SavedModel written by Keras)
   * @return the network and {@link MlpWeights#notes()}: what was assumed reading the file
   * @throws CheckpointException when the files are missing, damaged or hold another network
   */
  public static Read read(Path path) throws Exception {
    MlpWeights weights = MlpWeights.read(path, null);
    List<String> notes = new ArrayList<>(weights.notes());
    double scale = weights.model().inputScale();
    if (scale == 255.0) {
      notes.add(
          "input: raw pixels 0-255, as Keras fed this model (its first layer is Rescaling): pixels"
              + " 0-1 are multiplied by 255 before it");
    } else if (weights.format() != MlpWeights.Format.LESSON_CHECKPOINT || scale != 1.0) {
      notes.add(
          "input: pixels/255 * "
              + scale
              + (scale == 1.0
                  ? ", as the lesson's read_data_sets (the model's first layer is not Rescaling)"
                  : ""));
    }
    return new Read(open(Mlp.Options.lesson().withModel(weights.model()), weights), notes);
  }

  /**
   * A network restored by {@link #read}, with the notes its reading printed.
   *
   * @param network the restored network
   * @param notes what was assumed or converted reading the file, one line each
   */
  public record Read(RestoredMlp network, List<String> notes) {}

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
