package org.dnnlessons.keras;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.ProtoLimits;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The lesson's checkpoints ({@code train --save}, Python's {@code tf.compat.v1.train.Saver}): the
 * Dense layers from the names ({@code hidden_layer/weights}, {@code hidden_layer_2/...}, {@code
 * out/weights}; biases when present), their activations from the {@code .meta} graph beside the
 * checkpoint: the ops between each layer's {@code MatMul} (and bias {@code Add}) and the next
 * layer's. Without a {@code .meta} file the hidden layers are ReLU, as the lesson's, and a note
 * says so. A graph with ops this reader does not map (between {@code x_flat} and the first layer,
 * or after a layer) is refused in one line naming them. Pure Java: the graph is read as a protocol
 * buffer.
 */
final class LessonCheckpoints {

  /** {@code .meta} files larger than this are refused (the lesson's are under 1 MB). */
  static final long MAX_META_BYTES = 256L << 20;

  /**
   * The forward ops each activation adds (as {@link Activation#apply} builds them, and Python's
   * {@code tf.nn} ops), sorted; {@code AddV2}, {@code RealDiv} and {@code SelectV2} are read as
   * {@code Add}, {@code Div} and {@code Select}.
   */
  static final Map<List<String>, Activation.Kind> SIGNATURES = new LinkedHashMap<>();

  static {
    sig(Activation.Kind.LINEAR);
    sig(Activation.Kind.RELU, "Relu");
    sig(Activation.Kind.RELU6, "Relu6");
    sig(Activation.Kind.LEAKY_RELU, "LeakyRelu");
    sig(Activation.Kind.ELU, "Elu");
    sig(Activation.Kind.SELU, "Selu");
    sig(Activation.Kind.GELU, "Mul", "Neg", "Mul", "Erfc", "Mul");
    sig(Activation.Kind.GELU_APPROXIMATE, "Mul", "Pow", "Mul", "Add", "Mul", "Tanh", "Add", "Mul");
    sig(Activation.Kind.SIGMOID, "Sigmoid");
    sig(Activation.Kind.HARD_SIGMOID, "Add", "Relu6", "Div");
    sig(Activation.Kind.TANH, "Tanh");
    sig(Activation.Kind.SOFTPLUS, "Softplus");
    sig(Activation.Kind.SOFTSIGN, "Softsign");
    sig(Activation.Kind.SILU, "Sigmoid", "Mul");
    sig(Activation.Kind.MISH, "Softplus", "Tanh", "Mul");
    sig(Activation.Kind.EXPONENTIAL, "Exp");
    sig(Activation.Kind.SOFTMAX, "Softmax");
    sig(Activation.Kind.LOG_SOFTMAX, "LogSoftmax");
    sig(Activation.Kind.HARD_SILU, "Add", "Relu6", "Div", "Mul");
  }

  private static void sig(Activation.Kind kind, String... ops) {
    List<String> sorted = new ArrayList<>(Arrays.asList(ops));
    sorted.sort(null);
    SIGNATURES.put(List.copyOf(sorted), kind);
  }

  private LessonCheckpoints() {}

