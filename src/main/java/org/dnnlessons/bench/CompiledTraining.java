package org.dnnlessons.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.DescentStep;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.GraphFedTraining;
import org.dnnlessons.train.InGraphSplit;
import org.dnnlessons.train.InGraphTraining;
import org.dnnlessons.train.LoopVariables;
import org.dnnlessons.train.SeparateGraphTraining;
import org.dnnlessons.train.WhileLoopTraining;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

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
public final class CompiledTraining extends SeparateGraphTraining {

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

  private static final String XLA_COMPILE = "_XlaCompile";

  // this loop's graph (imported from the one built, so known by name)
  private final List<String> stepsDone;
  private final List<String> accumulateCost;

  private CompiledTraining(Built b, int stepsPerRun, int batchSize, boolean jitCompile) {
    super(stepsPerRun, batchSize, b.variables(), b.indices(), b.def(), jitCompile);
    this.stepsDone = b.stepsDone();
    this.accumulateCost = b.accumulateCost();
  }

  /** The loop's graph as built, and the names a run feeds and targets. */
  private record Built(
      GraphDef def,
      LoopVariables variables,
      String indices,
      List<String> stepsDone,
      List<String> accumulateCost) {}

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
    checkSizes(options.dropout(), stepsPerRun, batchSize);
    try (Graph scratch = new Graph()) {
      Built b =
          buildSteps(
              net, scratch, data, stepsPerRun, batchSize, (float) options.learningRate(), settings);
      if (settings.jitCompile()) {
        b =
            new Built(
                markForXla(b.def()), b.variables(), b.indices(), b.stepsDone(), b.accumulateCost());
      }
      return new CompiledTraining(b, stepsPerRun, batchSize, settings.jitCompile());
    }
  }

  private static Built buildSteps(
      Mlp.Network net,
      Graph scratch,
      DataSet data,
      int k,
      int batch,
      float rate,
      Settings settings) {
    Ops tf = Ops.create(scratch);
    LoopVariables variables =
        LoopVariables.add(net, "compiled_training", tf, "compiled", data, settings.floatPixels());
    Ops d = tf.withSubScope("data");
    Placeholder<TInt32> indices =
        d.withName("batch_indices")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of((long) k * batch)));
    List<Op> previous = List.of();
    List<Operand<TFloat32>> carried = List.of();
    List<Operand<TFloat32>> costs = new ArrayList<>();
    List<Op> stepsDone = new ArrayList<>();
    for (int step = 0; step < k; step++) {
      Ops s = tf.withSubScope("step_" + step);
      List<Operand<TFloat32>> reads =
          settings.carryWeights() && step > 0
              ? carried
              : read(s.withControlDependencies(previous), variables.weights());
      // this step's batch, gathered and converted as DataSet makes it
      InGraphSplit.Batch xy =
          variables.split().gather(s, InGraphSplit.stepIndices(s, indices, null, step, batch));
      DescentStep math =
          DescentStep.build(s, xy.images(), xy.oneHotLabels(), reads, settings.biasAdd());
      costs.add(math.cost());
      List<Op> writes;
      if (settings.carryWeights()) {
        // the next step takes the updated weights as they are; only the run's last step's
        // writes are needed, to the variables
        Ops gd = s.withSubScope("GradientDescent");
        carried = math.descended(gd, rate);
        writes = new ArrayList<>();
        for (int i = 0; i < carried.size(); i++) {
          writes.add(gd.assignVariableOp(variables.weights().get(i), carried.get(i)));
        }
      } else {
        writes = applied(s, variables.weights(), math, rate);
        previous = writes;
      }
      stepsDone.add(s.withName("done").withControlDependencies(writes).noOp());
    }
    List<Op> accumulate = InGraphTraining.addCostSums(d, variables.costSum(), costs);
    return new Built(
        scratch.toGraphDef(), variables, indices.op().name(), names(stepsDone), names(accumulate));
  }

  private static List<Operand<TFloat32>> read(Ops tf, List<Operand<?>> handles) {
    List<Operand<TFloat32>> reads = new ArrayList<>();
    for (Operand<?> h : handles) {
      reads.add(tf.readVariableOp(h, TFloat32.class));
    }
    return reads;
  }

  /**
   * {@code ResourceApplyGradientDescent} on every weight; every update waits for every gradient, as
   * in the lesson's {@code GradientDescent} step.
   */
  private static List<Op> applied(
      Ops s, List<Operand<?>> handles, DescentStep math, float learningRate) {
    Ops gd = s.withSubScope("GradientDescent").withControlDependencies(math.gradientOps());
    Operand<TFloat32> rate = gd.constant(learningRate);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < handles.size(); i++) {
      updates.add(
          gd.train.resourceApplyGradientDescent(handles.get(i), rate, math.gradients().get(i)));
    }
    return updates;
  }

  private static List<String> names(List<? extends Op> ops) {
    return ops.stream().map(o -> o.op().name()).toList();
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
    run(
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

  /** Targets the first {@code steps} steps and the sum of their costs. */
  @Override
  protected Session.Runner runSteps(Session.Runner runner, int steps, TInt32 stepsTensor) {
    return runner.addTarget(stepsDone.get(steps - 1)).addTarget(accumulateCost.get(steps - 1));
  }
}
