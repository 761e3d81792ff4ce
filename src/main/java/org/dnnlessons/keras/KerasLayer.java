package org.dnnlessons.keras;

import com.google.gson.JsonObject;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointTensor;

/**
 * One layer of a Keras model as a file describes it, before it is mapped onto the lesson's MLP.
 *
 * @param name what the file calls the layer (its Keras name, its HDF5 group or its path in the
 *     object graph), for messages
 * @param className the Keras class ({@code Dense}, {@code Flatten}, ...), or {@code null} when the
 *     file does not say (TF2 checkpoints and SavedModels store objects, not classes)
 * @param activation the Keras activation ({@code relu}, {@code linear}, {@code softmax}), or {@code
 *     null} when the file does not say
 * @param weights the layer's weights in Keras's order (a Dense layer: kernel, then bias), each
 *     named as the file names it
 * @param config the layer's Keras config ({@code units}, {@code use_bias}, ...), or {@code null}
 *     when the file holds weights only
 */
record KerasLayer(
    String name,
    String className,
    String activation,
    List<CheckpointTensor> weights,
    JsonObject config) {

  KerasLayer {
    weights = List.copyOf(weights);
  }

  /** A layer the file describes by its weights alone (no config). */
  KerasLayer(String name, String className, String activation, List<CheckpointTensor> weights) {
    this(name, className, activation, weights, null);
  }
}
