package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The resource variables a compiled training loop ({@link WhileLoopTraining}, and the benchmark's
 * {@code bench.CompiledTraining}) keeps in a graph and session of its own, and their exchange with
 * the network's session: a copy of the network's weights, the training split (uint8 pixels, or
 * float32 ones, and int32 labels) and the sum of the steps' costs (float64). {@link #load} copies
 * the split and the network's weights in before the first run; {@link #takeCostSum} copies the
 * trained weights back into the network's {@code VariableV2}s and returns the cost sum, at the end
 * of each epoch.
 *
 * <p>Made while the loop's graph is built ({@link #add}); the handles ({@link #weights()}, {@link
 * #images()}, {@link #labels()}, {@link #costSum()}) serve the building only, the rest keeps op
 * names, valid in the graph imported from the one built.
 */
public final class LoopVariables {

  private final List<NamedVariable<TFloat32>> modelVariables;
  private final boolean floatPixels;
  // the network's side: assign fed values to its VariableV2s
  private final List<Placeholder<TFloat32>> modelIn = new ArrayList<>();
  private final List<Op> modelAssign = new ArrayList<>();
  // the loop's side, by name
  private final List<String> weightsIn = new ArrayList<>();
  private final List<String> weightsAssign = new ArrayList<>();
  private final List<String> weightsOut = new ArrayList<>();
  private final String pixelsIn;
  private final String labelsIn;
  private final String loadData;
  private final String readCostSum;
  private final String resetCost;
  // handles, for building
  private final List<Operand<?>> weights = new ArrayList<>();
  private final Operand<?> images;
  private final Operand<?> labels;
  private final Operand<?> costSum;

  private LoopVariables(
      Mlp.Network net, String scope, Ops tf, String sharedName, DataSet data, boolean floatPixels) {
    this.modelVariables = net.variables();
    this.floatPixels = floatPixels;
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
    int n = data.numExamples();
    Class<? extends TType> pixelType = floatPixels ? TFloat32.class : TUint8.class;
    Shape pixelShape = Shape.of(n, data.imageSize());
    images = d.varHandleOp(pixelType, pixelShape, VarHandleOp.sharedName(sharedName + "_images"));
    labels =
        d.varHandleOp(TInt32.class, Shape.of(n), VarHandleOp.sharedName(sharedName + "_labels"));
    var pixels = d.placeholder(pixelType, Placeholder.shape(pixelShape));
    var classes = d.placeholder(TInt32.class, Placeholder.shape(Shape.of(n)));
    pixelsIn = pixels.op().name();
    labelsIn = classes.op().name();
    loadData =
        d.withControlDependencies(List.of(d.assignVariableOp(images, pixels)))
            .assignVariableOp(labels, classes)
            .op()
            .name();
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
   * The handle of the training split's pixels, {@code [n, imageSize]}, uint8 or float32.
   *
   * @return the resource handle
   */
  public Operand<?> images() {
    return images;
  }

  /**
   * The handle of the training split's labels, {@code [n]} int32.
   *
   * @return the resource handle
   */
  public Operand<?> labels() {
    return labels;
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
   * Copies {@code data} (as its {@link DataSet} makes floats: {@code uint8 * (1/255)}) and the
   * network's weights from {@code modelSession} into {@code loopSession}, and zeroes the cost sum.
   *
   * @param loopSession the loop graph's session
   * @param modelSession the network's session, with its variables initialized or restored
   * @param data the training split
   */
  public void load(Session loopSession, Session modelSession, DataSet data) {
    int n = data.numExamples();
    int size = data.imageSize();
    int[] classes = new int[n];
    byte[] bytes = floatPixels ? null : new byte[n * size];
    float[] floats = floatPixels ? new float[n * size] : null;
    for (int i = 0; i < n; i++) {
      classes[i] = data.label(i);
      for (int r = 0; r < data.imageRows(); r++) {
        for (int c = 0; c < data.imageColumns(); c++) {
          int p = data.pixel(i, r, c);
          int at = i * size + r * data.imageColumns() + c;
          if (bytes != null) {
            bytes[at] = (byte) p;
          } else {
            // numpy's uint8 -> float32 * (1/255), as DataSet makes it
            floats[at] = p * (float) (1.0 / 255.0);
          }
        }
      }
    }
    Shape shape = Shape.of(n, size);
    try (Tensor pixels =
            bytes != null
                ? TUint8.tensorOf(shape, DataBuffers.of(bytes, true, false))
                : TFloat32.tensorOf(shape, DataBuffers.of(floats, true, false));
        TInt32 l = TInt32.tensorOf(Shape.of(n), DataBuffers.of(classes, true, false))) {
      loopSession
          .runner()
          .feed(pixelsIn, pixels)
          .feed(labelsIn, l)
          .addTarget(loadData)
          .run()
          .close();
    }
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
