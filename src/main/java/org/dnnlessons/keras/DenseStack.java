package org.dnnlessons.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.proto.DataType;

/**
 * Maps a stack of Keras layers onto the lesson's MLP: the Dense layers in order become {@code
 * hidden_layer/weights}, {@code hidden_layer/biases}, {@code hidden_layer_2/...}, and the last one
 * {@code out/weights}, {@code out/biases}. Layers without weights ({@code InputLayer}, {@code
 * Flatten}, {@code Dropout}, which is the identity at inference) are passed over; anything else is
 * refused with one line naming the layer.
 */
final class DenseStack {

  /** Weightless layers that leave the lesson's network unchanged at inference. */
  private static final Set<String> PASS_THROUGH = Set.of("InputLayer", "Flatten", "Dropout");

  /** Activations of the output layer that keep the lesson's logits (pre-activation) meaningful. */
  private static final Set<String> OUTPUT_ACTIVATIONS = Set.of("linear", "softmax");

  private DenseStack() {}

  /**
   * The lesson-named tensors of {@code layers}.
   *
   * @throws CheckpointException naming the first layer that does not fit
   */
  static MlpWeights map(Path file, MlpWeights.Format format, List<KerasLayer> layers)
      throws CheckpointException {
    List<KerasLayer> dense = new ArrayList<>();
    for (KerasLayer layer : layers) {
      if (layer.weights().isEmpty()) {
        if ("Dense".equals(layer.className())) {
          throw refuse(file, layer, "the file holds no weights for it");
        }
        if (layer.className() != null && !PASS_THROUGH.contains(layer.className())) {
          throw refuse(
              file,
              layer,
              "expected Dense (or InputLayer, Flatten, Dropout), the lesson's MLP has no "
                  + layer.className());
        }
        continue;
      }
      if (layer.className() != null && !layer.className().equals("Dense")) {
        throw refuse(file, layer, "expected Dense, the lesson's MLP has no " + layer.className());
      }
      checkDense(file, layer);
      dense.add(layer);
    }
    if (dense.size() < 2) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "found "
              + dense.size()
              + " Dense layer(s), expected at least 2 (hidden layers, then the output layer)");
    }
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    Map<String, String> sourceNames = new LinkedHashMap<>();
    List<Integer> hidden = new ArrayList<>();
    long previousUnits = -1;
    for (int i = 0; i < dense.size(); i++) {
      KerasLayer layer = dense.get(i);
      boolean output = i == dense.size() - 1;
      checkActivation(file, layer, output);
      CheckpointTensor kernel = layer.weights().get(0);
      CheckpointTensor bias = layer.weights().get(1);
      long[] shape = kernel.info().shape();
      if (previousUnits >= 0 && shape[0] != previousUnits) {
        throw refuse(
            file,
            layer,
            "its kernel has "
                + shape[0]
                + " inputs, but the layer before it has "
                + previousUnits
                + " units (layers must follow one another)");
      }
      previousUnits = shape[1];
      if (output && shape[1] != Mlp.NUM_CLASSES) {
        throw refuse(
            file,
            layer,
            "the output layer has " + shape[1] + " units, the lesson's MLP has " + Mlp.NUM_CLASSES);
      }
      String scope = output ? "out" : Mlp.hiddenScope(i);
      if (!output) {
        hidden.add(Math.toIntExact(shape[1]));
      }
      put(tensors, sourceNames, scope + "/weights", kernel);
      put(tensors, sourceNames, scope + "/biases", bias);
    }
    return new MlpWeights(file, format, hidden, tensors, sourceNames);
  }

  private static void put(
      Map<String, CheckpointTensor> tensors,
      Map<String, String> sourceNames,
      String lessonName,
      CheckpointTensor t) {
    tensors.put(
        lessonName,
        new CheckpointTensor(
            new TensorInfo(lessonName, t.info().dtype(), t.info().shape()), t.data(), List.of()));
    sourceNames.put(lessonName, t.info().name());
  }

  private static void checkDense(Path file, KerasLayer layer) throws CheckpointException {
    List<CheckpointTensor> w = layer.weights();
    if (w.size() != 2) {
      throw refuse(
          file,
          layer,
          "expected a Dense layer's kernel and bias, found " + w.size() + " weights: " + names(w));
    }
    TensorInfo kernel = w.get(0).info();
    TensorInfo bias = w.get(1).info();
    if (kernel.shape().length != 2 || bias.shape().length != 1) {
      throw refuse(
          file,
          layer,
          "expected a Dense layer's kernel [inputs,units] and bias [units], found "
              + names(w)
              + " (not a Dense layer)");
    }
    if (bias.shape()[0] != kernel.shape()[1]) {
      throw refuse(
          file,
          layer,
          "its bias has " + bias.shape()[0] + " units, its kernel " + kernel.compactShape());
    }
    for (TensorInfo t : List.of(kernel, bias)) {
      if (t.dtype() != DataType.DT_FLOAT) {
        throw refuse(
            file,
            layer,
            "weight '" + t.name() + "' is " + t.numpyType() + ", the lesson's MLP is float32");
      }
    }
  }

  private static void checkActivation(Path file, KerasLayer layer, boolean output)
      throws CheckpointException {
    String activation = layer.activation();
    if (activation == null) {
      return;
    }
    if (output && !OUTPUT_ACTIVATIONS.contains(activation)) {
      throw refuse(
          file,
          layer,
          "the output layer's activation is '" + activation + "', expected linear or softmax");
    }
    if (!output && !activation.equals("relu")) {
      throw refuse(
          file,
          layer,
          "a hidden layer's activation is '" + activation + "', the lesson's MLP uses relu");
    }
  }

  private static String names(List<CheckpointTensor> weights) {
    List<String> out = new ArrayList<>();
    for (CheckpointTensor t : weights) {
      out.add(t.info().name() + " " + Arrays.toString(t.info().shape()).replace(" ", ""));
    }
    return String.join(", ", out);
  }

  static CheckpointException refuse(Path file, KerasLayer layer, String why) {
    String kind = layer.className() == null ? "" : " (" + layer.className() + ")";
    return new CheckpointException(
        file,
        CheckpointException.NO_OFFSET,
        "layer '" + layer.name() + "'" + kind + " does not fit the lesson's MLP: " + why);
  }
}
