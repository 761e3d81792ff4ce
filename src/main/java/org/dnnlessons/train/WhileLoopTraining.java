package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.DescentStep;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * {@code train --jit-compile}'s loop: the steps of a run are one {@code While} loop (the graph form
 * of {@code tf.while_loop}) whose body is a single training step, and the loop is wrapped in a
 * function call marked {@code _XlaMustCompile}, as {@code tf.function(jit_compile=True)} marks its
 * call, so that XLA compiles the whole run, up to {@code k} steps, into one executable. The graph
 * holds one step's ops whatever {@code k} is (where unrolling {@code k} steps, the benchmark's
 * {@code bench.CompiledTraining}, makes a graph and a compile time that grow with {@code k}), and
 * the fixed cost of a {@code Session.run} is paid once per {@code k} steps. Its speed against the
 * exact graph is measured by {@code bench --levers} (the table in {@code
 * src/site/markdown/performance.md}).
 *
 * <p>The math is the lesson's (the network, cost, gradients and learning rate, on the same
 * batches), each step's weights carried to the next as values (as {@code lax.scan} carries them),
 * but XLA fuses and reorders float operations: after 100 steps the weights stay within {@link
 * #WEIGHT_TOLERANCE} of the exact graph's, relative to the largest weight ({@code
 * WhileLoopTrainingTest}), not bit for bit. Use {@link GraphFedTraining} for bit-identical weights.
 *
 * <p>The weights, the training split (uint8 pixels, int32 labels) and the cost sum live in resource
 * variables of its own graph and session ({@link SeparateGraphTraining}). Close it to free its
 * session. Not for dropout.
 */
public final class WhileLoopTraining extends SeparateGraphTraining {

  /**
   * How far the weights may move from the lesson's exact graph after 100 steps of the same batches
   * ({@code train --jit-compile}'s promise): the largest difference of a variable's elements over
   * its largest magnitude.
   */
  public static final double WEIGHT_TOLERANCE = 1e-5;

  private static final String CALL = "steps";

  private final String limit;
  private final String runSteps;

  private WhileLoopTraining(Built built, int stepsPerRun, int batchSize) {
    super(stepsPerRun, batchSize, built.variables(), built.indices(), built.def(), true);
    this.limit = built.limit();
    this.runSteps = built.runSteps();
  }

  /** The loop's graph as built, and the names a run feeds and targets. */
  private record Built(
      GraphDef def, LoopVariables variables, String indices, String limit, String runSteps) {}

  /**
   * Builds the loop for {@code net} (a few assign ops under {@code while_loop_training/} are added
   * to its graph, to copy the trained weights back) and opens its session.
   *
   * @param stepsPerRun the most steps one run takes ({@code k}); 64 for {@code train}
   * @param batchSize rows of one step
   * @param net the network to train, without dropout
   * @param options the options {@code net} was built with (learning rate, optimizer)
   * @param data the training split, copied into the loop's variables
   * @return the training; call {@link #load} before the first run, close it to free its session
   * @throws IllegalArgumentException for a network with dropout, or sizes below 1
   */
  public static WhileLoopTraining build(
      Mlp.Network net, Mlp.Options options, DataSet data, int stepsPerRun, int batchSize) {
    return build(net, options, data, stepsPerRun, batchSize, true);
  }

  /** As above; {@code jitCompile == false} leaves the call unmarked, for the executor to run. */
  static WhileLoopTraining build(
      Mlp.Network net,
      Mlp.Options options,
      DataSet data,
      int stepsPerRun,
      int batchSize,
      boolean jitCompile) {
    checkSizes(options.dropout(), stepsPerRun, batchSize);
    try (Graph scratch = new Graph()) {
      Built built = build(net, scratch, data, batchSize, (float) options.learningRate());
      GraphDef.Builder def = built.def().toBuilder();
      for (NodeDef.Builder node : def.getNodeBuilderList()) {
        if (jitCompile && node.getName().equals(CALL)) {
          node.putAttr("_XlaMustCompile", AttrValue.newBuilder().setB(true).build());
        }
      }
      built =
          new Built(
              def.build(), built.variables(), built.indices(), built.limit(), built.runSteps());
      return new WhileLoopTraining(built, stepsPerRun, batchSize);
    }
  }