  static MlpWeights read(CheckpointReader reader) throws CheckpointException {
    Path prefix = reader.prefix();
    List<String> scopes = new ArrayList<>();
    for (int i = 0; reader.contains(Mlp.hiddenScope(i) + "/weights"); i++) {
      String name = Mlp.hiddenScope(i) + "/weights";
      long[] shape = reader.info(name).shape();
      if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE) {
        throw new CheckpointException(
            prefix,
            CheckpointException.NO_OFFSET,
            "'"
                + name
                + "' has shape "
                + reader.info(name).compactShape()
                + ", expected [inputs, width] with a width from 1 to "
                + Integer.MAX_VALUE);
      }
      scopes.add(Mlp.hiddenScope(i));
    }
    if (!reader.contains("out/weights")) {
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "no out/weights"
              + (scopes.isEmpty() ? "" : " (it has " + scopes.get(0) + "/weights)")
              + ": not a checkpoint of the lesson's MLP (nor of a Keras model: it has no object"
              + " graph)"
              + reader.closestNames("out/weights"));
    }
    scopes.add("out");
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    List<ModelDescription.Layer> layers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Path meta = Path.of(prefix + ".meta");
    Graph graph = Files.isRegularFile(meta) ? Graph.parse(meta) : null;
    long previous = -1;
    for (int i = 0; i < scopes.size(); i++) {
      String scope = scopes.get(i);
      boolean output = i == scopes.size() - 1;
      long[] shape = reader.info(scope + "/weights").shape();
      if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE) {
        throw new CheckpointException(
            prefix,
            CheckpointException.NO_OFFSET,
            scope + "/weights has shape " + Arrays.toString(shape) + ", expected [inputs, units]");
      }
      if (previous >= 0 && shape[0] != previous) {
        throw new CheckpointException(
            prefix,
            CheckpointException.NO_OFFSET,
            scope
                + "/weights has "
                + shape[0]
                + " inputs, but the layer before it has "
                + previous
                + " units");
      }
      previous = shape[1];
      boolean bias = reader.contains(scope + "/biases");
      Activation activation =
          graph != null
              ? graph.activation(prefix, scope, bias, output)
              : output ? Activation.LINEAR : Activation.RELU;
      layers.add(new ModelDescription.Dense(scope, (int) shape[1], bias, activation));
      List<String> keys = bias ? List.of("/weights", "/biases") : List.of("/weights");
      for (String k : keys) {
        CheckpointTensor t = reader.read(scope + k);
        tensors.put(scope + k, t);
        names.put(scope + k, scope + k);
      }
    }
    ModelDescription model;
    try {
      model = new ModelDescription(1.0, layers);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(prefix, CheckpointException.NO_OFFSET, e.getMessage());
    }
    if (graph != null) {
      graph.checkInput(prefix, scopes.get(0));
    } else if (model.dense().size() > 1) {
      notes.add(
          prefix
              + ": no .meta graph beside the checkpoint; its hidden layers are read as relu, as"
              + " the lesson's");
    }
    return new MlpWeights(
        prefix, MlpWeights.Format.LESSON_CHECKPOINT, model, tensors, names, notes);
  }

  /** The forward part of a {@code .meta} graph. */
  private static final class Graph {
    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final Map<String, List<NodeDef>> consumers = new HashMap<>();

    static Graph parse(Path meta) throws CheckpointException {
      try {
        byte[] bytes = BoundedHdf5.readFile(meta, MAX_META_BYTES);
        ProtoLimits.check(
            meta, "the .meta file", bytes, MetaGraphDef.getDescriptor(), ProtoLimits.forHeap());
        MetaGraphDef def = MetaGraphDef.parseFrom(bytes);
        Graph g = new Graph();
        for (NodeDef n : def.getGraphDef().getNodeList()) {
          if (isTraining(n.getName())) {
            continue;
          }
          g.nodes.put(n.getName(), n);
        }
        for (NodeDef n : g.nodes.values()) {
          for (String input : n.getInputList()) {
            if (input.startsWith("^")) {
              continue;
            }
            String source = input.replaceFirst(":\\d+$", "");
            g.consumers.computeIfAbsent(source, k -> new ArrayList<>()).add(n);
          }
        }
        return g;
      } catch (InvalidProtocolBufferException e) {
        throw new CheckpointException(
            meta, CheckpointException.NO_OFFSET, "not a MetaGraphDef: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new CheckpointException(
            meta, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
      }
    }

    private static boolean isTraining(String name) {
      return name.startsWith("gradients")
          || name.startsWith("save")
          || name.startsWith("GradientDescent")
          || name.startsWith("train_op")
          || name.contains("/gradients")
          || name.contains("Initializer")
          || name.contains("random_normal");
    }

    private List<NodeDef> consumersOf(String name) {
      return consumers.getOrDefault(name, List.of());
    }

    /** The {@code MatMul} that reads {@code scope/weights}, through identities. */
    private NodeDef matMul(Path prefix, String scope) throws CheckpointException {
      Deque<String> todo = new ArrayDeque<>(List.of(scope + "/weights"));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String name = todo.poll();
        if (!seen.add(name) || seen.size() > 64) {
          continue;
        }
        for (NodeDef c : consumersOf(name)) {
          if (c.getOp().equals("MatMul")) {
            return c;
          }
          if (c.getOp().equals("Identity") || c.getOp().equals("ReadVariableOp")) {
            todo.add(c.getName());
          }
        }
      }
      throw new CheckpointException(
          prefix,
          CheckpointException.NO_OFFSET,
          "the .meta graph has no MatMul reading " + scope + "/weights");
    }

    Activation activation(Path prefix, String scope, boolean bias, boolean output)
        throws CheckpointException {
      NodeDef pre = matMul(prefix, scope);
      if (bias) {
        NodeDef add = null;
        for (NodeDef c : consumersOf(pre.getName())) {
          if (Set.of("Add", "AddV2", "BiasAdd").contains(c.getOp())) {
            add = c;
          }
        }
        if (add == null) {
          throw new CheckpointException(
              prefix,
              CheckpointException.NO_OFFSET,
              "the .meta graph adds no bias to " + pre.getName());
        }
        pre = add;
      }
      // every forward op from the layer's values up to the next MatMul (or the logits)
      List<String> ops = new ArrayList<>();
      List<NodeDef> leaky = new ArrayList<>();
      Deque<NodeDef> todo = new ArrayDeque<>(consumersOf(pre.getName()));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        NodeDef n = todo.poll();
        if (!seen.add(n.getName())) {
          continue;
        }
        if (seen.size() > 256) {
          break;
        }
        String op = n.getOp();
        if (op.equals("MatMul")
            || n.getName().contains("/dropout/")
            || n.getName().startsWith("dropout")
            || n.getName().equals("logits")
            || (output && !n.getName().startsWith(scope + "/"))
            || op.equals("Identity")) {
          continue;
        }
        if (!n.getName().startsWith(scope + "/")) {
          // a lesson graph from Python builds its ops outside any scope; the output's consumers
          // (the loss, the accuracy) are not the layer's
          if (output) {
            continue;
          }
        }
        if (op.equals("Const")) {
          continue;
        }
        ops.add(normalize(op));
        if (op.equals("LeakyRelu")) {
          leaky.add(n);
        }
        todo.addAll(consumersOf(n.getName()));
      }
      ops.sort(null);
      Activation.Kind kind = SIGNATURES.get(ops);
      if (kind == null) {
        throw new CheckpointException(
            prefix,
            CheckpointException.NO_OFFSET,
            "the .meta graph computes "
                + ops
                + " after "
                + scope
                + "'s Dense, which is no activation this reader maps");
      }
      if (kind == Activation.Kind.LEAKY_RELU) {
        AttrValue alpha = leaky.get(0).getAttrMap().get("alpha");
        // the graph keeps float32; its shortest decimal is the slope Python wrote
        return Activation.leakyRelu(
            alpha == null ? 0.2 : Double.parseDouble(Float.toString(alpha.getF())));
      }
      return Activation.of(kind);
    }

    /** Refuses a graph that computes anything between {@code x_flat} and the first MatMul. */
    void checkInput(Path prefix, String firstScope) throws CheckpointException {
      NodeDef first;
      first = matMul(prefix, firstScope);
      String input = first.getInput(0).replaceFirst(":\\d+$", "");
      NodeDef n = nodes.get(input);
      if (n != null && !n.getOp().equals("Reshape") && !n.getOp().equals("Placeholder")) {
        throw new CheckpointException(
            prefix,
            CheckpointException.NO_OFFSET,
            "the .meta graph computes '"
                + n.getName()
                + "' ("
                + n.getOp()
                + ") before "
                + firstScope
                + "'s Dense: preprocessing this reader does not map; read the model's"
                + " --export-keras file instead");
      }
    }

    private static String normalize(String op) {
      return switch (op) {
        case "AddV2" -> "Add";
        case "RealDiv" -> "Div";
        case "SelectV2" -> "Select";
        default -> op;
      };
    }
  }
}
