package org.dnnlessons.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The seeded random ops of {@code src/test/python/seeded_initializers.py}, built in Java in the
 * same order with the same seeds, and the reader of that script's output ({@code name#i} then the
 * float32 bit patterns in hex). {@code InitializersTest} compares them with the copy recorded in
 * {@code seeded_initializers.txt}; {@code SeededInitializersIT} with the script run on this
 * machine.
 */
public final class SeededCases {

  private SeededCases() {}

  private interface Builder {
    List<Operand<TFloat32>> build(ModelGraph g, Ops tf);
  }

  /** The cases by name: graph seed (null: none) and the ops, as the Python functions build them. */
  private static final Map<String, Object[]> CASES = new LinkedHashMap<>();

  static {
    CASES.put(
        "graph_seed_only",
        new Object[] {
          1L,
          (Builder)
              (g, tf) ->
                  List.of(
                      Initializers.truncatedNormal(g, tf, Shape.of(2, 3)),
                      Initializers.truncatedNormal(g, tf, Shape.of(3)),
                      Initializers.randomNormal(g, tf, Shape.of(4, 2)))
        });
    CASES.put(
        "op_seed_only",
        new Object[] {
          null,
          (Builder)
              (g, tf) ->
                  List.of(
                      Initializers.randomNormal(g, tf, Shape.of(3, 3), 0.0f, 1.0f, 2L),
                      Initializers.truncatedNormal(g, tf, Shape.of(5), 1.0f, 0.5f, 7L))
        });
    CASES.put(
        "both_seeds",
        new Object[] {
          1L,
          (Builder)
              (g, tf) ->
                  List.of(
                      Initializers.randomNormal(g, tf, Shape.of(2, 2), 0.0f, 1.0f, 2L),
                      Initializers.randomNormal(g, tf, Shape.of(3), -2.0f, 3.0f, null))
        });
    CASES.put(
        "dropout_masks",
        new Object[] {
          42L,
          (Builder)
              (g, tf) -> {
                Operand<TFloat32> x = tf.fill(tf.constant(new int[] {4, 5}), tf.constant(1.0f));
                Operand<TFloat32> keepProb =
                    tf.placeholderWithDefault(tf.constant(0.5f), Shape.scalar());
                return List.of(
                    Dropout.apply(g, tf, x, keepProb, null), Dropout.apply(g, tf, x, 0.25, 3L));
              }
        });
  }

  /** The case names, in the script's order. */
  public static List<String> names() {
    return List.copyOf(CASES.keySet());
  }

  /** Runs one case in a fresh graph; one array per op, row-major. */
  public static List<float[]> run(String name) {
    Object[] c = CASES.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no seeded case " + name + ", expected one of " + names());
    }
    return run((Long) c[0], (Builder) c[1]);
  }

  private static List<float[]> run(Long graphSeed, Builder builder) {
    try (Graph graph = new Graph()) {
      ModelGraph g =
          graphSeed == null ? ModelGraph.create(graph) : ModelGraph.create(graph, graphSeed);
      List<Operand<TFloat32>> outputs = builder.build(g, g.tf());
      try (Session session = g.newSession()) {
        Session.Runner runner = session.runner();
        outputs.forEach(runner::fetch);
        try (Result result = runner.run()) {
          List<float[]> values = new ArrayList<>();
          for (int i = 0; i < outputs.size(); i++) {
            values.add(Tensors.toArray((TFloat32) result.get(i)));
          }
          return values;
        }
      }
    }
  }

  /** Reads the script's output: {@code name#i} to its floats. */
  public static Map<String, float[]> parse(BufferedReader r) throws IOException {
    Map<String, float[]> out = new LinkedHashMap<>();
    String line;
    while ((line = r.readLine()) != null) {
      String[] parts = line.trim().split(" ");
      float[] values = new float[parts.length - 1];
      for (int i = 1; i < parts.length; i++) {
        values[i - 1] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
      }
      out.put(parts[0], values);
    }
    return out;
  }
}
