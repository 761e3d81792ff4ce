package org.dnnlessons.keras;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.ProtoLimits;
import org.dnnlessons.checkpoint.TensorInfo;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject.ObjectReference;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject.SerializedTensor;

/**
 * The layers of a Keras model found by following a TensorFlow 2 object graph: the {@code
 * TrackableObjectGraph} that {@code tf.train.Checkpoint.save} stores under the key {@code
 * _CHECKPOINTABLE_OBJECT_GRAPH} (the SavedModel's {@code variables/variables} bundle holds one
 * too).
 *
 * <p>From the root it walks to the model (the root itself, its child {@code model}, or its only
 * child that is a model), through Keras 3's {@code _functional} to the {@code _operations} list (or
 * tf.keras 2's {@code layer-0}, {@code layer-1}, ...), and takes each layer's variables from its
 * children {@code kernel}/{@code _kernel} and {@code bias}, reading each variable under the
 * checkpoint key its node names. Keys are never guessed, and optimizer slot variables (Adam's
 * moments, with the kernels' shapes) are never reached: they hang off the optimizer, not the
 * layers. A SavedModel written by Keras's {@code model.export} keeps no layers, only the variables
 * in model order; their layers are then read from the variables' names in {@code saved_model.pb}.
 */
final class ObjectGraphModel {

  /** The checkpoint key of the serialized object graph. */
  static final String OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

  /** Object graphs larger than this are refused (a Keras model's is a few kilobytes). */
  static final long MAX_OBJECT_GRAPH_BYTES = 64L << 20;

  private static final String VARIABLE_VALUE = "VARIABLE_VALUE";

  /** How many {@code _functional} wrappers may lead from the model to its layers. */
  private static final int MAX_NESTING = 4;

  private final Path file;
  private final CheckpointReader reader;
  private final List<TrackableObject> nodes;
  private final Map<String, CheckpointTensor> values = new HashMap<>();

  private ObjectGraphModel(Path file, CheckpointReader reader, List<TrackableObject> nodes) {
    this.file = file;
    this.reader = reader;
    this.nodes = nodes;
  }

  /**
   * True when the checkpoint holds an object graph (TensorFlow 2's {@code tf.train.Checkpoint}).
   */
  static boolean hasObjectGraph(CheckpointReader reader) {
    return reader.contains(OBJECT_GRAPH_KEY);
  }

  /**
   * The layers of the Keras model in the checkpoint's object graph.
   *
   * @param savedObjects the SavedModel's object graph (for variable names), or {@code null} for a
   *     checkpoint
   */
  static List<KerasLayer> layers(CheckpointReader reader, SavedObjectGraph savedObjects)
      throws CheckpointException {
    ObjectGraphModel graph = new ObjectGraphModel(reader.prefix(), reader, nodes(reader));
    return graph.layers(savedObjects);
  }

  private static List<TrackableObject> nodes(CheckpointReader reader) throws CheckpointException {
    return parse(reader).getNodesList();
  }

