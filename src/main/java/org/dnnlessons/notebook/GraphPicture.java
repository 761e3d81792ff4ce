package org.dnnlessons.notebook;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;

/**
 * Draws a model's graph (made by the real TensorFlow graph, not a hand-made figure) with Graphviz:
 * placeholders and variables in, the layers' ops, the logits and the loss out. The bookkeeping is
 * left out: initializers, the saver, gradients and the optimizer's updates, and each variable's
 * {@code read} (its edges start at the variable).
 */
public final class GraphPicture {

  private static final Set<String> HIDDEN_SCOPES =
      Set.of("save", "gradients", "GradientDescent", "init", "unrolled", "train_op", "data");

  private static final Set<String> HIDDEN_TYPES =
      Set.of(
          "Const",
          "Assign",
          "NoOp",
          "RandomStandardNormal",
          "TruncatedNormal",
          "RandomUniform",
          "Fill",
          "Mul",
          "ApplyGradientDescent");

  private GraphPicture() {}

  /**
   * The graph in Graphviz's DOT language.
   *
   * @param graph the TensorFlow graph to draw; it is only read
   * @return a {@code digraph}: the model's ops as nodes and their inputs as edges, the bookkeeping
   *     left out (see the class comment)
   */
  public static String dot(Graph graph) {
    Map<String, GraphOperation> shown = new LinkedHashMap<>();
    Map<String, String> alias = new HashMap<>();
    Iterator<GraphOperation> it = graph.operations();
    while (it.hasNext()) {
      GraphOperation op = it.next();
      String name = op.name();
      String scope = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
      // TensorFlow Java's optimizer names its ops GradientDescent, GradientDescent_1, ...
      scope = scope.replaceFirst("^GradientDescent_\\d+$", "GradientDescent");
      if (HIDDEN_SCOPES.contains(scope)
          || HIDDEN_TYPES.contains(op.type())
          || name.contains("/random_normal")
          || name.contains("/truncated_normal")
          || name.startsWith("random_normal")
          || name.startsWith("truncated_normal")) {
        continue;
      }
      if (op.type().equals("Identity") && name.endsWith("/read")) {
        alias.put(name, op.input(0).op().name());
        continue;
      }
      shown.put(name, op);
    }
    StringBuilder s =
        new StringBuilder(
            "digraph model {\n  rankdir=BT;\n"
                + "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\", fontname=\"Helvetica\"];\n");
    for (GraphOperation op : shown.values()) {
      String color =
          switch (op.type()) {
            case "Placeholder", "PlaceholderWithDefault" -> "#cfe2ff";
            case "VariableV2" -> "#ffe5b4";
            default -> "#eeeeee";
          };
      s.append("  \"")
          .append(op.name())
          .append("\" [label=\"")
          .append(op.name())
          .append("\\n")
          .append(op.type())
          .append("\", fillcolor=\"")
          .append(color)
          .append("\"];\n");
    }
    for (GraphOperation op : shown.values()) {
      for (int i = 0; i < op.numInputs(); i++) {
        String from = op.input(i).op().name();
        from = alias.getOrDefault(from, from);
        if (shown.containsKey(from)) {
          s.append("  \"").append(from).append("\" -> \"").append(op.name()).append("\";\n");
        }
      }
    }
    return s.append("}\n").toString();
  }

  /**
   * The graph drawn as a PNG by Graphviz's {@code dot}.
   *
   * @param graph the TensorFlow graph to draw; it is only read
   * @return the bytes of the PNG file {@code dot -Tpng} writes
   * @throws IOException when {@code dot} is missing (install Graphviz) or fails
   * @throws InterruptedException when this thread is interrupted while waiting for {@code dot} (at
   *     most 60 s)
   */
  public static byte[] png(Graph graph) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("dot", "-Tpng").start();
    } catch (IOException e) {
      throw new IOException(
          "Graphviz's 'dot' is needed to draw the graph; install Graphviz"
              + " (Debian: apt-get install graphviz)",
          e);
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(dot(graph).getBytes(StandardCharsets.UTF_8));
    }
    byte[] png = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "dot failed: "
              + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
    return png;
  }
}
