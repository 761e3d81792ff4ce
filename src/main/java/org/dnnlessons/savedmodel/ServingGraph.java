package org.dnnlessons.savedmodel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.files.Messages;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;

/**
 * What a SavedModel's serving signature computes, read from its graph as a chain of Keras layers:
 * every op between the signature's input and its output is accounted for, or the graph is refused.
 *
 * <p>The signature's output is followed back to its input through the function calls that {@code
 * model.export(dir)} and {@code tf.saved_model.save(model, dir)} write ({@code
 * StatefulPartitionedCall} into {@code __inference_...} functions, inlined here), {@code Identity}
 * and {@code IdentityN} passed through. Each group of ops between two Dense layers must be one of
 * the patterns Keras 3's TensorFlow backend writes: a single activation op ({@code Relu}, {@code
 * Tanh}, {@code Sigmoid}, {@code Elu}, {@code Selu}, {@code Softplus}, {@code Softsign}, {@code
 * Relu6}, {@code LeakyRelu}, {@code Exp}, {@code Softmax}, {@code LogSoftmax}), gelu ({@code Erfc}
 * with its constants 0.5 and 1/sqrt(2); the tanh approximation with its five constants), silu,
 * mish, hard_sigmoid, hard_silu, PReLU, {@code Rescaling} ({@code x * scale + offset} with scalar
 * constants), {@code Normalization} ({@code (x - mean) / sqrt(variance)}), {@code
 * BatchNormalization} at inference ({@code x * a + b} with per-unit parameters), {@code Reshape}
 * and {@code Cast}. Anything else (a {@code Conv2D}, a custom op, an activation written
 * differently) is a {@link CheckpointException} naming the ops, never passed over.
 *
 * <p>Pure Java: reads the {@code MetaGraphDef} proto; no native TensorFlow is loaded. The product's
 * own {@code train --export DIR} graph (TensorFlow 1 style, no functions) is read the same way.
 *
 * @param signatureKey the signature read ({@code serving_default})
 * @param inputKey the signature's input key ({@code keras_tensor}, {@code inputs}, {@code x})
 * @param outputKey the signature's output key followed ({@code output_0}, {@code logits})
 * @param steps the layers from input to output, in order
 */
