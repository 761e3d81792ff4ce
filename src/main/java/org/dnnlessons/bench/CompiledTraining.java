package org.dnnlessons.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Layers;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.GraphFedTraining;
import org.dnnlessons.train.InGraphTraining;
import org.dnnlessons.train.LoopVariables;
import org.dnnlessons.train.WhileLoopTraining;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The network's steps unrolled {@code k} times and rebuilt the way {@code
 * tf.function(jit_compile=True)} builds them, in a graph and session of their own, and compiled by
 * XLA into one executable per run: the benchmark's unrolled-XLA levers ({@code bench --levers}).
 * {@code train --jit-compile} uses {@link WhileLoopTraining}, whose graph holds one step whatever
 * {@code k} is. Each run takes up to {@code k} steps fed only the batches' indices, as {@link
 * GraphFedTraining} does, but
 *
 * <ul>
 *   <li>the weights are resource variables ({@code VarHandleOp}, {@code ReadVariableOp}, {@code
 *       ResourceApplyGradientDescent}), which XLA compiles, instead of {@code VariableV2}
 *       references, which it cannot;
 *   <li>every op of the steps and of the cost sum is marked {@code _XlaCompile=true}, as Python's
 *       {@code tf.xla.experimental.jit_scope()} marks them, so the {@code k} unrolled steps, the
 *       gathering of the batches and the cost sum become one XLA cluster: one kernel launch where
 *       the plain executor dispatches some 30 kernels per step. No process-wide setting ({@code
 *       global_jit_level}, {@code --tf_xla_cpu_global_jit}) is touched, so no other session of the
 *       process is compiled.
 * </ul>
 *
 * <p>The math is the lesson's (the same network, cost, gradients and learning rate on the same
 * batches) but XLA fuses and reorders float operations: the weights are not bit-identical to the
 * lesson's graph. After 100 steps at the lesson's settings they stay within {@link
 * WhileLoopTraining#WEIGHT_TOLERANCE} of it, relative to the largest weight ({@code
 * CompiledTrainingTest}), and the accuracy within noise.
 *
 * <p>The network's own variables ({@code hidden_layer/weights}, ...) stay the contract: {@link
 * #load} copies their values in, and {@link #takeCostSum}, called at the end of each epoch, copies
 * the trained values back, so validation, checkpoints and exports see them. Close it to free its
 * session.
 */
public final class CompiledTraining implements InGraphTraining, AutoCloseable {

  /**
   * Switches for measuring what each part gives ({@code bench}'s lever rows); {@link #FASTEST} is
   * what {@code train} uses.
   *
   * @param jitCompile compile with XLA; false runs the same resource-variable graph on the executor
   * @param carryWeights each step hands its updated weights to the next as values, and only the
   *     run's last step writes the variables (as {@code lax.scan} carries them); false reads and
   *     updates the variables in every step ({@code ResourceApplyGradientDescent}). XLA cannot put
   *     a variable's write and a later read of it in one cluster, so only carried weights let it
   *     compile a run's steps as one executable
   * @param biasAdd {@code BiasAdd} instead of {@code Add} for {@code xW + b} (lets Grappler's
   *     remapper fuse {@code MatMul}, {@code BiasAdd} and {@code Relu} without XLA)
   * @param floatPixels hold the training split as float32 (four times the memory) instead of uint8
   *     converted in each step
   */
  public record Settings(
      boolean jitCompile, boolean carryWeights, boolean biasAdd, boolean floatPixels) {
    /** XLA, weights carried, {@code Add}, uint8 pixels. */
    public static final Settings FASTEST = new Settings(true, true, false, false);
  }

  private final DataSet data;
  private final int stepsPerRun;
  private final int batchSize;
  private final Graph graph;
  private final Session session;
  private final LoopVariables variables;
  // this loop's graph (imported from the one built, so known by name)
  private final String indices;
  private final List<String> stepsDone;
  private final List<String> accumulateCost;