  /** The loop variables of the {@code While}, in order: the body's inputs and outputs. */
  private record LoopVars(
      Operand<TInt32> step,
      Operand<TInt32> limit,
      List<Operand<TFloat32>> weights,
      Operand<TFloat64> cost,
      Operand<TUint8> images,
      Operand<TInt32> labels,
      Operand<TInt32> indices) {

    List<Operand<?>> all() {
      List<Operand<?>> out = new ArrayList<>(List.of(step, limit));
      out.addAll(weights);
      out.addAll(List.of(cost, images, labels, indices));
      return out;
    }

    static LoopVars placeholders(Ops tf, List<Shape> weightShapes, int n, int size) {
      List<Operand<TFloat32>> weights = new ArrayList<>();
      for (Shape s : weightShapes) {
        weights.add(tf.placeholder(TFloat32.class, Placeholder.shape(s)));
      }
      return new LoopVars(
          tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar())),
          tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar())),
          weights,
          tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar())),
          tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(n, size))),
          tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(n))),
          tf.placeholder(TInt32.class, Placeholder.shape(Shape.unknown())));
    }

    /** Names {@code operands} as inputs {@link #argument}{@code (0)}, ... in order. */
    static Signature.Builder inputs(Signature.Builder b, List<Operand<?>> operands) {
      for (int i = 0; i < operands.size(); i++) {
        b.input(argument(i), operands.get(i));
      }
      return b;
    }

    /** Names {@code operands} as outputs {@link #result}{@code (0)}, ... in order. */
    static Signature.Builder outputs(Signature.Builder b, List<? extends Operand<?>> operands) {
      for (int i = 0; i < operands.size(); i++) {
        b.output(result(i), operands.get(i));
      }
      return b;
    }

    /** The name of a function's {@code i}th input; the names sort in order. */
    static String argument(int i) {
      return String.format(Locale.ROOT, "in%02d", i);
    }

    /** The name of a function's {@code i}th output. */
    static String result(int i) {
      return String.format(Locale.ROOT, "out%02d", i);
    }
  }

  /** {@code step < limit}. */
  private static ConcreteFunction condition(List<Shape> shapes, int n, int size) {
    return ConcreteFunction.create(
        tf -> {
          LoopVars in = LoopVars.placeholders(tf, shapes, n, size);
          Signature.Builder b = LoopVars.inputs(Signature.builder().key("cond"), in.all());
          return b.output("go", tf.math.less(in.step(), in.limit())).build();
        });
  }

  /** One training step on batch {@code step} of the indices: the lesson's math, SGD at the rate. */
  private static ConcreteFunction body(List<Shape> shapes, int n, int size, int batch, float rate) {
    return ConcreteFunction.create(
        tf -> {
          LoopVars in = LoopVars.placeholders(tf, shapes, n, size);
          Operand<TInt32> ix = InGraphSplit.stepIndices(tf, in.indices(), in.step(), 0, batch);
          InGraphSplit.Batch xy = InGraphSplit.gather(tf, in.images(), in.labels(), ix);
          DescentStep step =
              DescentStep.build(tf, xy.images(), xy.oneHotLabels(), in.weights(), false);
          LoopVars out =
              new LoopVars(
                  tf.math.add(in.step(), tf.constant(1)),
                  tf.identity(in.limit()),
                  step.descended(tf, rate),
                  tf.math.add(in.cost(), tf.dtypes.cast(step.cost(), TFloat64.class)),
                  tf.identity(in.images()),
                  tf.identity(in.labels()),
                  tf.identity(in.indices()));
          Signature.Builder b = LoopVars.inputs(Signature.builder().key("body"), in.all());
          return LoopVars.outputs(b, out.all()).build();
        });
  }

  /**
   * The whole run: the {@code While} from the given step (the caller's 0) to {@code limit}; the
   * weights and the cost out.
   */
  private static ConcreteFunction steps(
      List<Shape> shapes, int n, int size, ConcreteFunction cond, ConcreteFunction body) {
    return ConcreteFunction.create(
        tf -> {
          LoopVars in = LoopVars.placeholders(tf, shapes, n, size);
          List<Output<?>> end = tf.whileOp(in.all(), cond, body).output();
          Signature.Builder b = LoopVars.inputs(Signature.builder().key("steps"), in.all());
          // weights and the cost: loop variables 2 to 2 + weights
          return LoopVars.outputs(b, end.subList(2, 3 + shapes.size())).build();
        });
  }

  private static Built build(
      Mlp.Network net, Graph scratch, DataSet data, int batchSize, float rate) {
    Ops tf = Ops.create(scratch);
    int n = data.numExamples();
    int size = data.imageSize();
    List<Shape> shapes = net.variables().stream().map(v -> v.variable().shape()).toList();
    LoopVariables variables =
        LoopVariables.add(net, "while_loop_training", tf, "while", data, false);
    List<Operand<?>> handles = variables.weights();
    List<Operand<TFloat32>> reads = new ArrayList<>();
    for (Operand<?> h : handles) {
      reads.add(tf.readVariableOp(h, TFloat32.class));
    }
    Ops d = tf.withSubScope("data");
    var ix = d.placeholder(TInt32.class, Placeholder.shape(Shape.unknown()));
    var steps = d.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    try (ConcreteFunction cond = condition(shapes, n, size);
        ConcreteFunction body = body(shapes, n, size, batchSize, rate);
        ConcreteFunction run = steps(shapes, n, size, cond, body)) {
      LoopVars in =
          new LoopVars(
              d.constant(0),
              steps,
              reads,
              d.constant(0.0),
              variables.split().readImages(d).asOutput().expect(TUint8.class),
              variables.split().readLabels(d),
              ix);
      Map<String, Operand<?>> args = new LinkedHashMap<>();
      List<Operand<?>> all = in.all();
      for (int i = 0; i < all.size(); i++) {
        args.put(LoopVars.argument(i), all.get(i));
      }
      Map<String, Operand<?>> out = tf.withName(CALL).call(run, args);
      List<Op> writes = new ArrayList<>();
      for (int i = 0; i < handles.size(); i++) {
        Operand<TFloat32> w = out.get(LoopVars.result(i)).asOutput().expect(TFloat32.class);
        writes.add(tf.assignVariableOp(handles.get(i), w));
      }
      Operand<TFloat64> cost =
          out.get(LoopVars.result(handles.size())).asOutput().expect(TFloat64.class);
      writes.add(d.assignAddVariableOp(variables.costSum(), cost));
      String runSteps = tf.withName("run_steps").withControlDependencies(writes).noOp().op().name();
      return new Built(
          scratch.toGraphDef(), variables, ix.op().name(), steps.op().name(), runSteps);
    }
  }

  /**
   * Runs as {@link #run} does and returns the types of the ops TensorFlow's executors ran for it
   * (from {@code RunMetadata.step_stats} at {@code FULL_TRACE}), counted, the ops of called
   * functions included: where XLA compiled the loop, its {@code StatelessWhile} and the step's
   * kernels ran inside the compiled call and are absent here.
   */
  Map<String, Integer> executedOps(int[] batchIndices) {
    Map<String, Integer> ops = new TreeMap<>();
    RunOptions options =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    run(
        batchIndices,
        r -> {
          try (Result result = r.setOptions(options).runAndFetchMetadata()) {
            for (var device : result.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
              for (var node : device.getNodeStatsList()) {
                // "name = Op(inputs)"
                String label = node.getTimelineLabel();
                int eq = label.indexOf(" = ");
                int paren = label.indexOf('(', Math.max(eq, 0));
                if (eq > 0 && paren > eq) {
                  ops.merge(label.substring(eq + 3, paren), 1, Integer::sum);
                }
              }
            }
          }
        });
    return ops;
  }

  /** Feeds the number of steps as the loop's limit and targets the run. */
  @Override
  protected Session.Runner runSteps(Session.Runner runner, int steps, TInt32 stepsTensor) {
    return runner.feed(limit, stepsTensor).addTarget(runSteps);
  }
}
