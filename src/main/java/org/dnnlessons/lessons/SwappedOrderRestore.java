package org.dnnlessons.lessons;

import java.io.PrintStream;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Initializers;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The experiment behind the notebook's "Naming Error" section, shared by {@link NamingError} and
 * {@link NamingFix}: save {@code weights} and {@code bias}, then build a new graph that creates
 * them in the opposite order and restore.
 */
final class SwappedOrderRestore {

  /**
   * Names and values on both sides of the experiment.
   *
   * @param saveWeights the weights' tensor name when saved, e.g. {@code Variable:0}
   * @param saveBias the bias's tensor name when saved
   * @param loadWeights the weights' tensor name in the restoring graph
   * @param loadBias the bias's tensor name in the restoring graph
   * @param savedWeights the saved weights
   * @param savedBias the saved bias
   * @param loadedWeights the restored weights
   * @param loadedBias the restored bias
   */
  record Outcome(
      String saveWeights,
      String saveBias,
      String loadWeights,
      String loadBias,
      float[][] savedWeights,
      float[] savedBias,
      float[][] loadedWeights,
      float[] loadedBias) {}

  private SwappedOrderRestore() {}

  /**
   * Runs the experiment.
   *
   * @param explicitNames {@code true} names the variables {@code weights_0} and {@code bias_0};
   *     {@code false} leaves the names to TensorFlow, as the failing notebook cell does
   * @throws CheckpointException when the restore does not fit, which is the point without names
   */
  static Outcome run(String file, boolean explicitNames, PrintStream out)
      throws CheckpointException {
    String saveWeights;
    String saveBias;
    float[][] savedWeights;
    float[] savedBias;
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      // Two Tensor Variables: weights and bias
      NamedVariable<TFloat32> weights =
          variable(g, tf, explicitNames ? "weights_0" : null, Shape.of(2, 3));
      NamedVariable<TFloat32> bias = variable(g, tf, explicitNames ? "bias_0" : null, Shape.of(3));
      Saver saver = Saver.builder(graph).build();

      saveWeights = weights.tensorName();
      saveBias = bias.tensorName();
      out.println("Save Weights: " + saveWeights);
      out.println("Save Bias: " + saveBias);

      try (Session session = g.newSession()) {
        session.run(g.globalVariablesInitializer());
        try (org.tensorflow.Result fetched = session.runner().fetch(weights).fetch(bias).run()) {
          savedWeights = Tensors.toMatrix((TFloat32) fetched.get(0));
          savedBias = Tensors.toArray((TFloat32) fetched.get(1));
        }
        saver.save(session, file);
      }
    }

    // Remove the previous weights and bias: a new graph, variables created in the other order
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<TFloat32> bias = variable(g, tf, explicitNames ? "bias_0" : null, Shape.of(3));
      NamedVariable<TFloat32> weights =
          variable(g, tf, explicitNames ? "weights_0" : null, Shape.of(2, 3));
      Saver saver = Saver.builder(graph).build();

      String loadWeights = weights.tensorName();
      String loadBias = bias.tensorName();
      out.println("Load Weights: " + loadWeights);
      out.println("Load Bias: " + loadBias);

      try (Session session = g.newSession()) {
        // Load the weights and bias: fails when the names moved with the creation order
        saver.restore(session, file);
        try (org.tensorflow.Result fetched = session.runner().fetch(weights).fetch(bias).run()) {
          return new Outcome(
              saveWeights,
              saveBias,
              loadWeights,
              loadBias,
              savedWeights,
              savedBias,
              Tensors.toMatrix((TFloat32) fetched.get(0)),
              Tensors.toArray((TFloat32) fetched.get(1)));
        }
      }
    }
  }

  private static NamedVariable<TFloat32> variable(ModelGraph g, Ops tf, String name, Shape shape) {
    var initialValue = Initializers.truncatedNormal(g, tf, shape);
    return name == null ? g.variable(tf, initialValue) : g.variable(tf, name, initialValue);
  }
}