  private CompiledTraining(Builder b) {
    this.data = b.data;
    this.stepsPerRun = b.stepsPerRun;
    this.batchSize = b.batchSize;
    this.graph = b.graph;
    this.session = b.session;
    this.variables = b.variables;
    this.indices = b.indices.op().name();
    this.stepsDone = names(b.stepsDone);
    this.accumulateCost = names(b.accumulateCost);
  }

  private static List<String> names(List<? extends Op> ops) {
    return ops.stream().map(o -> o.op().name()).toList();
  }

  /** The parts, gathered while building. */
  private static final class Builder {
    Mlp.Network net;
    DataSet data;
    int stepsPerRun;
    int batchSize;
    Graph graph;
    Session session;
    LoopVariables variables;
    Placeholder<TInt32> indices;
    List<Op> stepsDone = new ArrayList<>();
    List<Op> accumulateCost = new ArrayList<>();
    Settings settings;
  }

  /**
   * As {@link #build(Mlp.Network, Mlp.Options, DataSet, int, int, Settings)} with XLA.
   *
   * @param net the network to train, without dropout
   * @param options the options {@code net} was built with (learning rate, optimizer)
   * @param data the training split, copied into the loop's variables
   * @param stepsPerRun the most steps one run takes ({@code k}), {@code >= 1}
   * @param batchSize examples per step, {@code >= 1}
   * @return the compiled training; close it to free its session
   */
  public static CompiledTraining build(
      Mlp.Network net, Mlp.Options options, DataSet data, int stepsPerRun, int batchSize) {
    return build(net, options, data, stepsPerRun, batchSize, Settings.FASTEST);
  }

