package org.dnnlessons.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.dnnlessons.files.Messages;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.tensorflow.proto.DataType;

/**
 * Turns the layers a Keras file holds into a {@link ModelDescription} and the Dense layers' weights
 * under the lesson's names ({@code hidden_layer/weights}, ..., {@code out/biases}).
 *
 * <p>With each layer's Keras config (a {@code .keras} archive, a legacy {@code .h5} model, or a
 * weights-only file read with {@code --config}) every supported layer is described as Keras
 * computes it (see {@link #SUPPORTED}); anything else is refused in one line naming the layer and
 * its class. Without configs (a {@code .weights.h5} file or a TF2 checkpoint alone) the file says
 * only its weights' shapes: the layers are read as the lesson's MLP (ReLU hidden layers, a linear
 * output, pixels/255 in) and a note says exactly that, and how to state otherwise. float16 and
 * bfloat16 weights are widened to float32, and a note says so.
 */
final class LayerStack {

  /** The Keras classes a description can hold, for messages. */
  static final String SUPPORTED =
      "Dense, Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax, Rescaling, Normalization,"
          + " BatchNormalization, Dropout, InputLayer, Flatten, Reshape to a vector";

  /** The Keras class names the description reads (the cases of the switch below). */
  static final Set<String> CLASSES =
      Set.of(
          "InputLayer",
          "Flatten",
          "Reshape",
          "Dense",
          "Activation",
          "ReLU",
          "LeakyReLU",
          "ELU",
          "Softmax",
          "PReLU",
          "Rescaling",
          "Normalization",
          "BatchNormalization",
          "Dropout");

  private final Path file;
  private final List<String> notes = new ArrayList<>();
  private final Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
  private final Map<String, String> sourceNames = new LinkedHashMap<>();

  private LayerStack(Path file) {
    this.file = file;
  }

  /**
   * The description and weights of {@code layers}.
   *
   * @param formName how the notes name the form ({@code a .weights.h5 file})
   * @throws CheckpointException naming the first layer that cannot be described
   */
  static MlpWeights map(
      Path file, MlpWeights.Format format, String formName, List<KerasLayer> layers)
      throws CheckpointException {
    LayerStack s = new LayerStack(file);
    boolean configured = false;
    for (KerasLayer l : layers) {
      configured |= l.config() != null;
    }
    ModelDescription model =
        configured ? s.describeConfigured(layers) : s.describeWeightsOnly(layers, formName);
    return new MlpWeights(file, format, model, s.tensors, s.sourceNames, s.notes);
  }