  /** The checkpoint's object graph, checked: every child refers to a node it has. */
  static TrackableObjectGraph parse(CheckpointReader reader) throws CheckpointException {
    Path prefix = reader.prefix();
    TensorInfo info = reader.info(OBJECT_GRAPH_KEY);
    if (info.shape().length != 0 || info.dtype() != DataType.DT_STRING) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          OBJECT_GRAPH_KEY
              + " is "
              + info.numpyType()
              + " "
              + info.compactShape()
              + ", expected a string scalar");
    }
    CheckpointTensor t = reader.read(OBJECT_GRAPH_KEY);
    byte[] bytes = t.strings().get(0);
    if (bytes.length > MAX_OBJECT_GRAPH_BYTES) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          OBJECT_GRAPH_KEY
              + " is "
              + bytes.length
              + " bytes, more than the "
              + MAX_OBJECT_GRAPH_BYTES
              + " this reader accepts");
    }
    return parse(prefix, bytes);
  }

  /**
   * The layers of the Keras model in {@code graph}, a serialized object graph, with the variables
   * from {@code reader} (the fuzz's seam: a mutated graph against real variables).
   */
  static List<KerasLayer> layersOfGraph(CheckpointReader reader, byte[] graph)
      throws CheckpointException {
    return new ObjectGraphModel(
            reader.prefix(), reader, parse(reader.prefix(), graph).getNodesList())
        .layers(null);
  }

  private static TrackableObjectGraph parse(Path prefix, byte[] bytes) throws CheckpointException {
    ProtoLimits.check(
        prefix,
        OBJECT_GRAPH_KEY,
        bytes,
        TrackableObjectGraph.getDescriptor(),
        ReadLimits.forHeap().protoMessages());
    TrackableObjectGraph graph;
    try {
      graph = TrackableObjectGraph.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          OBJECT_GRAPH_KEY + " is not a TrackableObjectGraph: " + e.getMessage(),
          e);
    }
    List<TrackableObject> nodes = graph.getNodesList();
    if (nodes.isEmpty()) {
      throw new CheckpointException(
          prefix, CheckpointException.NO_OFFSET, "the object graph has no root object");
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (ObjectReference child : nodes.get(i).getChildrenList()) {
        if (child.getNodeId() < 0 || child.getNodeId() >= nodes.size()) {
          throw new CheckpointException(
              prefix,
              CheckpointException.NO_OFFSET,
              "object "
                  + i
                  + "'s child '"
                  + child.getLocalName()
                  + "' refers to object "
                  + child.getNodeId()
                  + ", but the object graph has "
                  + nodes.size());
        }
      }
    }
    return graph;
  }

  private List<KerasLayer> layers(SavedObjectGraph savedObjects) throws CheckpointException {
    Located model = findModel(new Located("", 0));
    if (model != null) {
      List<KerasLayer> layers = new ArrayList<>();
      for (Located layer : layerList(model)) {
        layers.add(layer(layer));
      }
      return layers;
    }
    if (savedObjects != null
        && (child(0, "variables") != null || child(0, "trainable_variables") != null)) {
      return exportedLayers(savedObjects);
    }
    Integer named = child(0, "model");
    if (named != null) {
      // a subclassed keras.Model (or a tf.Module) keeps its layers as attributes, not in a list
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "the object graph's 'model' ("
              + childNames(named)
              + ") keeps no layer list (_functional, _operations, layer-N), as a subclassed"
              + " model or a tf.Module does: read its keys with --map KEY=NAME (inspect lists"
              + " them), or its SavedModel");
    }
    // the root may well be a Keras model (a subclassed one saved by tf.saved_model.save): say only
    // what the graph shows, that no object in it keeps a layer list
    throw new CheckpointException(
        file,
        CheckpointException.NO_OFFSET,
        "the object graph's root ("
            + childNames(0)
            + ") keeps no layer list (_functional, _operations, layer-N), nor has a child 'model'"
            + " (tf.train.Checkpoint(model=m)) that does, as a subclassed model or a tf.Module:"
            + " read its keys with --map KEY=NAME (inspect lists them)");
  }

  /** An object and the path of child names that leads to it from the root. */
  private record Located(String path, int id) {
    Located child(String name, int childId) {
      return new Located(path.isEmpty() ? name : path + "/" + name, childId);
    }
  }

  private Located findModel(Located at) {
    if (isModel(at.id())) {
      return at;
    }
    Integer named = child(at.id(), "model");
    if (named != null && isModel(named)) {
      return at.child("model", named);
    }
    Located only = null;
    for (ObjectReference c : nodes.get(at.id()).getChildrenList()) {
      if (isModel(c.getNodeId())) {
        if (only != null) {
          return null;
        }
        only = at.child(c.getLocalName(), c.getNodeId());
      }
    }
    return only;
  }

  private boolean isModel(int id) {
    return child(id, "_functional") != null
        || child(id, "_operations") != null
        || child(id, "layer-0") != null;
  }

  private List<Located> layerList(Located model) throws CheckpointException {
    // Keras 3 wraps a Sequential's layers in one _functional object; a crafted graph could chain
    // (or loop) them without end
    for (int depth = 0; child(model.id(), "_functional") != null; depth++) {
      if (depth == MAX_NESTING) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "'" + model.path() + "' nests _functional objects more than " + MAX_NESTING + " deep");
      }
      model = model.child("_functional", child(model.id(), "_functional"));
    }
    Integer operations = child(model.id(), "_operations");
    List<Located> layers = new ArrayList<>();
    if (operations != null) {
      Located list = model.child("_operations", operations);
      for (ObjectReference c : sortedByIndex(list, "")) {
        layers.add(list.child(c.getLocalName(), c.getNodeId()));
      }
      return layers;
    }
    for (ObjectReference c : sortedByIndex(model, "layer-")) {
      layers.add(model.child(c.getLocalName(), c.getNodeId()));
    }
    return layers;
  }

  /** The children named {@code prefix + N}, ordered by N. */
  private List<ObjectReference> sortedByIndex(Located parent, String prefix)
      throws CheckpointException {
    List<ObjectReference> out = new ArrayList<>();
    Map<ObjectReference, Integer> index = new HashMap<>();
    for (ObjectReference c : nodes.get(parent.id()).getChildrenList()) {
      String name = c.getLocalName();
      if (!name.startsWith(prefix)) {
        continue;
      }
      try {
        index.put(c, Integer.parseInt(name.substring(prefix.length())));
      } catch (NumberFormatException e) {
        if (prefix.isEmpty()) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "'" + parent.path() + "' lists a layer named '" + name + "', expected 0, 1, 2, ...");
        }
        continue;
      }
      out.add(c);
    }
    out.sort(Comparator.comparing(index::get));
    return out;
  }

  private KerasLayer layer(Located layer) throws CheckpointException {
    if (isModel(layer.id())) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "layer '" + layer.path() + "' is itself a model; the lesson's MLP is one flat stack");
    }
    List<CheckpointTensor> weights = new ArrayList<>();
    CheckpointTensor kernel = null;
    CheckpointTensor bias = null;
    for (ObjectReference c : nodes.get(layer.id()).getChildrenList()) {
      String key = variableKey(c.getNodeId());
      if (key == null) {
        continue;
      }
      CheckpointTensor value = read(key);
      String name = layer.path() + "/" + c.getLocalName();
      CheckpointTensor named =
          new CheckpointTensor(
              new TensorInfo(name, value.info().dtype(), value.info().shape()),
              value.data(),
              value.strings());
      switch (c.getLocalName()) {
        case "kernel", "_kernel" -> kernel = named;
        case "bias" -> bias = named;
        default -> weights.add(named);
      }
    }
    List<CheckpointTensor> ordered = new ArrayList<>();
    if (kernel != null) {
      ordered.add(kernel);
    }
    if (bias != null) {
      ordered.add(bias);
    }
    ordered.addAll(weights);
    return new KerasLayer(layer.path(), null, null, ordered);
  }

  /**
   * Layers of a SavedModel from Keras's {@code model.export}: its root lists the variables in model
   * order, and {@code saved_model.pb} gives each its Keras path ({@code sequential/dense/kernel});
   * consecutive variables of one layer path form a layer.
   */
  private List<KerasLayer> exportedLayers(SavedObjectGraph saved) throws CheckpointException {
    // all the variables (BatchNormalization's moving statistics, Normalization's are not trainable)
    String listName = child(0, "variables") != null ? "variables" : "trainable_variables";
    Located list = new Located(listName, child(0, listName));
    Map<String, List<CheckpointTensor>> byLayer = new LinkedHashMap<>();
    for (ObjectReference c : sortedByIndex(list, "")) {
      String key = variableKey(c.getNodeId());
      if (key == null) {
        continue;
      }
      if (c.getNodeId() >= saved.getNodesCount() || !saved.getNodes(c.getNodeId()).hasVariable()) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "saved_model.pb has no variable for object " + c.getNodeId() + " (" + key + ")");
      }
      String path = saved.getNodes(c.getNodeId()).getVariable().getName();
      int slash = path.lastIndexOf('/');
      String layerPath = slash < 0 ? path : path.substring(0, slash);
      CheckpointTensor value = read(key);
      List<CheckpointTensor> weights = byLayer.computeIfAbsent(layerPath, k -> new ArrayList<>());
      CheckpointTensor named =
          new CheckpointTensor(
              new TensorInfo(path, value.info().dtype(), value.info().shape()),
              value.data(),
              value.strings());
      weights.add(named);
    }
    List<KerasLayer> layers = new ArrayList<>();
    for (Map.Entry<String, List<CheckpointTensor>> e : byLayer.entrySet()) {
      List<CheckpointTensor> weights = new ArrayList<>(e.getValue());
      // a Dense layer's kernel, then its bias, whatever order the list gave
      weights.sort(Comparator.comparingInt(w -> rank(w.info().name())));
      layers.add(new KerasLayer(e.getKey(), null, null, weights));
    }
    return layers;
  }

  private static int rank(String path) {
    return path.endsWith("/kernel") ? 0 : path.endsWith("/bias") ? 1 : 2;
  }

  /** The checkpoint key of a variable object, or {@code null} when the object is no variable. */
  private String variableKey(int id) {
    for (SerializedTensor a : nodes.get(id).getAttributesList()) {
      if (a.getName().equals(VARIABLE_VALUE)) {
        return a.getCheckpointKey();
      }
    }
    return null;
  }

  /**
   * Reads a variable once however many objects refer to it, so a crafted graph that lists one large
   * variable many times costs no more memory than the checkpoint holds.
   */
  private CheckpointTensor read(String key) throws CheckpointException {
    CheckpointTensor t = values.get(key);
    if (t == null) {
      if (!reader.contains(key)) {
        // a damaged graph's key can be long and binary: elided, not echoed whole
        String shown = key.length() <= 120 ? key : key.substring(0, 100) + "…";
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "the object graph names variable '"
                + shown.replaceAll("[^\\x20-\\x7e…]", "?")
                + "' ("
                + key.length()
                + " chars), which the checkpoint does not hold");
      }
      t = reader.read(key);
      values.put(key, t);
    }
    return t;
  }

  private Integer child(int id, String name) {
    for (ObjectReference c : nodes.get(id).getChildrenList()) {
      if (c.getLocalName().equals(name)) {
        return c.getNodeId();
      }
    }
    return null;
  }

  private String childNames(int id) {
    List<String> names = new ArrayList<>();
    for (ObjectReference c : nodes.get(id).getChildrenList()) {
      names.add(c.getLocalName());
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