  /**
   * Builds the compiled loop for {@code net} (a few assign ops under {@code compiled_training/} are
   * added to its graph, to copy the trained weights back) and opens its session.
   *
   * @param net the network to train, without dropout
   * @param options the options {@code net} was built with (learning rate, optimizer)
   * @param data the training split, copied into the loop's variables
   * @param stepsPerRun the most steps one run takes ({@code k}), {@code >= 1}
   * @param batchSize examples per step, {@code >= 1}
   * @param settings the levers: XLA, weights carried as values, {@code BiasAdd}, float pixels
   * @return the compiled training; close it to free its session
   * @throws IllegalArgumentException for a network with dropout, or sizes below 1
   */
  public static CompiledTraining build(
      Mlp.Network net,
      Mlp.Options options,
      DataSet data,
      int stepsPerRun,
      int batchSize,
      Settings settings) {
    if (options.dropout()) {
      throw new IllegalArgumentException("compiled training needs a network without dropout");
    }
    if (stepsPerRun < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "steps per run and batch size must be at least 1, found "
              + stepsPerRun
              + " and "
              + batchSize);
    }
    Builder b = new Builder();
    b.net = net;
    b.data = data;
    b.stepsPerRun = stepsPerRun;
    b.batchSize = batchSize;
    b.settings = settings;
    b.graph = new Graph();
    try (Graph scratch = new Graph()) {
      buildSteps(b, scratch, options);
      GraphDef def = scratch.toGraphDef();
      if (settings.jitCompile()) {
        def = markForXla(def);
      }
      b.graph.importGraphDef(def);
      ConfigProto.Builder config = ConfigProto.newBuilder();
      if (settings.jitCompile()) {
        // Grappler's rewrites make new nodes without the mark, which would cut the steps into
        // many clusters; XLA does its own constant folding and fusion
        config.getGraphOptionsBuilder().getRewriteOptionsBuilder().setDisableMetaOptimizer(true);
      }
      b.session = new Session(b.graph, config.build());
      // names are read from the graph that was built, so before it closes
      return new CompiledTraining(b);
    } catch (RuntimeException e) {
      if (b.session != null) {
        b.session.close();
      }
      b.graph.close();
      throw e;
    }
  }

  private static void buildSteps(Builder b, Graph scratch, Mlp.Options options) {
    Ops tf = Ops.create(scratch);
    b.variables =
        LoopVariables.add(
            b.net, "compiled_training", tf, "compiled", b.data, b.settings.floatPixels());
    List<Operand<?>> handles = b.variables.weights();
    Operand<?> images = b.variables.images();
    Operand<?> classes = b.variables.labels();
    Ops d = tf.withSubScope("data");
    int k = b.stepsPerRun;
    int batch = b.batchSize;
    b.indices =
        d.withName("batch_indices")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of((long) k * batch)));

    Operand<?> sum = b.variables.costSum();

    int layers = handles.size() / 2;
    List<Op> previous = List.of();
    List<Operand<TFloat32>> carried = List.of();
    List<Operand<TFloat32>> costs = new ArrayList<>();
    for (int step = 0; step < k; step++) {
      Ops s = tf.withSubScope("step_" + step);
      Ops after = s.withControlDependencies(previous);
      List<Operand<TFloat32>> reads = new ArrayList<>();
      if (b.settings.carryWeights() && step > 0) {
        reads.addAll(carried);
      } else {
        for (Operand<?> h : handles) {
          reads.add(after.readVariableOp(h, TFloat32.class));
        }
      }
      // this step's batch, gathered and converted as DataSet makes it (uint8 * (1/255))
      Operand<TInt32> ix =
          s.slice(b.indices, s.constant(new int[] {step * batch}), s.constant(new int[] {batch}));
      Operand<TFloat32> x;
      if (b.settings.floatPixels()) {
        x = s.gather(s.readVariableOp(images, TFloat32.class), ix, s.constant(0));
      } else {
        x =
            s.math.mul(
                s.dtypes.cast(
                    s.gather(s.readVariableOp(images, TUint8.class), ix, s.constant(0)),
                    TFloat32.class),
                s.constant((float) (1.0 / 255.0)));
      }
      Operand<TFloat32> y =
          s.oneHot(
              s.gather(s.readVariableOp(classes, TInt32.class), ix, s.constant(0)),
              s.constant(Mlp.NUM_CLASSES),
              s.constant(1.0f),
              s.constant(0.0f));
      Operand<TFloat32> layer = x;
      for (int i = 0; i < layers; i++) {
        Operand<TFloat32> product = s.linalg.matMul(layer, reads.get(i));
        layer =
            b.settings.biasAdd()
                ? s.nn.biasAdd(product, reads.get(layers + i))
                : s.math.add(product, reads.get(layers + i));
        if (i < layers - 1) {
          layer = Layers.relu(s, layer);
        }
      }
      Operand<TFloat32> cost =
          s.math.mean(s.nn.softmaxCrossEntropyWithLogits(layer, y).loss(), s.constant(0));
      costs.add(cost);
      Gradients grads = s.withSubScope("gradients").gradients(cost, reads);
      List<Op> allGradients = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        Output<?> g = grads.dy(i);
        allGradients.add(() -> g.op());
      }
      if (b.settings.carryWeights()) {
        // ApplyGradientDescent's own arithmetic, var - grad * rate, on values: the next step
        // takes them as they are, and only the run's last step writes them to the variables
        Ops gd = s.withSubScope("GradientDescent");
        Operand<TFloat32> rate = gd.constant((float) options.learningRate());
        List<Operand<TFloat32>> next = new ArrayList<>();
        List<Op> writes = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
          Operand<TFloat32> updated =
              gd.math.sub(reads.get(i), gd.math.mul(grads.dy(i).expect(TFloat32.class), rate));
          next.add(updated);
          writes.add(gd.assignVariableOp(handles.get(i), updated));
        }
        carried = next;
        b.stepsDone.add(s.withName("done").withControlDependencies(writes).noOp());
        continue;
      }
      // every update waits for every gradient, as in GradientDescentStep
      Ops gd = s.withSubScope("GradientDescent").withControlDependencies(allGradients);
      Operand<TFloat32> rate = gd.constant((float) options.learningRate());
      List<Op> updates = new ArrayList<>();
      for (int i = 0; i < handles.size(); i++) {
        updates.add(
            gd.train.resourceApplyGradientDescent(
                handles.get(i), rate, grads.dy(i).expect(TFloat32.class)));
      }
      previous = updates;
      b.stepsDone.add(s.withName("done").withControlDependencies(updates).noOp());
    }
    for (int j = 1; j <= k; j++) {
      Ops add = d.withSubScope("add_costs_" + j);
      b.accumulateCost.add(
          add.assignAddVariableOp(
              sum,
              add.sum(
                  add.dtypes.cast(add.stack(costs.subList(0, j)), TFloat64.class),
                  add.constant(0))));
    }
  }

  /**
   * Marks every op of the steps and of the cost sum with {@code _XlaCompile=true}, as Python's
   * {@code tf.xla.experimental.jit_scope()} does: XLA then compiles them on a CPU without the
   * process-wide auto-clustering flag ({@code --tf_xla_cpu_global_jit}), which would also compile
   * every other session of the process, the lesson's exact ones included.
   */
  private static GraphDef markForXla(GraphDef def) {
    GraphDef.Builder marked = def.toBuilder();
    for (NodeDef.Builder node : marked.getNodeBuilderList()) {
      if (node.getName().startsWith("step_") || node.getName().startsWith("data/add_costs_")) {
        node.putAttr(XLA_COMPILE, AttrValue.newBuilder().setB(true).build());
      }
    }
    return marked.build();
  }

  private static final String XLA_COMPILE = "_XlaCompile";

  @Override
  public int stepsPerRun() {
    return stepsPerRun;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  /** Copies the training split and the network's weights (from {@code session}) in. */
  @Override
  public void load(Session modelSession) {
    variables.load(session, modelSession, data);
  }

  /**
   * Runs one step per batch given (up to {@link #stepsPerRun()}) in this loop's session; the
   * network's {@code session} is not touched until {@link #takeCostSum}.
   */
  @Override
  public void run(Session modelSession, int[] batchIndices) {
    runner(batchIndices, r -> r.run().close());
  }

  /**
   * Runs as {@link #run} does and returns the graphs TensorFlow executed for it, after Grappler and
   * XLA's clustering ({@code RunOptions.output_partition_graphs}): their op types, counted.
   *
   * @param batchIndices the positions fed to the run, 1 to {@code k} whole batches
   * @return each op type (e.g. {@code _XlaRun}, {@code MatMul}) and how many times it appears in
   *     the executed graphs
   */
  public Map<String, Integer> partitionGraphOps(int[] batchIndices) {
    Map<String, Integer> ops = new TreeMap<>();
    RunOptions options = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
    runner(
        batchIndices,
        r -> {
          try (Result result = r.setOptions(options).runAndFetchMetadata()) {
            RunMetadata metadata = result.getMetadata().orElseThrow();
            for (GraphDef g : metadata.getPartitionGraphsList()) {
              for (NodeDef node : g.getNodeList()) {
                ops.merge(node.getOp(), 1, Integer::sum);
              }
            }
          }
        });
    return ops;
  }

  private void runner(int[] batchIndices, Consumer<Session.Runner> action) {
    int j = InGraphTraining.batches(batchIndices, batchSize, stepsPerRun);
    int[] padded = InGraphTraining.padded(batchIndices, batchSize, stepsPerRun);
    try (TInt32 ix =
        TInt32.tensorOf(Shape.of(padded.length), DataBuffers.of(padded, true, false))) {
      action.accept(
          session
              .runner()
              .feed(indices, ix)
              .addTarget(stepsDone.get(j - 1))
              .addTarget(accumulateCost.get(j - 1)));
    }
  }

  /**
   * Copies the trained weights into the network's variables in {@code session}, and returns the sum
   * of the costs of the steps run since the last call.
   */
  @Override
  public double takeCostSum(Session modelSession) {
    return variables.takeCostSum(session, modelSession);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
