package org.dnnlessons.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.files.Messages;
import org.tensorflow.proto.DataType;

/**
 * Keras 3's own files: the weights file {@code m.save_weights("m.weights.h5")} (HDF5, read with
 * jHDF) and the archive {@code m.save("m.keras")} (a zip of {@code config.json}, {@code
 * model.weights.h5} and {@code metadata.json}).
 *
 * <p>In the HDF5 file each layer is a group {@code layers/<name>/vars} holding its weights as
 * datasets {@code 0}, {@code 1}, ... (a Dense layer: kernel, bias); the group names are the layers'
 * class names in snake case, numbered per class in model order ({@code dense}, {@code dense_1},
 * ...). {@code config.json} gives the layers in order with their classes, units and activations.
 * Every size read from a file is checked before anything is allocated: zip entries are inflated
 * into memory with a byte limit and their CRC-32 checked ({@link KerasArchive}), HDF5 files are
 * read into memory and walked and sized through {@link BoundedHdf5} (groups walked once each,
 * datasets' sizes checked against the file and the heap before jHDF reads them), JSON parsed with a
 * depth limit ({@link BoundedJson}).
 */
final class KerasFiles {

  /** The weights entry of a {@code .keras} archive. */
  static final String WEIGHTS_ENTRY = "model.weights.h5";

  /** The model description entry of a {@code .keras} archive. */
  static final String CONFIG_ENTRY = "config.json";

  /** The metadata entry of a {@code .keras} archive. */
  static final String METADATA_ENTRY = "metadata.json";

  /** {@code config.json} entries larger than this are refused (an MLP's is a few kilobytes). */
  static final long MAX_CONFIG_BYTES = 16L << 20;

  /** {@code model.weights.h5} entries larger than this are refused. */
  static final long MAX_WEIGHTS_BYTES = 4L << 30;

  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private KerasFiles() {}

