package org.dnnlessons.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.NoOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow graph being built the way a {@code tf.compat.v1} Python program builds its default
 * graph: it owns the graph-level random seed ({@code tf.set_random_seed}), the variables created so
 * far ({@code tf.global_variables()}) and their initializer ({@code
 * tf.global_variables_initializer()}).
 *
 * <p>Sessions created on this graph should be created with {@code autoInit == false} (see {@link
 * #newSession}), because variables are initialized explicitly, as in Python: run {@link
 * #globalVariablesInitializer()} or restore them from a checkpoint.
 *
 * <pre>{@code
 * try (Graph graph = new Graph()) {
 *   ModelGraph g = ModelGraph.create(graph);
 *   Ops hidden = g.tf().withSubScope("hidden_layer");   // create each scope's Ops once
 *   NamedVariable<TFloat32> w =
 *       g.variable(hidden, "weights", Initializers.truncatedNormal(g, hidden, Shape.of(2, 3)));
 *   Op init = g.globalVariablesInitializer();
 * }
 * }</pre>
 *
 * Not thread-safe: build a graph from one thread.
 */
public final class ModelGraph {

  private final Graph graph;
  private final Ops tf;
  private final Long graphSeed;
  private final List<NamedVariable<?>> variables = new ArrayList<>();
  private long autoSeedCounter;
  private NoOp initializer;
  private int initializedCount;

  private ModelGraph(Graph graph, Long graphSeed) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.tf = Ops.create(graph);
    this.graphSeed = graphSeed;
  }

  /**
   * A builder on {@code graph} with no graph-level seed (Python's default).
   *
   * @param graph the graph to build in; the caller keeps owning it
   * @return the builder
   */
  public static ModelGraph create(Graph graph) {
    return new ModelGraph(graph, null);
  }

  /**
   * A builder on {@code graph} with a graph-level random seed, as {@code tf.set_random_seed(seed)}
   * sets one in Python.
   *
   * @param graph the graph to build in; the caller keeps owning it
   * @param graphSeed the graph-level seed
   * @return the builder
   */
  public static ModelGraph create(Graph graph, long graphSeed) {
    return new ModelGraph(graph, graphSeed);
  }

  /**
   * The underlying graph.
   *
   * @return the graph given to {@link #create}
   */
  public Graph graph() {
    return graph;
  }

  /**
   * The root {@code Ops}; derive name scopes from it with {@code withSubScope}.
   *
   * @return the root {@code Ops} of the graph
   */
  public Ops tf() {
    return tf;
  }

  /**
   * The graph-level seed, or {@code null} when none was set.
   *
   * @return the seed given to {@link #create(Graph, long)}, or {@code null}
   */
  public Long graphSeed() {
    return graphSeed;
  }

  /**
   * The {@code seed}/{@code seed2} pair for the next random op, following Python's rules (see
   * {@link OpSeed}). Each call with a graph seed set and {@code opSeed == null} advances the
   * graph's counter, exactly as Python's {@code get_seed} does, so create random ops in the same
   * order as the Python program to get the same numbers.
   *
   * @param opSeed the op-level seed, or {@code null}
   * @return the {@code seed}/{@code seed2} attributes to give the random op
   */
  public OpSeed nextOpSeed(Long opSeed) {
    OpSeed seeds = OpSeed.resolve(graphSeed, opSeed, autoSeedCounter);
    if (graphSeed != null && opSeed == null) {
      autoSeedCounter++;
    }
    return seeds;
  }

  /**
   * A float placeholder, Python's {@code tf.placeholder(dtype, shape, name=name)}.
   *
   * @param scope where to create it
   * @param name its name within the scope
   * @param type the element type, e.g. {@code TFloat32.class}
   * @param shape its static shape; use {@code Shape.unknown()} or {@code -1} dimensions for unknown
   *     sizes
   * @param <T> the element type
   * @return the placeholder; feed it by its output
   */
  public <T extends TType> Placeholder<T> placeholder(
      Ops scope, String name, Class<T> type, Shape shape) {
    return scope.withName(name).placeholder(type, Placeholder.shape(shape));
  }

  /**
   * Creates a variable named {@code name} inside {@code scope}, initialized from {@code
   * initialValue} when the {@link #globalVariablesInitializer()} runs; Python's {@code
   * tf.Variable(initial_value, name=name)} inside a {@code tf.name_scope}.
   *
   * <p>Names are made unique as Python makes them: a second {@code weights} in the same scope
   * becomes {@code weights_1}.
   *
   * @param scope the name scope, e.g. {@code tf().withSubScope("hidden_layer")}
   * @param name the variable's name within the scope, e.g. {@code weights}
   * @param initialValue its initial value; its static shape becomes the variable's shape
   * @param <T> the element type
   * @return the variable, its op name (e.g. {@code hidden_layer/weights}) and its initializer
   */
  public <T extends TType> NamedVariable<T> variable(
      Ops scope, String name, Operand<T> initialValue) {
    Objects.requireNonNull(initialValue, "initialValue");
    Shape shape = initialValue.shape();
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "Variable '"
              + name
              + "' needs an initial value with a fully known shape, found "
              + shape);
    }
    String fullName = scope.scope().makeOpName(name);
    Operation variableOp =
        graph
            .opBuilder(Variable.OP_NAME, fullName, scope.scope())
            .setAttr("shape", shape)
            .setAttr("dtype", initialValue.asOutput().dataType())
            .build();
    Variable<T> variable = new Variable<>(variableOp);
    Operation assignOp =
        graph
            .opBuilder(Assign.OP_NAME, fullName + "/Assign", scope.scope())
            .addInput(variable.asOutput())
            .addInput(initialValue.asOutput())
            .setAttr("validate_shape", true)
            .setAttr("use_locking", true)
            .build();
    Operation readOp =
        graph
            .opBuilder(Identity.OP_NAME, fullName + "/read", scope.scope())
            .addInput(variable.asOutput())
            .build();
    NamedVariable<T> created =
        new NamedVariable<>(fullName, variable, new Assign<>(assignOp), new Identity<>(readOp));
    variables.add(created);
    return created;
  }

  /**
   * Creates a variable with an automatic name, as Python's {@code tf.Variable(initial_value)} does:
   * {@code Variable}, then {@code Variable_1}, {@code Variable_2}, ... in creation order.
   * Checkpoints key variables by name, so automatic names tie a checkpoint to the order in which
   * the graph was built: the notebook's "naming error".
   *
   * @param <T> the element type
   * @param scope where to create the variable
   * @param initialValue the initial value, computed when the initializer runs
   * @return the variable, named {@code Variable}, {@code Variable_1}, ... in creation order
   */
  public <T extends TType> NamedVariable<T> variable(Ops scope, Operand<T> initialValue) {
    return variable(scope, "Variable", initialValue);
  }

  /**
   * The variables created so far, in creation order (Python's {@code tf.global_variables()}).
   *
   * @return an unmodifiable list, in creation order
   */
  public List<NamedVariable<?>> variables() {
    return Collections.unmodifiableList(variables);
  }

  /**
   * An op that runs every variable's initializer, named {@code init} as in Python's {@code init =
   * tf.global_variables_initializer()}. It covers the variables created before the first call;
   * calling it again after creating more variables is an {@link IllegalStateException}.
   *
   * @return the {@code init} op; run it once before training
   */
  public Op globalVariablesInitializer() {
    if (initializer != null) {
      if (initializedCount != variables.size()) {
        throw new IllegalStateException(
            "globalVariablesInitializer() was built for "
                + initializedCount
                + " variables, but the graph now has "
                + variables.size()
                + "; build the initializer after the last variable");
      }
      return initializer;
    }
    List<Op> assigns = new ArrayList<>();
    for (NamedVariable<?> v : variables) {
      assigns.add(v.initializer());
    }
    initializer = tf.withName("init").withControlDependencies(assigns).noOp();
    initializedCount = variables.size();
    return initializer;
  }

  /**
   * Opens a session on this graph that never initializes variables behind the caller's back ({@code
   * autoInit == false}): run {@link #globalVariablesInitializer()} or restore a checkpoint first,
   * as in Python. The caller closes the session.
   *
   * @return a new session; the caller closes it
   */
  public Session newSession() {
    return new Session(graph, false);
  }
}
