package org.dnnlessons.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Several training steps in one {@code Session.run}: the multilayer perceptron's step unrolled
 * {@code k} times, each step reading the weights the previous one wrote. It feeds {@code k} batches
 * at once ({@code xs}, {@code ys}: {@code k * batchSize} rows, batch after batch) and so pays the
 * fixed cost of a run (feeding, scheduling) once per {@code k} steps.
 *
 * <p>The math is the network's own: the same ops on the same batches in the same order, so {@code
 * k} unrolled steps leave the weights bit-identical to {@code k} single steps ({@code
 * UnrolledTrainingTest}). Only networks without dropout are unrolled: dropout would need random ops
 * of its own, with seeds unlike the single step's.
 *
 * @param xs the images of {@code k} batches, {@code [k * batchSize, rows, columns, 1]}
 * @param ys their one-hot labels, {@code [k * batchSize, 10]}
 * @param costs each step's cost, {@code [k]}
 * @param stepCosts the same costs, one scalar per step: a run of the first {@code j} steps fetches
 *     the first {@code j} (the stacked {@link #costs} needs every step)
 * @param trainOp runs the {@code k} steps
 * @param stepsDone {@code k} ops: the {@code j}-th ({@code step_j/done}) runs the first {@code j +
 *     1} steps only, which is how a run covers fewer than {@code k} batches (the end of an epoch)
 * @param steps {@code k}
 * @param batchSize the rows of one step
 */
public record UnrolledTraining(
    Operand<TFloat32> xs,
    Operand<TFloat32> ys,
    Operand<TFloat32> costs,
    List<Operand<TFloat32>> stepCosts,
    Op trainOp,
    List<Op> stepsDone,
    int steps,
    int batchSize) {

  /**
   * Copies the lists.
   *
   * @param xs the images of {@code k} batches, float32 {@code [k * batchSize, rows, columns, 1]}
   * @param ys their one-hot labels, float32 {@code [k * batchSize, 10]}
   * @param costs each step's mean cross-entropy, float32 {@code [k]}
   * @param stepCosts the same costs, one scalar per step; copied
   * @param trainOp runs the {@code k} steps
   * @param stepsDone {@code k} ops, the {@code j}-th runs the first {@code j + 1} steps; copied
   * @param steps {@code k}, the steps one run takes
   * @param batchSize the rows of one step
   */
  public UnrolledTraining {
    stepCosts = List.copyOf(stepCosts);
    stepsDone = List.copyOf(stepsDone);
  }

  /**
   * Adds {@code steps} unrolled training steps of {@code batchSize} rows to {@code net}'s graph.
   *
   * @param net a network built without dropout; its variables are trained
   * @param options the options {@code net} was built with (image size, learning rate)
   * @param steps {@code k}, the steps one run takes, {@code >= 1}
   * @param batchSize the rows of one step, {@code >= 1}
   * @return the steps, with placeholders {@code unrolled/xs} and {@code unrolled/ys} to feed
   * @throws IllegalArgumentException for a network built with dropout, or sizes below 1
   */
  public static UnrolledTraining build(
      Mlp.Network net, Mlp.Options options, int steps, int batchSize) {
    if (options.dropout()) {
      throw new IllegalArgumentException("steps per run above 1 need a network without dropout");
    }
    if (steps < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "steps per run and batch size must be at least 1, found " + steps + " and " + batchSize);
    }
    Ops tf = net.model().tf().withSubScope("unrolled");
    int rows = options.imageRows();
    int cols = options.imageColumns();
    Placeholder<TFloat32> xs =
        tf.withName("xs")
            .placeholder(
                TFloat32.class,
                Placeholder.shape(Shape.of((long) steps * batchSize, rows, cols, 1)));
    Placeholder<TFloat32> ys =
        tf.withName("ys")
            .placeholder(
                TFloat32.class,
                Placeholder.shape(Shape.of((long) steps * batchSize, Mlp.NUM_CLASSES)));
    return build(net, options, steps, batchSize, tf, xs, ys);
  }

  /**
   * As {@link #build(Mlp.Network, Mlp.Options, int, int)}, taking the {@code k} batches from {@code
   * xs} ({@code [k * batchSize, rows, columns, 1]}) and {@code ys} ({@code [k * batchSize, 10]})
   * computed in the graph, e.g. gathered from a data set held in the graph.
   *
   * @param net a network built without dropout (not checked here)
   * @param options the options {@code net} was built with (image size, learning rate)
   * @param steps {@code k}, the steps one run takes, {@code >= 1} (not checked here)
   * @param batchSize the rows of one step, {@code >= 1}
   * @param tf the scope the ops are created in
   * @param xs the images, float32 {@code [k * batchSize, rows, columns, 1]}
   * @param ys the one-hot labels, float32 {@code [k * batchSize, 10]}
   * @return the steps; {@code stepsDone} lets a run stop after fewer than {@code k}
   */
  public static UnrolledTraining build(
      Mlp.Network net,
      Mlp.Options options,
      int steps,
      int batchSize,
      Ops tf,
      Operand<TFloat32> xs,
      Operand<TFloat32> ys) {
    int rows = options.imageRows();
    int cols = options.imageColumns();
    List<NamedVariable<TFloat32>> variables = net.variables();
    List<Op> previousUpdates = List.of();
    List<Operand<TFloat32>> costs = new ArrayList<>();
    List<Op> stepsDone = new ArrayList<>();
    for (int k = 0; k < steps; k++) {
      Ops step = tf.withSubScope("step_" + k);
      // Reads after the previous step's updates; the first step reads as the single step does.
      // One scope for all of them: each withControlDependencies walks every op of the graph
      // (NameScope.importIdsFrom), so one per variable made building quadratic in the layers.
      // Each read waits on the one op step_{k-1}/done, which waits on every update: 2V edges
      // instead of every read waiting on every update (V^2, quadratic in the layers).
      Ops after = k == 0 ? null : step.withControlDependencies(List.of(stepsDone.get(k - 1)));
      List<Operand<TFloat32>> reads = new ArrayList<>();
      for (NamedVariable<TFloat32> v : variables) {
        reads.add(k == 0 ? v.read() : after.identity(v.variable()));
      }
      Operand<TFloat32> x =
          step.slice(
              xs,
              step.constant(new int[] {k * batchSize, 0, 0, 0}),
              step.constant(new int[] {batchSize, rows, cols, 1}));
      Operand<TFloat32> y =
          step.slice(
              ys,
              step.constant(new int[] {k * batchSize, 0}),
              step.constant(new int[] {batchSize, Mlp.NUM_CLASSES}));
      Operand<TFloat32> flat = step.reshape(x, step.constant(new int[] {-1, rows * cols}));
      DescentStep math = DescentStep.build(step, flat, y, reads, false);
      costs.add(math.cost());
      // every update waits until every gradient is computed (the reads alias the variables),
      // through one NoOp: V + V edges, where each update waiting on each gradient made V^2
      Ops gradientScope = step.withSubScope("GradientDescent");
      Op gradientsDone =
          gradientScope
              .withName("gradients_done")
              .withControlDependencies(math.gradientOps())
              .noOp();
      Ops gd = gradientScope.withControlDependencies(List.of(gradientsDone));
      Operand<TFloat32> rate = gd.constant((float) options.learningRate());
      List<Op> updates = new ArrayList<>();
      for (int i = 0; i < variables.size(); i++) {
        updates.add(
            gd.train.applyGradientDescent(
                variables.get(i).variable(), rate, math.gradients().get(i)));
      }
      previousUpdates = updates;
      // each step reads what the one before wrote, so this runs steps 0..k and no further
      stepsDone.add(step.withName("done").withControlDependencies(updates).noOp());
    }
    Op trainOp = tf.withName("train_op").withControlDependencies(previousUpdates).noOp();
    Operand<TFloat32> costVector = tf.withName("costs").stack(costs);
    return new UnrolledTraining(xs, ys, costVector, costs, trainOp, stepsDone, steps, batchSize);
  }

  /**
   * Runs the {@link #steps()} steps on fed batches: {@code images} and {@code labels} hold them
   * batch after batch. Only for an instance whose {@code xs} and {@code ys} are placeholders.
   *
   * @param session a session on {@code net}'s graph, variables initialized
   * @param images float32 {@code [k * batchSize, rows, columns, 1]}, fed to {@code xs}
   * @param labels float32 {@code [k * batchSize, 10]}, one-hot, fed to {@code ys}
   */
  public void trainSteps(Session session, Tensor images, Tensor labels) {
    session.runner().feed(xs, images).feed(ys, labels).addTarget(trainOp).run().close();
  }
}
