package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The resource variables a compiled training loop ({@link WhileLoopTraining}, and the benchmark's
 * {@code bench.CompiledTraining}) keeps in a graph and session of its own, and their exchange with
 * the network's session: a copy of the network's weights, the training split ({@link InGraphSplit})
 * and the sum of the steps' costs (float64). {@link #load} copies the split and the network's
 * weights in before the first run; {@link #takeCostSum} copies the trained weights back into the
 * network's {@code VariableV2}s and returns the cost sum, at the end of each epoch.
 *
 * <p>Made while the loop's graph is built ({@link #add}); the handles ({@link #weights()}, {@link
 * #split()}, {@link #costSum()}) serve the building only, the rest keeps op names, valid in the
 * graph imported from the one built.
 */
public final class LoopVariables {

  private final List<NamedVariable<TFloat32>> modelVariables;
  private final InGraphSplit split;
  // the network's side: assign fed values to its VariableV2s
  private final List<Placeholder<TFloat32>> modelIn = new ArrayList<>();
  private final List<Op> modelAssign = new ArrayList<>();
  // the loop's side, by name
  private final List<String> weightsIn = new ArrayList<>();
  private final List<String> weightsAssign = new ArrayList<>();
  private final List<String> weightsOut = new ArrayList<>();
  private final String readCostSum;
  private final String resetCost;
  // handles, for building
  private final List<Operand<?>> weights = new ArrayList<>();
  private final Operand<?> costSum;

  private LoopVariables(
      Mlp.Network net, String scope, Ops tf, String sharedName, DataSet data, boolean floatPixels) {
    this.modelVariables = net.variables();
    Ops model = net.model().tf().withSubScope(scope);
    for (int i = 0; i < modelVariables.size(); i++) {
      NamedVariable<TFloat32> v = modelVariables.get(i);
      Shape shape = v.variable().shape();
      Placeholder<TFloat32> back = model.placeholder(TFloat32.class, Placeholder.shape(shape));
      modelIn.add(back);
      modelAssign.add(model.assign(v.variable(), back));
      var handle =
          tf.withName("variable_" + i)
              .varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName(sharedName + "_" + i));
      weights.add(handle);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      weightsIn.add(in.op().name());
      weightsAssign.add(tf.assignVariableOp(handle, in).op().name());
      weightsOut.add(tf.readVariableOp(handle, TFloat32.class).op().name());
    }
    Ops d = tf.withSubScope("data");
    split = InGraphSplit.add(d, sharedName, data, floatPixels);
    costSum =
        d.varHandleOp(TFloat64.class, Shape.scalar(), VarHandleOp.sharedName(sharedName + "_cost"));
    readCostSum = d.readVariableOp(costSum, TFloat64.class).op().name();
    resetCost = d.assignVariableOp(costSum, d.constant(0.0)).op().name();
  }

  /**
   * Adds the variables to the loop's graph ({@code tf}, shared names starting {@code sharedName})
   * and, under {@code scope}, the assign ops that copy values back to {@code net}'s graph.
   *
   * @param net the network whose weights are copied
   * @param scope the name scope of the assign ops in {@code net}'s graph
   * @param tf the loop graph's ops
   * @param sharedName the prefix of the variables' shared names
   * @param data the training split, for the shapes of the pixel and label variables
   * @param floatPixels true to hold the pixels as float32 {@code [n, imageSize]}, false as uint8
   *     (converted per step)
   * @return the variables' handles
   */
  public static LoopVariables add(
      Mlp.Network net, String scope, Ops tf, String sharedName, DataSet data, boolean floatPixels) {
    return new LoopVariables(net, scope, tf, sharedName, data, floatPixels);
  }

  /**
   * The handles of the weights' copies, in the network's variable order.
   *
   * @return one resource handle per weight or bias
   */
  public List<Operand<?>> weights() {
    return weights;
  }

  /**
   * The training split held in the loop's graph: its pixels and labels, and its batches.
   *
   * @return the split
   */
  public InGraphSplit split() {
    return split;
  }

  /**
   * The handle of the cost sum, a float64 scalar the loop adds its steps' costs to.
   *
   * @return the resource handle
   */
  public Operand<?> costSum() {
    return costSum;
  }

  /**
   * Copies the training split ({@link InGraphSplit#load}) and the network's weights from {@code
   * modelSession} into {@code loopSession}, and zeroes the cost sum.
   *
   * @param loopSession the loop graph's session
   * @param modelSession the network's session, with its variables initialized or restored
   */
  public void load(Session loopSession, Session modelSession) {
    split.load(loopSession);
    loopSession.runner().addTarget(resetCost).run().close();
    Session.Runner fetch = modelSession.runner();
    modelVariables.forEach(v -> fetch.fetch(v.read()));
    try (Result values = fetch.run()) {
      Session.Runner assign = loopSession.runner();
      for (int i = 0; i < weightsIn.size(); i++) {
        assign.feed(weightsIn.get(i), values.get(i)).addTarget(weightsAssign.get(i));
      }
      assign.run().close();
    }
  }

  /**
   * Copies the trained weights into the network's variables in {@code modelSession}, and returns
   * the sum of the costs of the steps run since the last call, which starts a new sum.
   *
   * @param loopSession the loop graph's session
   * @param modelSession the network's session; its variables receive the trained weights
   * @return the sum of the steps' costs since the last call, float64
   */
  public double takeCostSum(Session loopSession, Session modelSession) {
    double total;
    Session.Runner fetch = loopSession.runner().fetch(readCostSum);
    weightsOut.forEach(fetch::fetch);
    try (Result r = fetch.run()) {
      total = ((TFloat64) r.get(0)).getDouble();
      Session.Runner assign = modelSession.runner();
      for (int i = 0; i < modelIn.size(); i++) {
        assign.feed(modelIn.get(i), r.get(i + 1)).addTarget(modelAssign.get(i));
      }
      assign.run().close();
    }
    loopSession.runner().addTarget(resetCost).run().close();
    return total;
  }
}