  private ModelDescription describeWeightsOnly(List<KerasLayer> layers, String formName)
      throws CheckpointException {
    List<KerasLayer> dense = new ArrayList<>();
    for (KerasLayer layer : layers) {
      if (layer.weights().isEmpty()) {
        if (layer.className() != null
            && !List.of("InputLayer", "Flatten", "Dropout", "Reshape")
                .contains(layer.className())) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "layer '"
                  + layer.name()
                  + "' ("
                  + layer.className()
                  + ") holds no weights, and "
                  + formName
                  + " does not say what it computes; pass --config with the model's .keras file"
                  + " or model.to_json() to state its layers");
        }
        continue;
      }
      List<CheckpointTensor> w = layer.weights();
      boolean denseLike =
          (w.size() == 1 || w.size() == 2)
              && w.get(0).info().shape().length == 2
              && (w.size() == 1 || w.get(1).info().shape().length == 1);
      if (!denseLike || (layer.className() != null && !layer.className().equals("Dense"))) {
        String kind = layer.className() == null ? "" : " (" + layer.className() + ")";
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "layer '"
                + layer.name()
                + "'"
                + kind
                + " holds "
                + names(w)
                + ", not a Dense layer's kernel and bias, and "
                + formName
                + " does not say what it computes; pass --config with the model's .keras file or"
                + " model.to_json() to state its layers");
      }
      dense.add(layer);
    }
    if (dense.isEmpty()) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "no layer with weights: not a Keras model's file");
    }
    List<ModelDescription.Layer> described = new ArrayList<>();
    for (int i = 0; i < dense.size(); i++) {
      boolean output = i == dense.size() - 1;
      KerasLayer layer = dense.get(i);
      described.add(
          dense(layer, output ? Activation.LINEAR : Activation.RELU, layer.weights().size() == 2));
    }
    ModelDescription model = describe(described, null);
    putDense(model, dense);
    notes.add(
        file
            + ": "
            + formName
            + " holds weights only; read as the lesson's MLP "
            + model.summary()
            + " (relu hidden layers, a linear output, pixels/255 in)"
            + ". If the model differs, pass"
            + " --config with its .keras file or model.to_json() (and --input-scale 255 if it was"
            + " fed raw pixels)");
    return model;
  }

  private ModelDescription describeConfigured(List<KerasLayer> layers) throws CheckpointException {
    List<ModelDescription.Layer> described = new ArrayList<>();
    List<KerasLayer> dense = new ArrayList<>();
    for (KerasLayer layer : layers) {
      JsonObject c = layer.config() == null ? new JsonObject() : layer.config();
      String cls = layer.className() == null ? "?" : layer.className();
      String policy = policy(c);
      if (policy != null && policy.contains("16")) {
        String note =
            file
                + ": Keras computes this model in "
                + policy
                + "; Java computes in float32, so its outputs differ from Keras's by "
                + (policy.contains("bfloat16") ? "bfloat16" : "float16")
                + "'s rounding";
        if (!notes.contains(note)) {
          notes.add(note);
        }
      }
      String name = layer.name();
      ModelDescription.Layer d;
      switch (cls) {
        case "InputLayer", "Flatten" -> {
          expectWeights(layer, 0);
          continue;
        }
        case "Reshape" -> {
          JsonElement target = c.get("target_shape");
          if (!(target instanceof JsonArray a) || a.size() != 1) {
            throw refuse(layer, "only a Reshape to a flat vector is supported, found " + target);
          }
          continue;
        }
        case "Dense" -> {
          boolean useBias = flag(layer, c, "use_bias", true);
          expectWeights(layer, useBias ? 2 : 1);
          ModelDescription.Dense denseLayer =
              dense(layer, activation(layer, c.get("activation")), useBias);
          checkUnits(layer, c, denseLayer.units());
          d = denseLayer;
          dense.add(layer);
        }
        case "Activation" -> {
          expectWeights(layer, 0);
          d =
              new ModelDescription.ActivationLayer(
                  name, cls, activation(layer, c.get("activation")));
        }
        case "ReLU" -> {
          expectWeights(layer, 0);
          Double max =
              c.has("max_value") && !c.get("max_value").isJsonNull()
                  ? number(layer, c, "max_value", 0)
                  : null;
          d =
              new ModelDescription.ActivationLayer(
                  name,
                  cls,
                  Activation.relu(
                      number(layer, c, "negative_slope", 0),
                      max,
                      number(layer, c, "threshold", 0)));
        }
        case "LeakyReLU" -> {
          expectWeights(layer, 0);
          double slope =
              c.has("negative_slope")
                  ? number(layer, c, "negative_slope", 0.3)
                  : number(layer, c, "alpha", 0.3);
          d = new ModelDescription.ActivationLayer(name, cls, Activation.leakyRelu(slope));
        }
        case "ELU" -> {
          expectWeights(layer, 0);
          d =
              new ModelDescription.ActivationLayer(
                  name, cls, Activation.elu(number(layer, c, "alpha", 1)));
        }
        case "Softmax" -> {
          expectWeights(layer, 0);
          checkLastAxis(layer, c.get("axis"));
          d =
              new ModelDescription.ActivationLayer(
                  name, cls, Activation.of(Activation.Kind.SOFTMAX));
        }
        case "PReLU" -> {
          expectWeights(layer, 1);
          d = new ModelDescription.PRelu(name, floats(layer, layer.weights().get(0)));
        }
        case "Rescaling" -> {
          expectWeights(layer, 0);
          d =
              new ModelDescription.Rescaling(
                  name, scalar(layer, c, "scale", 1), scalar(layer, c, "offset", 0));
        }
        case "Normalization" -> d = normalization(layer, c);
        case "BatchNormalization" -> d = batchNormalization(layer, c);
        case "Dropout" -> {
          expectWeights(layer, 0);
          d = new ModelDescription.Dropout(name, number(layer, c, "rate", 0));
        }
        case "Sequential", "Functional", "Model" ->
            throw refuse(
                layer, "a model nested in a model is not supported; supported: " + SUPPORTED);
        default -> throw refuse(layer, "not supported; supported: " + SUPPORTED);
      }
      described.add(d);
    }
    if (dense.isEmpty()) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "the model has no Dense layer (its output)");
    }
    ModelDescription model = describe(described, layers.get(0));
    putDense(model, dense);
    return model;
  }

  private ModelDescription describe(List<ModelDescription.Layer> described, KerasLayer first)
      throws CheckpointException {
    double inputScale = 1.0;
    for (ModelDescription.Layer l : described) {
      if (l instanceof ModelDescription.Rescaling) {
        inputScale = 255.0;
      }
      break;
    }
    try {
      return new ModelDescription(inputScale, described);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, CheckpointException.NO_OFFSET, e.getMessage());
    }
  }

  private ModelDescription.Dense dense(KerasLayer layer, Activation activation, boolean useBias)
      throws CheckpointException {
    long[] kernel = layer.weights().get(0).info().shape();
    if (kernel.length != 2 || kernel[1] < 1 || kernel[1] > Integer.MAX_VALUE) {
      throw refuse(
          layer, "its kernel has shape " + Arrays.toString(kernel) + ", expected [inputs, units]");
    }
    if (useBias) {
      long[] bias = layer.weights().get(1).info().shape();
      if (bias.length != 1 || bias[0] != kernel[1]) {
        throw refuse(
            layer,
            "its bias has shape "
                + Arrays.toString(bias)
                + ", its kernel "
                + Arrays.toString(kernel));
      }
    }
    return new ModelDescription.Dense(layer.name(), (int) kernel[1], useBias, activation);
  }

  /** Puts the Dense layers' weights under the lesson's names, checking they follow one another. */
  private void putDense(ModelDescription model, List<KerasLayer> dense) throws CheckpointException {
    long previous = -1;
    for (int i = 0; i < dense.size(); i++) {
      KerasLayer layer = dense.get(i);
      String scope = ModelDescription.denseScope(i, dense.size());
      CheckpointTensor kernel = layer.weights().get(0);
      long[] shape = kernel.info().shape();
      if (previous >= 0 && shape[0] != previous) {
        throw refuse(
            layer,
            "its kernel has "
                + shape[0]
                + " inputs, but the Dense layer before it has "
                + previous
                + " units (layers must follow one another)");
      }
      previous = shape[1];
      put(scope + "/weights", kernel, layer);
      if (model.dense().get(i).useBias()) {
        put(scope + "/biases", layer.weights().get(1), layer);
      }
    }
  }

  private void put(String lessonName, CheckpointTensor t, KerasLayer layer)
      throws CheckpointException {
    tensors.put(lessonName, float32(layer, t, lessonName));
    sourceNames.put(lessonName, t.info().name());
  }

  /** {@code t} as float32, widened from float16 or bfloat16 (with a note). */
  private CheckpointTensor float32(KerasLayer layer, CheckpointTensor t, String as)
      throws CheckpointException {
    DataType dtype = t.info().dtype();
    if (dtype == DataType.DT_FLOAT) {
      return new CheckpointTensor(new TensorInfo(as, dtype, t.info().shape()), t.data(), List.of());
    }
    float[] values;
    if (dtype == DataType.DT_HALF || dtype == DataType.DT_BFLOAT16) {
      values = t.halfFloats();
      String note =
          file
              + ": "
              + (dtype == DataType.DT_HALF ? "float16" : "bfloat16")
              + " weights widened to float32 (exactly; Java computes in float32)";
      if (!notes.contains(note)) {
        notes.add(note);
      }
    } else if (dtype == DataType.DT_DOUBLE) {
      throw refuse(
          layer,
          "weight '" + t.info().name() + "' is float64; float32, float16 and bfloat16 are read");
    } else {
      throw refuse(
          layer, "weight '" + t.info().name() + "' is " + t.info().numpyType() + ", not a float");
    }
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return new CheckpointTensor(
        new TensorInfo(as, DataType.DT_FLOAT, t.info().shape()), bytes.array(), List.of());
  }

  private float[] floats(KerasLayer layer, CheckpointTensor t) throws CheckpointException {
    return float32(layer, t, t.info().name()).floats();
  }

  private ModelDescription.Layer normalization(KerasLayer layer, JsonObject c)
      throws CheckpointException {
    if (flag(layer, c, "invert", false)) {
      throw refuse(layer, "Normalization(invert=True) is not supported");
    }
    JsonElement mean = c.get("mean");
    JsonElement variance = c.get("variance");
    if (mean != null && !mean.isJsonNull() && variance != null && !variance.isJsonNull()) {
      expectWeights(layer, 0);
      return new ModelDescription.Normalization(
          layer.name(), flat(layer, mean), flat(layer, variance));
    }
    if (layer.weights().size() < 2) {
      throw refuse(layer, "the file holds no adapted mean and variance for it");
    }
    return new ModelDescription.Normalization(
        layer.name(),
        floats(layer, weight(layer, 0, "mean")),
        floats(layer, weight(layer, 1, "variance")));
  }

  private ModelDescription.Layer batchNormalization(KerasLayer layer, JsonObject c)
      throws CheckpointException {
    checkLastAxis(layer, c.get("axis"));
    boolean scale = flag(layer, c, "scale", true);
    boolean center = flag(layer, c, "center", true);
    int n = (scale ? 1 : 0) + (center ? 1 : 0) + 2;
    expectWeights(layer, n);
    int i = 0;
    float[] gamma = scale ? floats(layer, weight(layer, i++, "gamma")) : null;
    float[] beta = center ? floats(layer, weight(layer, i++, "beta")) : null;
    float[] mean = floats(layer, weight(layer, i++, "moving_mean"));
    float[] variance = floats(layer, weight(layer, i, "moving_variance"));
    try {
      return new ModelDescription.BatchNormalization(
          layer.name(), number(layer, c, "epsilon", 1e-3), gamma, beta, mean, variance);
    } catch (IllegalArgumentException e) {
      throw refuse(layer, e.getMessage());
    }
  }

  /** The weight whose name ends with {@code /local} (a TF2 object path), else the index's. */
  private static CheckpointTensor weight(KerasLayer layer, int index, String local) {
    for (CheckpointTensor t : layer.weights()) {
      String n = t.info().name().replaceFirst(":0$", "");
      if (n.endsWith("/" + local)) {
        return t;
      }
    }
    return layer.weights().get(index);
  }

  private void checkLastAxis(KerasLayer layer, JsonElement axis) throws CheckpointException {
    if (axis == null || axis.isJsonNull()) {
      return;
    }
    JsonElement a =
        axis.isJsonArray() && axis.getAsJsonArray().size() == 1
            ? axis.getAsJsonArray().get(0)
            : axis;
    if (!isNumber(a) || !(a.getAsDouble() == -1 || a.getAsDouble() == 1 || a.getAsDouble() == 3)) {
      throw refuse(layer, "axis " + axis + " is not supported (the last axis is)");
    }
  }

  private Activation activation(KerasLayer layer, JsonElement a) throws CheckpointException {
    String name;
    if (a == null || a.isJsonNull()) {
      name = "linear";
    } else if (a.isJsonPrimitive()) {
      name = a.getAsString();
    } else if (a.isJsonObject()
        && a.getAsJsonObject().get("config") != null
        && a.getAsJsonObject().get("config").isJsonPrimitive()) {
      // Keras 3 serializes a built-in activation as {"module": "builtins", "class_name":
      // "function", "config": "relu", "registered_name": "function"}; anything else names a
      // custom object that Keras itself would look up (and refuse without it)
      JsonObject o = a.getAsJsonObject();
      if (!isTextOrAbsent(o, "class_name", "function")
          || !isTextOrAbsent(o, "registered_name", "function")) {
        throw refuse(
            layer,
            "its activation "
                + Messages.value(a)
                + " is a custom object, not a Keras 3 built-in activation");
      }
      name = o.get("config").getAsString();
    } else {
      throw refuse(layer, "its activation " + a + " is not one Keras 3 names");
    }
    if (name.equals("gelu_approximate")) {
      throw refuse(layer, "its activation 'gelu_approximate' is not one Keras 3 names");
    }
    try {
      return Activation.named(name);
    } catch (IllegalArgumentException e) {
      throw refuse(
          layer,
          "its activation '"
              + Messages.value(name)
              + "' is not supported; "
              + e.getMessage().replaceFirst("^unknown activation '[^']*'; ", ""));
    }
  }

  private void expectWeights(KerasLayer layer, int n) throws CheckpointException {
    if (layer.weights().size() != n) {
      throw refuse(
          layer,
          "expected "
              + n
              + " weight(s), the file holds "
              + layer.weights().size()
              + (layer.weights().isEmpty() ? "" : ": " + names(layer.weights())));
    }
  }

  private double scalar(KerasLayer layer, JsonObject c, String key, double otherwise)
      throws CheckpointException {
    JsonElement e = c.get(key);
    if (e == null || e.isJsonNull()) {
      return otherwise;
    }
    if (e.isJsonArray()) {
      float[] v = flat(layer, e);
      if (v.length != 1) {
        throw refuse(layer, key + " per channel (" + v.length + " values) is not supported");
      }
      return v[0];
    }
    if (!isNumber(e)) {
      throw refuse(layer, key + " is " + Messages.value(e) + ", expected a number");
    }
    return e.getAsDouble();
  }

  private float[] flat(KerasLayer layer, JsonElement e) throws CheckpointException {
    List<Float> out = new ArrayList<>();
    flatten(layer, e, out, 0);
    float[] v = new float[out.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = out.get(i);
    }
    return v;
  }

  private void flatten(KerasLayer layer, JsonElement e, List<Float> out, int depth)
      throws CheckpointException {
    if (depth > 8 || out.size() > (1 << 24)) {
      throw refuse(layer, "its statistics are nested too deep or too long");
    }
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        flatten(layer, x, out, depth + 1);
      }
    } else if (isNumber(e)) {
      out.add(e.getAsFloat());
    } else {
      throw refuse(layer, "expected numbers, found " + Messages.value(e));
    }
  }

  /** The layer's dtype policy name ({@code float32}, {@code mixed_float16}), or {@code null}. */
  private static String policy(JsonObject c) {
    JsonElement d = c.get("dtype");
    if (d == null || d.isJsonNull()) {
      return null;
    }
    if (d.isJsonPrimitive()) {
      return d.getAsString();
    }
    if (d.isJsonObject()
        && d.getAsJsonObject().get("config") instanceof JsonObject conf
        && conf.get("name") != null
        && conf.get("name").isJsonPrimitive()) {
      return conf.get("name").getAsString();
    }
    return null;
  }

  /**
   * A number in the layer's config: {@code otherwise} when absent or null; a string, boolean, list
   * or object is refused (Gson would parse {@code "0.1"} or fail with an exception).
   */
  private double number(KerasLayer layer, JsonObject c, String key, double otherwise)
      throws CheckpointException {
    JsonElement e = c.get(key);
    if (e == null || e.isJsonNull()) {
      return otherwise;
    }
    if (!isNumber(e)) {
      throw refuse(layer, key + " is " + Messages.value(e) + ", expected a number");
    }
    return e.getAsDouble();
  }

  /**
   * The config's {@code units}, when it gives them, must be the kernel's width: Keras's {@code
   * load_model} fails on such a file, and the weights alone would compute another model than the
   * config describes.
   */
  private void checkUnits(KerasLayer layer, JsonObject c, int kernelUnits)
      throws CheckpointException {
    JsonElement e = c.get("units");
    if (e == null) {
      return;
    }
    double units = e.isJsonNull() ? Double.NaN : number(layer, c, "units", kernelUnits);
    if (!(units == Math.rint(units) && units >= 1)) {
      throw refuse(layer, "units is " + Messages.value(e) + ", expected a positive integer");
    }
    if (units != kernelUnits) {
      long[] kernel = layer.weights().get(0).info().shape();
      throw refuse(
          layer,
          "its config says units="
              + Messages.value(e)
              + ", but its kernel has shape "
              + Arrays.toString(kernel)
              + " (Keras's load_model refuses this file)");
    }
  }

  /**
   * A flag in the layer's config: {@code otherwise} when absent; anything but {@code true} or
   * {@code false} is refused (Gson reads {@code "yes"} as false and fails on null).
   */
  private boolean flag(KerasLayer layer, JsonObject c, String key, boolean otherwise)
      throws CheckpointException {
    JsonElement e = c.get(key);
    if (e == null) {
      return otherwise;
    }
    if (e instanceof JsonPrimitive p && p.isBoolean()) {
      return p.getAsBoolean();
    }
    throw refuse(layer, key + " is " + Messages.value(e) + ", expected true or false");
  }

  /** True when {@code key} is absent, null, or the string {@code expected}. */
  private static boolean isTextOrAbsent(JsonObject o, String key, String expected) {
    JsonElement e = o.get(key);
    return e == null
        || e.isJsonNull()
        || (e instanceof JsonPrimitive p && p.isString() && p.getAsString().equals(expected));
  }

  private static boolean isNumber(JsonElement e) {
    return e instanceof JsonPrimitive p && p.isNumber();
  }

  private static String names(List<CheckpointTensor> weights) {
    List<String> out = new ArrayList<>();
    for (CheckpointTensor t : weights) {
      out.add(t.info().name() + " " + Arrays.toString(t.info().shape()).replace(" ", ""));
    }
    return String.join(", ", out);
  }

  private CheckpointException refuse(KerasLayer layer, String why) {
    String kind = layer.className() == null ? "" : " (" + layer.className() + ")";
    return new CheckpointException(
        file, CheckpointException.NO_OFFSET, "layer '" + layer.name() + "'" + kind + ": " + why);
  }

  static int numClasses() {
    return Mlp.NUM_CLASSES;
  }
}