public record ServingGraph(
    String signatureKey, String inputKey, String outputKey, List<ServingGraph.Step> steps) {

  /** One layer of the chain. */
  public sealed interface Step
      permits Dense, Activation, Rescaling, Normalization, BatchNormalization, Reshape, Cast {
    /**
     * The layer as Keras writes it, for messages: {@code Dense}, {@code relu}, ...
     *
     * @return the Keras layer or activation name
     */
    String keras();
  }

  /**
   * A Dense layer: {@code MatMul} with a variable kernel, then {@code BiasAdd} when it has a bias.
   *
   * @param kernel the graph node that holds the kernel variable (as the outer graph names it)
   * @param bias whether a bias is added ({@code use_bias})
   */
  public record Dense(String kernel, boolean bias) implements Step {
    @Override
    public String keras() {
      return bias ? "Dense" : "Dense(use_bias=False)";
    }
  }

  /**
   * An activation, by its Keras name: {@code relu}, {@code relu6}, {@code leaky_relu}, {@code elu},
   * {@code selu}, {@code gelu}, {@code gelu_approximate} (Keras's {@code gelu(approximate=True)}),
   * {@code sigmoid}, {@code hard_sigmoid}, {@code tanh}, {@code softplus}, {@code softsign}, {@code
   * silu}, {@code mish}, {@code exponential}, {@code softmax}, {@code log_softmax}, {@code
   * hard_silu}, {@code prelu} (a PReLU layer).
   *
   * @param name the Keras name
   * @param alpha leaky_relu's negative slope; NaN for the others
   * @param ops the ops that compute it, for messages
   */
  public record Activation(String name, float alpha, String ops) implements Step {
    @Override
    public String keras() {
      return Float.isNaN(alpha) ? name : name + "(negative_slope=" + alpha + ")";
    }
  }

  /**
   * Keras's {@code Rescaling(scale, offset)}: {@code x * scale + offset}.
   *
   * @param scale what every value is multiplied by (Keras's {@code scale})
   * @param offset what is added after scaling (Keras's {@code offset})
   */
  public record Rescaling(float scale, float offset) implements Step {
    @Override
    public String keras() {
      return "Rescaling(" + scale + ", offset=" + offset + ")";
    }
  }

  /** Keras's {@code Normalization} (adapted): {@code (x - mean) / max(sqrt(variance), eps)}. */
  public record Normalization() implements Step {
    @Override
    public String keras() {
      return "Normalization";
    }
  }

  /**
   * Keras's {@code BatchNormalization} at inference: its moving statistics, as {@code x*a + b}.
   *
   * @param epsilon the constant added to the moving variance, or NaN when the graph holds none
   */
  public record BatchNormalization(float epsilon) implements Step {
    @Override
    public String keras() {
      return "BatchNormalization";
    }
  }

  /** A {@code Reshape} (Keras's {@code Flatten} or {@code Reshape}). */
  public record Reshape() implements Step {
    @Override
    public String keras() {
      return "Reshape";
    }
  }

  /**
   * A {@code Cast} (a mixed-precision model casting its input or its output).
   *
   * @param to the dtype cast to
   */
  public record Cast(DataType to) implements Step {
    @Override
    public String keras() {
      return "Cast(" + to.name() + ")";
    }
  }

  /** {@code LeakyRelu}'s {@code alpha} where the node leaves it to the op's default. */
  private static final float LEAKY_RELU_ALPHA = 0.2f;

  /** How many levels of function calls are inlined; Keras writes two. */
  private static final int MAX_CALL_DEPTH = 8;

  /** Ops whose output is their (indexed) input: passed through. */
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "IdentityN", "StopGradient");

  /** Ops that read a tensor's shape, not its values. */
  private static final Set<String> SHAPE_OPS = Set.of("Shape", "Size", "Rank");

  /** Ops that may appear between two Dense layers as part of a recognized pattern. */
  private static final Set<String> ELEMENTWISE =
      Set.of(
          "Relu",
          "Relu6",
          "Elu",
          "Selu",
          "Tanh",
          "Sigmoid",
          "Softplus",
          "Softsign",
          "LeakyRelu",
          "Exp",
          "Softmax",
          "LogSoftmax",
          "Mul",
          "Neg",
          "Erfc",
          "Erf",
          "AddV2",
          "Add",
          "Sub",
          "RealDiv",
          "Pow",
          "Maximum",
          "Minimum",
          "Sqrt",
          "Rsqrt");

  /**
   * The signature {@code signatureKey} of {@code meta}, checked to take one input (the image
   * tensor), as both its runner and its reader need it.
   *
   * @param file the {@code saved_model.pb} the meta graph came from, named in messages
   * @param meta the meta graph tagged {@code serve}
   * @param signatureKey the signature's key, {@code serving_default} for Keras and TF Serving
   * @return the signature
   * @throws CheckpointException when there is no such signature (the message lists those there are)
   *     or it takes other than one input
   */
  public static SignatureDef imageSignature(Path file, MetaGraphDef meta, String signatureKey)
      throws CheckpointException {
    SignatureDef signature = meta.getSignatureDefMap().get(signatureKey);
    if (signature == null) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "no signature '"
              + signatureKey
              + "' (the SavedModel has "
              + String.join(", ", new TreeSet<>(meta.getSignatureDefMap().keySet()))
              + ")");
    }
    if (signature.getInputsCount() != 1) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "signature '"
              + signatureKey
              + "' takes "
              + signature.getInputsCount()
              + " inputs ("
              + String.join(", ", new TreeSet<>(signature.getInputsMap().keySet()))
              + "), expected one image tensor");
    }
    return signature;
  }

  /**
   * The chain of layers {@code meta}'s signature computes.
   *
   * @param file the {@code saved_model.pb}, for messages
   * @param meta the {@code serve} meta graph of {@code saved_model.pb}
   * @param signatureKey the signature to read, usually {@code serving_default}
   * @return the layer chain from the signature's input to its output, in order
   * @throws CheckpointException naming the ops not understood, or a signature that is not one input
   *     to one chosen output
   */
  public static ServingGraph read(Path file, MetaGraphDef meta, String signatureKey)
      throws CheckpointException {
    SignatureDef signature = imageSignature(file, meta, signatureKey);
    String inputKey = signature.getInputsMap().keySet().iterator().next();
    String outputKey = outputKey(file, signature);
    Flat flat = new Flat(file, meta);
    String input = flat.topRef(signature.getInputsMap().get(inputKey).getName());
    String output = flat.topRef(signature.getOutputsMap().get(outputKey).getName());
    List<Step> steps = new Walk(file, flat, input).steps(output);
    return new ServingGraph(signatureKey, inputKey, outputKey, steps);
  }

  /**
   * The op that produces the signature's output (function calls inlined, {@code Identity} passed
   * through): {@code Softmax}, {@code BiasAdd}, ...; read even where {@link #read} refuses the
   * graph (a CNN), so a runner can say what the output holds.
   *
   * @param file the {@code saved_model.pb}, for messages
   * @param meta the {@code serve} meta graph of {@code saved_model.pb}
   * @param signatureKey the signature to read, usually {@code serving_default}
   * @return the op type of the output's producer, e.g. {@code Softmax}
   * @throws CheckpointException one line naming the file when the signature or its output tensor is
   *     not in the graph
   */
  public static String outputOp(Path file, MetaGraphDef meta, String signatureKey)
      throws CheckpointException {
    SignatureDef signature = meta.getSignatureDefMap().get(signatureKey);
    if (signature == null) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "no signature '" + signatureKey + "'");
    }
    Flat flat = new Flat(file, meta);
    String output =
        flat.topRef(signature.getOutputsMap().get(outputKey(file, signature)).getName());
    return flat.node(output).op();
  }

  /**
   * The output a caller reads: the only one, or {@code logits} where there are several (the
   * product's own export has {@code logits} and {@code probabilities}).
   */
  static String outputKey(Path file, SignatureDef signature) throws CheckpointException {
    if (signature.getOutputsCount() == 1) {
      return signature.getOutputsMap().keySet().iterator().next();
    }
    if (signature.getOutputsMap().containsKey("logits")) {
      return "logits";
    }
    throw new CheckpointException(
        file,
        CheckpointException.NO_OFFSET,
        "the signature has "
            + signature.getOutputsCount()
            + " outputs ("
            + String.join(", ", new TreeSet<>(signature.getOutputsMap().keySet()))
            + ") and none named logits; expected one output of 10 scores");
  }

  /**
   * The Keras layers of {@link #steps()}, for messages: {@code Dense, relu, Dense, softmax}.
   *
   * @return the Keras names of the layers, comma-separated, in order
   */
  public String describe() {
    List<String> out = new ArrayList<>();
    for (Step s : steps) {
      out.add(s.keras());
    }
    return String.join(", ", out);
  }

  /** A node of the inlined graph: its op, its data inputs (inlined names) and its definition. */
  private record Node(String name, String op, List<String> inputs, NodeDef def) {}

  /** The graph with every function call inlined: each node under a unique name. */
  private static final class Flat {
    private final Path file;
    private final Map<String, FunctionDef> functions = new HashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, NodeDef> top = new HashMap<>();
    private int calls;

    Flat(Path file, MetaGraphDef meta) {
      this.file = file;
      for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
        functions.put(f.getSignature().getName(), f);
      }
      for (NodeDef n : meta.getGraphDef().getNodeList()) {
        top.put(n.getName(), n);
      }
    }

    /** A reference in the outer graph ({@code name:0}) to its inlined node. */
    String topRef(String ref) throws CheckpointException {
      return new Scope("", top, Map.of(), 0, true).resolve(ref);
    }

    Node node(String name) {
      return nodes.get(name);
    }

    /** One graph or function body, its nodes' local names and its arguments' inlined names. */
    private final class Scope {
      final String prefix;
      final Map<String, NodeDef> local;
      final Map<String, String> args;
      final int depth;
      final boolean graph;

      Scope(
          String prefix,
          Map<String, NodeDef> local,
          Map<String, String> args,
          int depth,
          boolean g) {
        this.prefix = prefix;
        this.local = local;
        this.args = args;
        this.depth = depth;
        this.graph = g;
      }

      /** The inlined node a reference ({@code n}, {@code n:1}, {@code n:output:0}) comes from. */
      String resolve(String ref) throws CheckpointException {
        String[] parts = ref.split(":");
        String name = parts[0];
        int index = 0;
        try {
          index = Integer.parseInt(parts[parts.length - 1]);
        } catch (NumberFormatException e) {
          index = 0;
        }
        if (parts.length == 1) {
          index = 0;
        }
        if (args.containsKey(name) && !local.containsKey(name)) {
          return args.get(name);
        }
        NodeDef def = local.get(name);
        if (def == null) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "the graph refers to '" + ref + "', which it does not define");
        }
        if (PASS_THROUGH.contains(def.getOp())) {
          List<String> data = dataInputs(def);
          int i = def.getOp().equals("IdentityN") ? index : 0;
          if (i < 0 || i >= data.size()) {
            throw new CheckpointException(
                file,
                CheckpointException.NO_OFFSET,
                "'" + name + "' (" + def.getOp() + ") has no input " + i);
          }
          return resolve(data.get(i));
        }
        if (def.getOp().equals("StatefulPartitionedCall")
            || def.getOp().equals("PartitionedCall")) {
          return call(def, index);
        }
        String flatName = prefix + name;
        if (!nodes.containsKey(flatName)) {
          // reserve the name first: a crafted graph may loop back to this node
          nodes.put(flatName, new Node(flatName, def.getOp(), List.of(), def));
          List<String> inputs = new ArrayList<>();
          for (String in : dataInputs(def)) {
            inputs.add(resolve(in));
          }
          nodes.put(flatName, new Node(flatName, def.getOp(), inputs, def));
        }
        return flatName;
      }

      private String call(NodeDef def, int index) throws CheckpointException {
        AttrValue f0 = def.getAttrMap().get("f");
        if (f0 == null || !f0.hasFunc()) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "'" + Messages.value(def.getName()) + "' (" + def.getOp() + ") names no function");
        }
        String callee = f0.getFunc().getName();
        FunctionDef f = functions.get(callee);
        if (f == null) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "'" + def.getName() + "' calls function '" + callee + "', which the graph lacks");
        }
        if (depth >= MAX_CALL_DEPTH || ++calls > 10_000) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "function calls nest more than " + MAX_CALL_DEPTH + " deep");
        }
        List<String> data = dataInputs(def);
        if (data.size() != f.getSignature().getInputArgCount()) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "'"
                  + def.getName()
                  + "' passes "
                  + data.size()
                  + " inputs to '"
                  + callee
                  + "', which takes "
                  + f.getSignature().getInputArgCount());
        }
        Map<String, String> calleeArgs = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
          calleeArgs.put(f.getSignature().getInputArg(i).getName(), resolve(data.get(i)));
        }
        if (index < 0 || index >= f.getSignature().getOutputArgCount()) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "'" + def.getName() + "' has no output " + index);
        }
        String ret = f.getRetMap().get(f.getSignature().getOutputArg(index).getName());
        if (ret == null) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              "function '"
                  + Messages.value(callee)
                  + "' does not say what its output "
                  + index
                  + " returns");
        }
        Map<String, NodeDef> body = new HashMap<>();
        for (NodeDef n : f.getNodeDefList()) {
          body.put(n.getName(), n);
        }
        Scope inner = new Scope(prefix + def.getName() + "/", body, calleeArgs, depth + 1, false);
        return inner.resolve(ret);
      }
    }

    private static List<String> dataInputs(NodeDef def) {
      List<String> out = new ArrayList<>();
      for (String in : def.getInputList()) {
        if (!in.startsWith("^")) {
          out.add(in);
        }
      }
      return out;
    }
  }

  /** The walk from the output back to the input, one layer at a time. */
  private static final class Walk {
    private final Path file;
    private final Flat flat;
    private final String input;
    private final Map<String, Integer> depth = new HashMap<>();

    Walk(Path file, Flat flat, String input) {
      this.file = file;
      this.flat = flat;
      this.input = input;
    }

    /** Longest path from the input, or -1 for a node that does not depend on it (a parameter). */
    int depth(String name) {
      Integer d = depth.get(name);
      if (d != null) {
        return d;
      }
      if (name.equals(input)) {
        depth.put(name, 0);
        return 0;
      }
      depth.put(name, -1); // a crafted loop ends here
      if (SHAPE_OPS.contains(flat.node(name).op())) {
        return -1; // the image's shape, not its values: a parameter of Reshape
      }
      int best = -1;
      for (String in : flat.node(name).inputs()) {
        int di = depth(in);
        if (di >= 0) {
          best = Math.max(best, di + 1);
        }
      }
      depth.put(name, best);
      return best;
    }

    boolean isFlow(String name) {
      return depth(name) >= 0;
    }

    List<String> flowInputs(String name) {
      List<String> out = new ArrayList<>();
      for (String in : flat.node(name).inputs()) {
        if (isFlow(in)) {
          out.add(in);
        }
      }
      return out;
    }

    List<String> paramInputs(String name) {
      List<String> out = new ArrayList<>();
      for (String in : flat.node(name).inputs()) {
        if (!isFlow(in)) {
          out.add(in);
        }
      }
      return out;
    }

    List<Step> steps(String output) throws CheckpointException {
      if (!isFlow(output)) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "the signature's output does not depend on its input");
      }
      List<Step> reversed = new ArrayList<>();
      String at = output;
      while (!at.equals(input)) {
        Node n = flat.node(at);
        if (n.op().equals("MatMul") || isBias(n)) {
          at = dense(n, reversed);
          continue;
        }
        if (n.op().equals("Reshape") || n.op().equals("Cast")) {
          List<String> in = flowInputs(at);
          if (in.size() != 1) {
            throw refuse(List.of(n), "with " + in.size() + " inputs that depend on the image");
          }
          reversed.add(
              n.op().equals("Cast")
                  ? new Cast(n.def().getAttrOrThrow("DstT").getType())
                  : new Reshape());
          at = in.get(0);
          continue;
        }
        at = segment(n, reversed);
      }
      Collections.reverse(reversed);
      return List.copyOf(reversed);
    }

    /** {@code BiasAdd} (or {@code Add}, the lesson's) of a {@code MatMul} and a parameter. */
    private boolean isBias(Node n) {
      if (!Set.of("BiasAdd", "Add", "AddV2").contains(n.op())) {
        return false;
      }
      List<String> in = flowInputs(n.name());
      return in.size() == 1
          && paramInputs(n.name()).size() == 1
          && flat.node(in.get(0)).op().equals("MatMul");
    }

    /** {@code BiasAdd(MatMul(x, kernel), bias)} or {@code MatMul(x, kernel)}. */
    private String dense(Node n, List<Step> out) throws CheckpointException {
      Node matmul = n;
      boolean bias = false;
      if (!n.op().equals("MatMul")) {
        matmul = flat.node(flowInputs(n.name()).get(0));
        bias = true;
      }
      List<String> x = flowInputs(matmul.name());
      List<String> kernel = paramInputs(matmul.name());
      if (x.size() != 1
          || kernel.size() != 1
          || !matmul.inputs().get(0).equals(x.get(0))
          || matmul.def().getAttrOrDefault("transpose_a", FALSE).getB()
          || matmul.def().getAttrOrDefault("transpose_b", FALSE).getB()) {
        throw refuse(List.of(matmul), "not x @ kernel with a kernel that is a parameter");
      }
      out.add(new Dense(variable(kernel.get(0)), bias));
      return x.get(0);
    }

    private static final AttrValue FALSE = AttrValue.newBuilder().setB(false).build();

    /** The variable a parameter reads, through {@code ReadVariableOp} and {@code Cast}. */
    private String variable(String name) {
      Node n = flat.node(name);
      for (int i = 0; i < 4 && (n.op().equals("ReadVariableOp") || n.op().equals("Cast")); i++) {
        if (n.inputs().isEmpty()) {
          break;
        }
        n = flat.node(n.inputs().get(0));
      }
      return n.name();
    }

    /**
     * The smallest group of elementwise ops ending at {@code sink} that has one input from the
     * layers before it and forms a known pattern.
     */
    private String segment(Node sink, List<Step> out) throws CheckpointException {
      Set<String> members = new HashSet<>();
      List<Node> group = new ArrayList<>();
      add(sink, members, group);
      while (true) {
        Set<String> frontier = new HashSet<>();
        for (Node m : group) {
          for (String in : flowInputs(m.name())) {
            if (!members.contains(in)) {
              frontier.add(in);
            }
          }
        }
        if (frontier.size() == 1) {
          String source = frontier.iterator().next();
          Step step = classify(group);
          if (step != null) {
            if (!(step instanceof Activation a && a.name().equals("linear"))) {
              out.add(step);
            }
            return source;
          }
        }
        if (frontier.isEmpty()) {
          throw refuse(group, "whose input is not the signature's input");
        }
        // grow toward the input: take the frontier node furthest from it
        String next = null;
        for (String f : frontier) {
          if (next == null || depth(f) > depth(next)) {
            next = f;
          }
        }
        Node n = flat.node(next);
        if (next.equals(input) || !ELEMENTWISE.contains(n.op())) {
          throw refuse(group, "");
        }
        add(n, members, group);
      }
    }

    private void add(Node n, Set<String> members, List<Node> group) throws CheckpointException {
      if (!ELEMENTWISE.contains(n.op())) {
        throw refuse(List.of(n), "");
      }
      members.add(n.name());
      group.add(n);
      if (group.size() > 32) {
        throw refuse(group, "(more than 32 elementwise ops in a row)");
      }
    }

    /** The Keras layer a group of ops is, or {@code null}. */
    private Step classify(List<Node> group) {
      Map<String, Integer> counts = new TreeMap<>();
      List<Float> constants = new ArrayList<>();
      boolean vectorParams = false;
      for (Node n : group) {
        counts.merge(n.op(), 1, Integer::sum);
        for (String p : paramInputs(n.name())) {
          float c = scalar(p);
          if (Float.isNaN(c)) {
            vectorParams = true;
          } else {
            constants.add(c);
          }
        }
      }
      String ops = ops(counts);
      String single = group.size() == 1 ? group.get(0).op() : null;
      if (single != null && constants.isEmpty() && !vectorParams) {
        String name =
            switch (single) {
              case "Relu" -> "relu";
              case "Relu6" -> "relu6";
              case "Elu" -> "elu";
              case "Selu" -> "selu";
              case "Tanh" -> "tanh";
              case "Sigmoid" -> "sigmoid";
              case "Softplus" -> "softplus";
              case "Softsign" -> "softsign";
              case "Exp" -> "exponential";
              case "Softmax" -> "softmax";
              case "LogSoftmax" -> "log_softmax";
              case "LeakyRelu" -> "leaky_relu";
              default -> null;
            };
        if (name != null) {
          float alpha =
              single.equals("LeakyRelu")
                  ? (group.get(0).def().containsAttr("alpha")
                      ? group.get(0).def().getAttrOrThrow("alpha").getF()
                      : LEAKY_RELU_ALPHA)
                  : Float.NaN;
          return new Activation(name, alpha, ops);
        }
        return null;
      }
      if (vectorParams) {
        if (ops.equals("AddV2, Mul") && constants.isEmpty()) {
          return new BatchNormalization(epsilon(group));
        }
        if (ops.equals("RealDiv, Sub") && constants.isEmpty()) {
          return new Normalization();
        }
        if (ops.equals("AddV2, Mul, Neg, Relu, Relu")) {
          return new Activation("prelu", Float.NaN, ops);
        }
        return null;
      }
      return switch (ops) {
        case "Erfc, Mul, Mul, Mul, Neg" ->
            same(constants, 0.5f, 0.70710677f) ? new Activation("gelu", Float.NaN, ops) : null;
        case "AddV2, AddV2, Mul, Mul, Mul, Mul, Pow, Tanh" ->
            same(constants, 0.044715f, 0.5f, 3f, 0.7978846f, 1f)
                ? new Activation("gelu_approximate", Float.NaN, ops)
                : null;
        case "Mul, Mul, Sigmoid" ->
            same(constants, 1f) ? new Activation("silu", Float.NaN, ops) : null;
        case "Mul, Softplus, Tanh" ->
            constants.isEmpty() ? new Activation("mish", Float.NaN, ops) : null;
        case "AddV2, RealDiv, Relu6" ->
            same(constants, 3f, 6f) ? new Activation("hard_sigmoid", Float.NaN, ops) : null;
        case "AddV2, Mul, RealDiv, Relu6" ->
            same(constants, 3f, 6f) ? new Activation("hard_silu", Float.NaN, ops) : null;
        case "AddV2, Mul" -> rescaling(group);
        default -> null;
      };
    }

    /**
     * BatchNormalization's epsilon: the scalar constant that {@code tf.nn.batch_normalization} adds
     * to the moving variance before {@code Rsqrt}, among the parameters' ops.
     */
    private float epsilon(List<Node> group) {
      List<String> todo = new ArrayList<>();
      for (Node n : group) {
        todo.addAll(paramInputs(n.name()));
      }
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty() && seen.size() < 64) {
        String name = todo.remove(todo.size() - 1);
        if (!seen.add(name)) {
          continue;
        }
        Node n = flat.node(name);
        if (n.op().equals("Rsqrt") && n.inputs().size() == 1) {
          Node add = flat.node(n.inputs().get(0));
          if ((add.op().equals("AddV2") || add.op().equals("Add")) && add.inputs().size() == 2) {
            float a = scalar(add.inputs().get(0));
            float b = scalar(add.inputs().get(1));
            return Float.isNaN(a) ? b : a;
          }
        }
        todo.addAll(n.inputs());
      }
      return Float.NaN;
    }

    /** {@code x * scale + offset}, in that order, with scalar constants. */
    private Step rescaling(List<Node> group) {
      Node add = group.get(0);
      if (!add.op().equals("AddV2") || group.size() != 2) {
        return null;
      }
      Node mul = group.get(1);
      float scale = scalar(paramInputs(mul.name()).get(0));
      float offset = scalar(paramInputs(add.name()).get(0));
      return new Rescaling(scale, offset);
    }

    private static boolean same(List<Float> found, float... expected) {
      List<Float> a = new ArrayList<>(found);
      List<Float> b = new ArrayList<>();
      for (float e : expected) {
        b.add(e);
      }
      Collections.sort(a);
      Collections.sort(b);
      return a.equals(b);
    }

    /** A scalar constant's value (through {@code Cast}), or NaN when the parameter is not one. */
    private float scalar(String name) {
      Node n = flat.node(name);
      for (int i = 0; i < 4 && n.op().equals("Cast") && n.inputs().size() == 1; i++) {
        n = flat.node(n.inputs().get(0));
      }
      if (!n.op().equals("Const") || !n.def().containsAttr("value")) {
        return Float.NaN;
      }
      TensorProto t = n.def().getAttrOrThrow("value").getTensor();
      if (t.getTensorShape().getDimCount() != 0) {
        return Float.NaN;
      }
      return switch (t.getDtype()) {
        case DT_FLOAT ->
            t.getFloatValCount() == 1
                ? t.getFloatVal(0)
                : t.getTensorContent().size() == 4
                    ? ByteBuffer.wrap(t.getTensorContent().toByteArray())
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getFloat()
                    : Float.NaN;
        case DT_DOUBLE -> t.getDoubleValCount() == 1 ? (float) t.getDoubleVal(0) : Float.NaN;
        case DT_INT32, DT_INT64 ->
            t.getIntValCount() == 1
                ? t.getIntVal(0)
                : t.getInt64ValCount() == 1 ? t.getInt64Val(0) : Float.NaN;
        case DT_HALF -> t.getHalfValCount() == 1 ? halfToFloat(t.getHalfVal(0)) : Float.NaN;
        case DT_BFLOAT16 ->
            t.getHalfValCount() == 1 ? Float.intBitsToFloat(t.getHalfVal(0) << 16) : Float.NaN;
        default -> Float.NaN;
      };
    }

    private static float halfToFloat(int bits) {
      byte[] le = {(byte) bits, (byte) (bits >>> 8)};
      return new CheckpointTensor(
              new org.dnnlessons.checkpoint.TensorInfo("c", DataType.DT_HALF, new long[0]),
              le,
              List.of())
          .halfFloats()[0];
    }

    private static String ops(Map<String, Integer> counts) {
      List<String> out = new ArrayList<>();
      counts.forEach(
          (op, n) -> {
            for (int i = 0; i < n; i++) {
              out.add(op);
            }
          });
      return String.join(", ", out);
    }

    private CheckpointException refuse(List<Node> group, String why) {
      Map<String, Integer> counts = new TreeMap<>();
      for (Node n : group) {
        counts.merge(n.op(), 1, Integer::sum);
      }
      String where = group.get(0).def().getName();
      return new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "the serving signature computes "
              + ops(counts)
              + (why.isEmpty() ? "" : " " + why)
              + " (at '"
              + where
              + "'), which is not a layer this reader knows; refused rather than skipped");
    }
  }

  /** The signature's input tensor info. */
  static TensorInfo input(MetaGraphDef meta, String signatureKey) {
    return meta.getSignatureDefMap().get(signatureKey).getInputsMap().values().iterator().next();
  }
}
