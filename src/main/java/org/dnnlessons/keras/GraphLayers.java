package org.dnnlessons.keras;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.savedmodel.ServingGraph;

/**
 * Pairs what a SavedModel's serving graph computes ({@link ServingGraph}'s layers, in order) with
 * the layers whose weights its object graph holds (in model order), giving each layer the Keras
 * class and config that {@link LayerStack} describes: a Dense layer's {@code units} and {@code
 * use_bias}, and the activation after it (folded into the Dense layer when Keras's {@code
 * activation} string can name it), {@code Rescaling}'s scale and offset, {@code
 * BatchNormalization}'s epsilon, {@code LeakyReLU}'s slope. A graph layer that needs weights the
 * object graph does not hold, or weights no graph layer uses, is refused in one line.
 */
final class GraphLayers {

  private GraphLayers() {}

  /**
   * Keras-configured layers for {@code graph}'s steps, with {@code weighted}'s weights.
   *
   * @param weighted the object graph's layers (those without weights are passed over)
   */
  static List<KerasLayer> configure(Path pb, ServingGraph graph, List<KerasLayer> weighted)
      throws CheckpointException {
    List<KerasLayer> withWeights = new ArrayList<>();
    for (KerasLayer l : weighted) {
      // a Dropout's SeedGenerator keeps an integer state and computes nothing at inference
      if (l.weights().stream().anyMatch(GraphLayers::isFloat)) {
        withWeights.add(l);
      }
    }
    Iterator<KerasLayer> next = withWeights.iterator();
    List<KerasLayer> out = new ArrayList<>();
    List<ServingGraph.Step> steps = graph.steps();
    for (int i = 0; i < steps.size(); i++) {
      ServingGraph.Step s = steps.get(i);
      String at = "the graph's layer " + (i + 1) + " (" + s.keras() + ")";
      JsonObject c = new JsonObject();
      if (s instanceof ServingGraph.Reshape) {
        continue; // Flatten: the description takes flat images
      } else if (s instanceof ServingGraph.Cast cast) {
        if (i == 0 || i == steps.size() - 1) {
          continue; // a mixed-precision model's input and output casts; Java computes in float32
        }
        throw refuse(pb, graph, at + ": a Cast inside the network");
      } else if (s instanceof ServingGraph.Dense d) {
        KerasLayer w = take(pb, graph, next, at);
        int expected = d.bias() ? 2 : 1;
        if (w.weights().size() != expected) {
          throw refuse(
              pb,
              graph,
              at
                  + " takes "
                  + expected
                  + " weight(s), but '"
                  + w.name()
                  + "' holds "
                  + w.weights().size());
        }
        long[] kernel = w.weights().get(0).info().shape();
        if (kernel.length != 2) {
          throw refuse(
              pb,
              graph,
              at
                  + "'s kernel '"
                  + w.weights().get(0).info().name()
                  + "' has shape "
                  + Arrays.toString(kernel)
                  + ", expected [inputs, units]");
        }
        c.addProperty("units", kernel[1]);
        c.addProperty("use_bias", d.bias());
        String activation = "linear";
        if (i + 1 < steps.size()
            && steps.get(i + 1) instanceof ServingGraph.Activation a
            && folds(a)) {
          activation = a.name();
          i++;
        }
        c.addProperty("activation", activation);
        out.add(new KerasLayer(w.name(), "Dense", activation, w.weights(), c));
      } else if (s instanceof ServingGraph.Activation a) {
        switch (a.name()) {
          case "prelu" -> {
            KerasLayer w = take(pb, graph, next, at);
            out.add(new KerasLayer(w.name(), "PReLU", null, w.weights(), c));
          }
          case "leaky_relu" -> {
            c.addProperty("negative_slope", (double) a.alpha());
            out.add(new KerasLayer("leaky_re_lu_" + i, "LeakyReLU", null, List.of(), c));
          }
          case "gelu_approximate" ->
              throw refuse(
                  pb,
                  graph,
                  at + ": gelu(approximate=True) has no name in a Keras config; pass --config");
          default -> {
            c.addProperty("activation", a.name());
            out.add(new KerasLayer("activation_" + i, "Activation", a.name(), List.of(), c));
          }
        }
      } else if (s instanceof ServingGraph.Rescaling r) {
        c.addProperty("scale", (double) r.scale());
        c.addProperty("offset", (double) r.offset());
        out.add(new KerasLayer("rescaling_" + i, "Rescaling", null, List.of(), c));
      } else if (s instanceof ServingGraph.Normalization) {
        KerasLayer w = take(pb, graph, next, at);
        out.add(new KerasLayer(w.name(), "Normalization", null, w.weights(), c));
      } else if (s instanceof ServingGraph.BatchNormalization b) {
        if (Float.isNaN(b.epsilon())) {
          throw refuse(pb, graph, at + ": its epsilon is not a constant of the graph");
        }
        KerasLayer w = take(pb, graph, next, at);
        c.addProperty("epsilon", (double) b.epsilon());
        out.add(new KerasLayer(w.name(), "BatchNormalization", null, w.weights(), c));
      }
    }
    if (next.hasNext()) {
      throw refuse(
          pb,
          graph,
          "the variables hold layer '" + next.next().name() + "', which the graph does not use");
    }
    return out;
  }

  private static boolean isFloat(CheckpointTensor t) {
    return switch (t.info().dtype()) {
      case DT_FLOAT, DT_HALF, DT_BFLOAT16, DT_DOUBLE -> true;
      default -> false;
    };
  }

  /** Whether a Dense layer's {@code activation} string says {@code a} (as Keras would save it). */
  private static boolean folds(ServingGraph.Activation a) {
    return switch (a.name()) {
      case "prelu", "gelu_approximate" -> false;
      case "leaky_relu" -> a.alpha() == 0.2f;
      default -> true;
    };
  }

  private static KerasLayer take(Path pb, ServingGraph graph, Iterator<KerasLayer> next, String at)
      throws CheckpointException {
    if (!next.hasNext()) {
      throw refuse(pb, graph, at + " has weights, but the variables hold no more layers");
    }
    return next.next();
  }

  private static CheckpointException refuse(Path pb, ServingGraph graph, String why) {
    return new CheckpointException(
        pb,
        CheckpointException.NO_OFFSET,
        "the serving signature computes " + graph.describe() + "; " + why);
  }
}