  /** True when the file starts as a zip archive does ({@code PK\3\4}). */
  static boolean isZip(Path file) {
    byte[] head = head(file, 4);
    return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  /** True when the file starts with HDF5's signature. */
  static boolean isHdf5(Path file) {
    byte[] head = head(file, HDF5_SIGNATURE.length);
    return Arrays.equals(head, HDF5_SIGNATURE);
  }

  private static byte[] head(Path file, int n) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(n);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /**
   * The description and weights of an HDF5 file: a legacy full model ({@code m.save("m.h5")}, its
   * root attribute {@code model_config}), a Keras 3 weights file ({@code layers/...}) or a Keras 2
   * one ({@code layer_names}); the weights files with {@code config} when it is given.
   */
  static MlpWeights readHdf5(Path file, JsonObject config) throws CheckpointException {
    return readHdf5(file, config, ReadLimits.forHeap());
  }

  /** As {@link #readHdf5(Path, JsonObject)}, within {@code limits}. */
  static MlpWeights readHdf5(Path file, JsonObject config, ReadLimits limits)
      throws CheckpointException {
    String modelConfig;
    boolean keras3;
    try (HdfFile hdf = openHdf(file, BoundedHdf5.readFile(file, limits.fileBytes()))) {
      modelConfig = stringAttribute(hdf, "model_config");
      keras3 = hdf.getChildren().get("layers") instanceof Group;
    } catch (RuntimeException e) {
      throw hdfError(file, e);
    }
    if (modelConfig != null) {
      JsonObject own = parseConfig(file, modelConfig.getBytes(StandardCharsets.UTF_8));
      return LayerStack.map(
          file,
          MlpWeights.Format.KERAS_H5,
          "a legacy .h5 model",
          legacyLayers(file, own, DatasetBudget.of(file, limits)));
    }
    if (keras3) {
      List<KerasLayer> layers =
          config == null
              ? layersByGroup(file, DatasetBudget.of(file, limits))
              : layersByConfig(
                  file,
                  config,
                  BoundedHdf5.readFile(file, limits.fileBytes()),
                  DatasetBudget.of(file, limits));
      return LayerStack.map(file, MlpWeights.Format.KERAS_WEIGHTS_H5, "a .weights.h5 file", layers);
    }
    List<KerasLayer> layers = legacyWeightLayers(file, DatasetBudget.of(file, limits));
    return LayerStack.map(
        file,
        MlpWeights.Format.KERAS_WEIGHTS_H5,
        "a Keras 2 weights file",
        withConfig(file, config, layers));
  }

  /**
   * A model's config from {@code --config}: a {@code .keras} archive's {@code config.json}, or the
   * JSON {@code model.to_json()} writes.
   */
  static JsonObject readModelConfig(Path config) throws CheckpointException {
    if (!Files.isRegularFile(config)) {
      throw new CheckpointException(
          config, CheckpointException.NO_OFFSET, "--config: no such file");
    }
    if (isZip(config)) {
      try (KerasArchive zip = KerasArchive.open(config)) {
        return parseConfig(config, configEntry(zip, config));
      }
    }
    try {
      if (Files.size(config) > MAX_CONFIG_BYTES) {
        throw new CheckpointException(
            config,
            CheckpointException.NO_OFFSET,
            "--config is larger than the " + MAX_CONFIG_BYTES + " bytes this reader accepts");
      }
      return parseConfig(config, BoundedHdf5.readFile(config, MAX_CONFIG_BYTES));
    } catch (IOException e) {
      throw new CheckpointException(
          config, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * The layers of {@code config}, each given the weights of the next of {@code weighted} that holds
   * any, when the config's layer has weights; {@code weighted} itself when {@code config} is null.
   *
   * @throws CheckpointException when the file's layers with weights and the config's differ in
   *     number
   */
  static List<KerasLayer> withConfig(Path file, JsonObject config, List<KerasLayer> weighted)
      throws CheckpointException {
    if (config == null) {
      return weighted;
    }
    List<KerasLayer> withWeights = new ArrayList<>();
    for (KerasLayer l : weighted) {
      if (!l.weights().isEmpty()) {
        withWeights.add(l);
      }
    }
    List<KerasLayer> out = new ArrayList<>();
    int next = 0;
    for (JsonObject layer : configLayers(file, config)) {
      String className = string(layer, "class_name");
      JsonObject c = layerConfig(layer);
      String name = string(c, "name") != null ? string(c, "name") : className;
      if (className != null && !LayerStack.CLASSES.contains(className)) {
        // a layer the description cannot hold (Conv2D): its weights cannot be counted here, so
        // the refusal is the layer itself, as LayerStack words it for every other form
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "layer '"
                + name
                + "' ("
                + className
                + "): "
                + (Set.of("Sequential", "Functional", "Model").contains(className)
                    ? "a model nested in a model is not supported"
                    : "not supported")
                + "; supported: "
                + LayerStack.SUPPORTED);
      }
      List<CheckpointTensor> weights = List.of();
      if (hasWeights(className, c)) {
        if (next >= withWeights.size()) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "--config's layer '"
                  + name
                  + "' ("
                  + className
                  + ") has weights, but the file holds only "
                  + withWeights.size()
                  + " layer(s) with weights");
        }
        weights = withWeights.get(next++).weights();
      }
      out.add(new KerasLayer(name, className, null, weights, c));
    }
    if (next != withWeights.size()) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "the file holds "
              + withWeights.size()
              + " layer(s) with weights, --config describes "
              + next
              + ": not this file's model");
    }
    return out;
  }

  /** True for the config's layers that keep weights in the file. */
  private static boolean hasWeights(String className, JsonObject c) {
    return switch (className == null ? "" : className) {
      case "Dense", "BatchNormalization", "PReLU" -> true;
      case "Normalization" -> c.get("mean") == null || c.get("mean").isJsonNull();
      default -> false;
    };
  }

  /** The lesson-named weights of {@code m.save(...)}'s archive. */
  static MlpWeights readArchive(Path file) throws CheckpointException {
    return readArchive(file, MAX_WEIGHTS_BYTES);
  }

  /**
   * As {@link #readArchive(Path)}, refusing a weights entry longer than {@code maxWeightsBytes}.
   */
  static MlpWeights readArchive(Path file, long maxWeightsBytes) throws CheckpointException {
    return readArchive(file, maxWeightsBytes, ReadLimits.forHeap());
  }

  /** As {@link #readArchive(Path, long)}, within {@code limits}. */
  static MlpWeights readArchive(Path file, long maxWeightsBytes, ReadLimits limits)
      throws CheckpointException {
    try (KerasArchive zip = KerasArchive.open(file)) {
      JsonObject config = parseConfig(file, configEntry(zip, file));
      byte[] weights = extractWeights(file, zip, Math.min(maxWeightsBytes, limits.fileBytes()));
      return LayerStack.map(
          file,
          MlpWeights.Format.KERAS_ARCHIVE,
          "a .keras archive",
          layersByConfig(file, config, weights, DatasetBudget.of(file, limits)));
    }
  }

  /**
   * Every dataset of the HDF5 file ({@code .weights.h5}) or of the archive's weights ({@code
   * .keras}), by its path in the file ({@code layers/dense/vars/0}), sorted by path, with values.
   */
  static List<CheckpointTensor> allDatasets(Path file) throws CheckpointException {
    return allDatasets(file, ReadLimits.forHeap());
  }

  /** As {@link #allDatasets(Path)}, within {@code limits}. */
  static List<CheckpointTensor> allDatasets(Path file, ReadLimits limits)
      throws CheckpointException {
    DatasetBudget budget = DatasetBudget.of(file, limits);
    if (isZip(file)) {
      try (KerasArchive zip = KerasArchive.open(file)) {
        return allDatasets(
            file,
            extractWeights(file, zip, Math.min(MAX_WEIGHTS_BYTES, limits.fileBytes())),
            budget);
      }
    }
    return allDatasets(file, BoundedHdf5.readFile(file, limits.fileBytes()), budget);
  }

  /**
   * Every dataset, each object once (hard links are not followed twice), groups nested boundedly.
   */
  private static List<CheckpointTensor> allDatasets(Path file, byte[] h5, DatasetBudget budget)
      throws CheckpointException {
    List<CheckpointTensor> out = new ArrayList<>();
    try (HdfFile hdf = openHdf(file, h5)) {
      for (BoundedHdf5.Found found : BoundedHdf5.datasets(file, hdf)) {
        out.add(read(file, found.dataset(), found.path(), budget));
      }
    } catch (RuntimeException e) {
      throw hdfError(file, e);
    }
    out.sort(Comparator.comparing(t -> t.info().name()));
    return out;
  }

  /** The archive's {@code config.json}, CRC-checked, at most {@link #MAX_CONFIG_BYTES}. */
  private static byte[] configEntry(KerasArchive zip, Path file) throws CheckpointException {
    return zip.entry(
        CONFIG_ENTRY,
        MAX_CONFIG_BYTES,
        "no " + CONFIG_ENTRY + " in the archive: not a .keras file");
  }

  /**
   * The archive's {@code model.weights.h5}, inflated into memory (never a temporary file) with a
   * byte limit and its CRC-32 checked.
   */
  private static byte[] extractWeights(Path file, KerasArchive zip, long limit)
      throws CheckpointException {
    return zip.entry(
        WEIGHTS_ENTRY,
        limit,
        "no " + WEIGHTS_ENTRY + " in the archive (sharded or .npz weights are not supported)");
  }

  private static JsonObject parseConfig(Path file, byte[] bytes) throws CheckpointException {
    JsonElement root;
    try {
      root = BoundedJson.parse(bytes);
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          CONFIG_ENTRY + " is not a JSON object: " + Messages.value(e.getMessage()),
          e);
    }
    if (!root.isJsonObject()) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, CONFIG_ENTRY + " is not a JSON object");
    }
    return root.getAsJsonObject();
  }

  /** The config's layers, in order: a Sequential's, or a Functional model's (Keras 2 and 3). */
  static List<JsonObject> configLayers(Path file, JsonObject config) throws CheckpointException {
    String modelClass = string(config, "class_name");
    JsonElement inner = config.get("config");
    JsonElement layers = inner instanceof JsonObject o ? o.get("layers") : inner;
    if (!("Sequential".equals(modelClass)
            || "Functional".equals(modelClass)
            || "Model".equals(modelClass))
        || !(layers instanceof JsonArray)) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "the model config describes a "
              + modelClass
              + ", expected a Sequential or Functional model with a list of layers (a subclassed"
              + " model has none: read its SavedModel, or its TF2 checkpoint with --map KEY=NAME)");
    }
    List<JsonObject> out = new ArrayList<>();
    for (JsonElement e : layers.getAsJsonArray()) {
      if (!e.isJsonObject() || string(e.getAsJsonObject(), "class_name") == null) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "the model config lists a layer that is no object with a class_name");
      }
      out.add(e.getAsJsonObject());
    }
    return out;
  }

  private static JsonObject layerConfig(JsonObject layer) {
    return layer.get("config") instanceof JsonObject c ? c : new JsonObject();
  }

  /** The layers in {@code config}'s order, each with its weights from the Keras 3 HDF5 file. */
  private static List<KerasLayer> layersByConfig(
      Path file, JsonObject config, byte[] h5, DatasetBudget budget) throws CheckpointException {
    List<JsonObject> layers = configLayers(file, config);
    List<KerasLayer> out = new ArrayList<>();
    Map<String, Integer> used = new HashMap<>();
    try (HdfFile hdf = openHdf(file, h5)) {
      Group layersGroup = layersGroup(file, hdf);
      for (JsonObject layer : layers) {
        String className = string(layer, "class_name");
        JsonObject layerConfig = layerConfig(layer);
        String name = string(layerConfig, "name");
        String label = name != null ? name : className;
        if (className.equals("InputLayer")) {
          continue;
        }
        // Keras names a layer's group by its class in snake case, numbered per class in order
        String snake = snakeCase(className);
        int n = used.merge(snake, 1, Integer::sum) - 1;
        String group = n == 0 ? snake : snake + "_" + n;
        List<CheckpointTensor> weights = groupWeights(file, layersGroup, group, budget);
        out.add(new KerasLayer(label, className, null, weights, layerConfig));
      }
    } catch (RuntimeException e) {
      throw hdfError(file, e);
    }
    return out;
  }

  /** A legacy {@code .h5} model's layers: {@code model_weights/<name>}'s {@code weight_names}. */
  private static List<KerasLayer> legacyLayers(Path file, JsonObject config, DatasetBudget budget)
      throws CheckpointException {
    List<JsonObject> layers = configLayers(file, config);
    List<KerasLayer> out = new ArrayList<>();
    try (HdfFile hdf = openHdf(file, budget)) {
      Node weightsNode = hdf.getChildren().get("model_weights");
      if (!(weightsNode instanceof Group modelWeights)) {
        throw new CheckpointException(
            file, CheckpointException.NO_OFFSET, "a legacy .h5 model without 'model_weights'");
      }
      for (JsonObject layer : layers) {
        String className = string(layer, "class_name");
        JsonObject layerConfig = layerConfig(layer);
        String name = string(layerConfig, "name");
        if (name == null) {
          name = string(layer, "name");
        }
        List<CheckpointTensor> weights = new ArrayList<>();
        if (name != null && modelWeights.getChildren().get(name) instanceof Group g) {
          weights = namedWeights(file, g, budget);
        }
        out.add(
            new KerasLayer(name != null ? name : className, className, null, weights, layerConfig));
      }
    } catch (RuntimeException e) {
      throw hdfError(file, e);
    }
    return out;
  }

  /** A Keras 2 {@code save_weights("w.h5")} file's layers, in {@code layer_names} order. */
  private static List<KerasLayer> legacyWeightLayers(Path file, DatasetBudget budget)
      throws CheckpointException {
    List<KerasLayer> out = new ArrayList<>();
    try (HdfFile hdf = openHdf(file, budget)) {
      Group root = hdf;
      if (hdf.getChildren().get("model_weights") instanceof Group g) {
        root = g;
      }
      String[] names = stringsAttribute(root, "layer_names");
      if (names == null) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "neither a Keras 3 weights file ('layers') nor a Keras 2 one ('layer_names'), nor a"
                + " model ('model_config'); the file has "
                + String.join(", ", hdf.getChildren().keySet()));
      }
      for (String name : names) {
        List<CheckpointTensor> weights = new ArrayList<>();
        if (root.getChildren().get(name) instanceof Group g) {
          weights = namedWeights(file, g, budget);
        }
        out.add(new KerasLayer(name, null, null, weights));
      }
    } catch (RuntimeException e) {
      throw hdfError(file, e);
    }
    return out;
  }

  /** The datasets a legacy layer group's {@code weight_names} attribute lists, in its order. */
  private static List<CheckpointTensor> namedWeights(Path file, Group g, DatasetBudget budget)
      throws CheckpointException {
    String[] names = stringsAttribute(g, "weight_names");
    List<CheckpointTensor> out = new ArrayList<>();
    if (names == null) {
      return out;
    }
    for (String n : names) {
      Node d;
      try {
        d = g.getByPath(n);
      } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
        d = null; // not there: said below
      } catch (RuntimeException e) {
        // there, but jHDF cannot parse its header (Keras's bfloat16 weights): say that, never
        // that the file does not hold it
        throw hdfError(file, e);
      }
      if (!(d instanceof Dataset dataset)) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            g.getPath() + " lists weight '" + n + "', which the file does not hold");
      }
      out.add(read(file, dataset, g.getPath().replaceFirst("^/", "") + n, budget));
    }
    return out;
  }

  private static String stringAttribute(Node node, String key) {
    io.jhdf.api.Attribute a = node.getAttributes().get(key);
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    return data instanceof String str ? str : null;
  }

  private static String[] stringsAttribute(Node node, String key) {
    io.jhdf.api.Attribute a = node.getAttributes().get(key);
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    if (data instanceof String[] strs) {
      return strs;
    }
    if (data instanceof String str) {
      return new String[] {str};
    }
    return new String[0];
  }

  /** The layers of a weights file alone: its groups, the Dense ones ordered by their number. */
  private static List<KerasLayer> layersByGroup(Path file, DatasetBudget budget)
      throws CheckpointException {
    List<KerasLayer> out = new ArrayList<>();
    try (HdfFile hdf = openHdf(file, budget)) {
      Group layers = layersGroup(file, hdf);
      List<String> names = new ArrayList<>(BoundedHdf5.children(file, layers, "layers").keySet());
      names.sort(Comparator.comparing(KerasFiles::baseName).thenComparing(KerasFiles::number));
      for (String group : names) {
        checkGroupName(file, group);
        String className =
            switch (baseName(group)) {
              case "dense" -> "Dense";
              case "flatten" -> "Flatten";
              case "dropout" -> "Dropout";
              case "input_layer" -> "InputLayer";
              case "reshape" -> "Reshape";
              case "rescaling" -> "Rescaling";
              case "normalization" -> "Normalization";
              case "batch_normalization" -> "BatchNormalization";
              case "activation" -> "Activation";
              case "re_lu" -> "ReLU";
              case "leaky_re_lu" -> "LeakyReLU";
              case "p_re_lu" -> "PReLU";
              case "elu" -> "ELU";
              case "softmax" -> "Softmax";
              default -> group;
            };
        out.add(new KerasLayer(group, className, null, groupWeights(file, layers, group, budget)));
      }
    } catch (RuntimeException e) {
      throw hdfError(file, e);
    }
    return out;
  }

  /**
   * Refuses a layer group whose name Keras cannot have written (control characters, bytes that are
   * not UTF-8, more than 256 characters): a damaged file, whose name would otherwise be echoed in
   * every message about the layer.
   */
  private static void checkGroupName(Path file, String group) throws CheckpointException {
    boolean bad = group.length() > 256 || group.isEmpty();
    for (int i = 0; i < group.length() && !bad; i++) {
      char c = group.charAt(i);
      bad = c < 0x20 || c == 0x7f || c == '\uFFFD';
    }
    if (bad) {
      String shown = group.length() <= 40 ? group : group.substring(0, 40) + "…";
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "layers/ has a group named '"
              + shown.replaceAll("[\\x00-\\x1f\\x7f\\uFFFD]", "?")
              + "' ("
              + group.length()
              + " characters): not a name Keras writes (a damaged file?)");
    }
  }

  private static String baseName(String group) {
    int underscore = group.lastIndexOf('_');
    if (underscore > 0 && group.substring(underscore + 1).matches("[0-9]{1,9}")) {
      return group.substring(0, underscore);
    }
    return group;
  }

  private static int number(String group) {
    String base = baseName(group);
    return base.length() == group.length()
        ? 0
        : Integer.parseInt(group.substring(base.length() + 1));
  }

  private static Group layersGroup(Path file, HdfFile hdf) throws CheckpointException {
    Node layers = hdf.getChildren().get("layers");
    if (!(layers instanceof Group g)) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "no 'layers' group: not a Keras 3 weights file (the file has "
              + String.join(", ", hdf.getChildren().keySet())
              + ")");
    }
    return g;
  }

  /** The datasets {@code 0, 1, ...} of {@code layers/<group>/vars}, in order. */
  private static List<CheckpointTensor> groupWeights(
      Path file, Group layers, String group, DatasetBudget budget) throws CheckpointException {
    // as in Keras, a layer without a group (or without vars) has no weights
    Node node = BoundedHdf5.children(file, layers, "layers").get(group);
    List<CheckpointTensor> out = new ArrayList<>();
    if (!(node instanceof Group g)
        || !(BoundedHdf5.children(file, g, "layers/" + group).get("vars") instanceof Group v)) {
      return out;
    }
    Map<String, Node> children = BoundedHdf5.children(file, v, "layers/" + group + "/vars");
    for (int i = 0; i < children.size(); i++) {
      Node d = children.get(Integer.toString(i));
      if (!(d instanceof Dataset dataset)) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "layers/"
                + group
                + "/vars holds "
                + children.keySet()
                + ", expected datasets 0 to "
                + (children.size() - 1));
      }
      out.add(read(file, dataset, "layers/" + group + "/vars/" + i, budget));
    }
    return out;
  }

  /**
   * One dataset as a little-endian tensor; shape and type checked, and its bytes counted against
   * the file's {@code budget}, before anything is read.
   */
  private static CheckpointTensor read(Path file, Dataset d, String name, DatasetBudget budget)
      throws CheckpointException {
    // rank, size (exact) against the file and the heap, filters, storage: before jHDF reads
    long size = BoundedHdf5.checkSize(file, d, name, d.getHdfFile().size(), budget.limits());
    budget.take(name, size);
    int[] dims = d.getDimensions();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    long elements = size == 0 ? 0 : size / d.getDataType().getSize();
    Class<?> type = d.getJavaType();
    DataType dtype = dtypeOf(type);
    if (dtype == null) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "dataset "
              + name
              + " holds "
              + type.getSimpleName()
              + " values, expected float32, float64, int32 or int64 (what Keras saves)");
    }
    if (d instanceof ContiguousDataset c && !d.isEmpty()) {
      // a cut file maps its missing tail as zeros: check the data lies within the file
      long fileSize = d.getHdfFile().size();
      long end = c.getDataAddress() + d.getSizeInBytes();
      if (c.getDataAddress() < 0 || end < c.getDataAddress() || end > fileSize) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "dataset "
                + name
                + " lies at bytes "
                + c.getDataAddress()
                + " to "
                + end
                + ", past the end of the "
                + fileSize
                + "-byte HDF5 file (truncated?)");
      }
    }
    if (d.isEmpty() || elements == 0) {
      return new CheckpointTensor(new TensorInfo(name, dtype, shape), new byte[0], List.of());
    }
    Object values = d.isScalar() ? d.getData() : d.getDataFlat();
    if (dtype == DataType.DT_FLOAT
        && d.getDataType() instanceof io.jhdf.object.datatype.FloatingPoint fp
        && fp.getSize() == 2
        && values instanceof float[] halves) {
      // jHDF widens float16 to float: keep the file's dtype, as h5py shows it, in half bits
      ByteBuffer bits = ByteBuffer.allocate(halves.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : halves) {
        bits.putShort((short) halfBits(f));
      }
      return new CheckpointTensor(
          new TensorInfo(name, DataType.DT_HALF, shape), bits.array(), List.of());
    }
    ByteBuffer bytes =
        ByteBuffer.allocate(Math.toIntExact(elements * elementSize(dtype)))
            .order(ByteOrder.LITTLE_ENDIAN);
    if (values instanceof float[] f) {
      bytes.asFloatBuffer().put(f);
    } else if (values instanceof double[] v) {
      bytes.asDoubleBuffer().put(v);
    } else if (values instanceof long[] v) {
      bytes.asLongBuffer().put(v);
    } else if (values instanceof int[] v) {
      bytes.asIntBuffer().put(v);
    } else if (values instanceof Float v) {
      bytes.putFloat(0, v);
    } else if (values instanceof Double v) {
      bytes.putDouble(0, v);
    } else if (values instanceof Long v) {
      bytes.putLong(0, v);
    } else if (values instanceof Integer v) {
      bytes.putInt(0, v);
    } else {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "dataset " + name + " holds " + values.getClass().getSimpleName() + ", expected numbers");
    }
    return new CheckpointTensor(new TensorInfo(name, dtype, shape), bytes.array(), List.of());
  }

  /** The IEEE half-precision bits of {@code f}, which is one (read from a float16 dataset). */
  static int halfBits(float f) {
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0);
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1f) {
      return sign | 0x7c00;
    }
    if (e <= 0) {
      if (e < -10) {
        return sign;
      }
      int m = (mantissa | 0x800000) >> (1 - e);
      return sign | ((m + 0x1000) >> 13);
    }
    return sign | (e << 10) | ((mantissa + 0x1000) >> 13);
  }

  private static int elementSize(DataType dtype) {
    return dtype == DataType.DT_FLOAT || dtype == DataType.DT_INT32 ? 4 : 8;
  }

  /** The dtype of the numbers jHDF reads as {@code type}, or {@code null} for other data. */
  private static DataType dtypeOf(Class<?> type) {
    if (type == float.class || type == Float.class) {
      return DataType.DT_FLOAT;
    }
    if (type == double.class || type == Double.class) {
      return DataType.DT_DOUBLE;
    }
    if (type == long.class || type == Long.class) {
      return DataType.DT_INT64;
    }
    if (type == int.class || type == Integer.class) {
      return DataType.DT_INT32;
    }
    return null;
  }

  /** The HDF5 file read into memory first (bounded), so no size in it reaches past its end. */
  private static HdfFile openHdf(Path file, DatasetBudget budget) throws CheckpointException {
    return openHdf(file, BoundedHdf5.readFile(file, budget.limits().fileBytes()));
  }

  private static HdfFile openHdf(Path file, byte[] h5) throws CheckpointException {
    return BoundedHdf5.fromBytes(file, h5);
  }

  static CheckpointException hdfError(Path file, RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (failsOnOpaqueType(e)) {
      // h5py stores a numpy void dtype (ml_dtypes' bfloat16, as Keras 3 saves bfloat16 weights)
      // as an HDF5 opaque type with an empty tag; jHDF 0.9.4 reads the tag as a NUL-terminated
      // string and runs off its zero-length buffer, so the dataset's header cannot be parsed
      return new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "the HDF5 reader (jHDF) cannot parse a weight's datatype, an HDF5 opaque type with an"
              + " empty tag, which is how h5py stores Keras's bfloat16 weights ("
              + message
              + ": "
              + root.getMessage()
              + "); read the model's TF2 checkpoint or SavedModel, or save it in float32 or"
              + " float16",
          e);
    }
    if (message.contains("/vars/")) {
      return new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "the HDF5 reader (jHDF) cannot read a weight's header: "
              + message
              + " ("
              + root.getMessage()
              + ")",
          e);
    }
    return new CheckpointException(
        file, CheckpointException.NO_OFFSET, "not a readable HDF5 file: " + message, e);
  }

  /** Whether jHDF failed while parsing an opaque datatype (its stack passes OpaqueDataType). */
  static boolean failsOnOpaqueType(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().equals("io.jhdf.object.datatype.OpaqueDataType")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  /**
   * Keras's {@code to_snake_case}: {@code Dense} -> {@code dense}, {@code Conv2D} -> {@code
   * conv2d}.
   */
  static String snakeCase(String name) {
    String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
