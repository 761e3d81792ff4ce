package org.dnnlessons.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;

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
 * into memory with a byte limit and their CRC-32 checked ({@link KerasArchive}), the HDF5 file is
 * read through {@link BoundedHdf5} (groups walked once each, datasets' sizes checked against the
 * file and the heap before jHDF reads them), {@code config.json} parsed with a depth limit ({@link
 * BoundedJson}).
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
    return java.util.Arrays.equals(head, HDF5_SIGNATURE);
  }

  private static byte[] head(Path file, int n) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(n);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** The lesson-named weights of {@code m.save_weights(...)}'s file. */
  static MlpWeights readWeightsH5(Path file) throws CheckpointException {
    try (BoundedHdf5 h5 = BoundedHdf5.open(file, ReadLimits.forHeap())) {
      return DenseStack.map(file, MlpWeights.Format.KERAS_WEIGHTS_H5, layersByGroup(file, h5));
    }
  }

  /** The lesson-named weights of {@code m.save(...)}'s archive. */
  static MlpWeights readArchive(Path file) throws CheckpointException {
    return readArchive(file, MAX_WEIGHTS_BYTES);
  }

  /**
   * As {@link #readArchive(Path)}, refusing a weights entry longer than {@code maxWeightsBytes}.
   */
  static MlpWeights readArchive(Path file, long maxWeightsBytes) throws CheckpointException {
    ReadLimits limits = ReadLimits.forHeap();
    try (KerasArchive zip = KerasArchive.open(file)) {
      JsonObject config =
          parseConfig(
              file,
              zip.entry(
                  CONFIG_ENTRY,
                  MAX_CONFIG_BYTES,
                  "no " + CONFIG_ENTRY + " in the archive: not a .keras file"));
      try (BoundedHdf5 h5 =
          weights(file, zip, Math.min(maxWeightsBytes, limits.fileBytes()), limits)) {
        return DenseStack.map(
            file, MlpWeights.Format.KERAS_ARCHIVE, layersByConfig(file, config, h5));
      }
    }
  }

  /**
   * Every dataset of the HDF5 file ({@code .weights.h5}) or of the archive's weights ({@code
   * .keras}), by its path in the file ({@code layers/dense/vars/0}), sorted by path, with values.
   */
  static List<CheckpointTensor> allDatasets(Path file) throws CheckpointException {
    ReadLimits limits = ReadLimits.forHeap();
    if (isZip(file)) {
      try (KerasArchive zip = KerasArchive.open(file);
          BoundedHdf5 h5 =
              weights(file, zip, Math.min(MAX_WEIGHTS_BYTES, limits.fileBytes()), limits)) {
        return allDatasets(h5);
      }
    }
    try (BoundedHdf5 h5 = BoundedHdf5.open(file, limits)) {
      return allDatasets(h5);
    }
  }

  private static List<CheckpointTensor> allDatasets(BoundedHdf5 h5) throws CheckpointException {
    List<CheckpointTensor> out = new ArrayList<>();
    for (BoundedHdf5.Found found : h5.datasets()) {
      out.add(h5.read(found.dataset(), found.path()));
    }
    out.sort(Comparator.comparing(t -> t.info().name()));
    return out;
  }

  /** The archive's {@code model.weights.h5}, inflated into memory with a byte limit. */
  private static BoundedHdf5 weights(Path file, KerasArchive zip, long limit, ReadLimits limits)
      throws CheckpointException {
    byte[] bytes =
        zip.entry(
            WEIGHTS_ENTRY,
            limit,
            "no " + WEIGHTS_ENTRY + " in the archive (sharded or .npz weights are not supported)");
    return BoundedHdf5.of(file, bytes, limits);
  }

  private static JsonObject parseConfig(Path file, byte[] bytes) throws CheckpointException {
    JsonElement root;
    try {
      root = BoundedJson.parse(bytes);
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          CONFIG_ENTRY + " is not a JSON object: " + elided(String.valueOf(e.getMessage())),
          e);
    }
    if (!root.isJsonObject()) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, CONFIG_ENTRY + " is not a JSON object");
    }
    return root.getAsJsonObject();
  }

  /** The layers in {@code config.json}'s order, each with its weights from the HDF5 file. */
  private static List<KerasLayer> layersByConfig(Path file, JsonObject config, BoundedHdf5 h5)
      throws CheckpointException {
    String modelClass = string(config, "class_name");
    JsonElement inner = config.get("config");
    if (!("Sequential".equals(modelClass) || "Functional".equals(modelClass))
        || inner == null
        || !inner.isJsonObject()
        || !(inner.getAsJsonObject().get("layers") instanceof JsonArray)) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          CONFIG_ENTRY
              + " describes a "
              + modelClass
              + ", expected a Sequential or Functional model with a list of layers");
    }
    JsonArray layers = inner.getAsJsonObject().getAsJsonArray("layers");
    if (layers.size() > BoundedHdf5.MAX_CHILDREN) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          CONFIG_ENTRY
              + " lists "
              + layers.size()
              + " layers, more than the "
              + BoundedHdf5.MAX_CHILDREN
              + " this reader accepts");
    }
    List<KerasLayer> out = new ArrayList<>();
    Map<String, Integer> used = new HashMap<>();
    {
      Group layersGroup = layersGroup(file, h5);
      for (JsonElement e : layers) {
        if (!e.isJsonObject()) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              CONFIG_ENTRY + " lists a layer that is no object");
        }
        JsonObject layer = e.getAsJsonObject();
        String className = string(layer, "class_name");
        JsonObject layerConfig = layer.get("config") instanceof JsonObject c ? c : new JsonObject();
        String name = string(layerConfig, "name");
        if (className == null) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              CONFIG_ENTRY + " lists a layer without class_name");
        }
        String label = name != null ? name : className;
        if (className.equals("InputLayer")) {
          continue;
        }
        // Keras names a layer's group by its class in snake case, numbered per class in order
        String snake = snakeCase(className);
        int n = used.merge(snake, 1, Integer::sum) - 1;
        String group = n == 0 ? snake : snake + "_" + n;
        List<CheckpointTensor> weights = groupWeights(file, h5, layersGroup, group);
        out.add(new KerasLayer(label, className, activation(layerConfig, className), weights));
      }
    }
    return out;
  }

  /** A Dense layer's activation as {@code config.json} gives it; {@code null} for other layers. */
  private static String activation(JsonObject layerConfig, String className) {
    if (!className.equals("Dense")) {
      return null;
    }
    JsonElement a = layerConfig.get("activation");
    if (a == null || a.isJsonNull()) {
      return "linear";
    }
    if (a.isJsonPrimitive()) {
      return a.getAsString();
    }
    if (a.isJsonObject()) {
      String config = string(a.getAsJsonObject(), "config");
      return config != null ? config : "custom " + string(a.getAsJsonObject(), "class_name");
    }
    return a.toString();
  }

  /** The layers of a weights file alone: its groups, the Dense ones ordered by their number. */
  private static List<KerasLayer> layersByGroup(Path file, BoundedHdf5 h5)
      throws CheckpointException {
    List<KerasLayer> out = new ArrayList<>();
    {
      Group layers = layersGroup(file, h5);
      List<String> names = new ArrayList<>(h5.children(layers, "layers").keySet());
      names.sort(Comparator.comparing(KerasFiles::baseName).thenComparing(KerasFiles::number));
      for (String group : names) {
        String className =
            switch (baseName(group)) {
              case "dense" -> "Dense";
              case "flatten" -> "Flatten";
              case "dropout" -> "Dropout";
              case "input_layer" -> "InputLayer";
              default -> group;
            };
        out.add(new KerasLayer(group, className, null, groupWeights(file, h5, layers, group)));
      }
    }
    return out;
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

  private static Group layersGroup(Path file, BoundedHdf5 h5) throws CheckpointException {
    Map<String, Node> root = h5.children(h5.root(), "");
    Node layers = root.get("layers");
    if (!(layers instanceof Group g)) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "no 'layers' group: not a Keras 3 weights file (the file has "
              + elided(String.join(", ", root.keySet()))
              + ")");
    }
    return g;
  }

  /** The datasets {@code 0, 1, ...} of {@code layers/<group>/vars}, in order. */
  private static List<CheckpointTensor> groupWeights(
      Path file, BoundedHdf5 h5, Group layers, String group) throws CheckpointException {
    // as in Keras, a layer without a group (or without vars) has no weights
    Node node = h5.children(layers, "layers").get(group);
    List<CheckpointTensor> out = new ArrayList<>();
    if (!(node instanceof Group g)
        || !(h5.children(g, "layers/" + group).get("vars") instanceof Group v)) {
      return out;
    }
    Map<String, Node> children = h5.children(v, "layers/" + group + "/vars");
    for (int i = 0; i < children.size(); i++) {
      Node d = children.get(Integer.toString(i));
      if (!(d instanceof Dataset dataset)) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "layers/"
                + group
                + "/vars holds "
                + elided(children.keySet().toString())
                + ", expected datasets 0 to "
                + (children.size() - 1));
      }
      out.add(h5.read(dataset, "layers/" + group + "/vars/" + i));
    }
    return out;
  }

  private static String elided(String text) {
    return text.length() <= 200 ? text : text.substring(0, 160) + "…(" + text.length() + " chars)";
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
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
