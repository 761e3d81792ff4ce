package org.dnnlessons.train;

import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * A training split held in a graph, and its batches made there: the pixels ({@code [n, rows *
 * columns]}, uint8 as the file stores them, or float32) and the labels ({@code [n]} int32) in two
 * resource variables loaded once from a {@link DataSet} ({@link #load}), and a batch gathered from
 * them by indices as {@link DataSet#nextBatch} makes it: {@code uint8 -> float32 * }{@link
 * DataSet#PIXEL_SCALE}, labels one-hot. Every in-graph training loop ({@link GraphFedTraining},
 * {@link WhileLoopTraining}, the benchmark's {@code bench.CompiledTraining}) builds its batches
 * here, so their floats are the very ones the plain loop feeds.
 *
 * <p>The variables are resource variables, not {@code VariableV2}: checkpoints of the network do
 * not include them. Known by op names after building, so it also serves a graph imported from the
 * one it was built in.
 */
public final class InGraphSplit {

  private final DataSet data;
  private final boolean floatPixels;
  // handles, for building
  private final Operand<?> images;
  private final Operand<?> labels;
  // by name
  private final String pixelsIn;
  private final String labelsIn;
  private final String loadPixels;
  private final String loadLabels;

  private InGraphSplit(Ops tf, String sharedName, DataSet data, boolean floatPixels) {
    this.data = data;
    this.floatPixels = floatPixels;
    int n = data.numExamples();
    Class<? extends TType> pixelType = floatPixels ? TFloat32.class : TUint8.class;
    Shape pixelShape = Shape.of(n, data.imageSize());
    images =
        tf.withName("images")
            .varHandleOp(
                pixelType,
                pixelShape,
                VarHandleOp.sharedName(tf.scope().makeUnique(sharedName + "_images")));
    labels =
        tf.withName("labels")
            .varHandleOp(
                TInt32.class,
                Shape.of(n),
                VarHandleOp.sharedName(tf.scope().makeUnique(sharedName + "_labels")));
    var pixels = tf.withName("pixels_in").placeholder(pixelType, Placeholder.shape(pixelShape));
    var classesIn =
        tf.withName("labels_in").placeholder(TInt32.class, Placeholder.shape(Shape.of(n)));
    pixelsIn = pixels.op().name();
    labelsIn = classesIn.op().name();
    loadPixels = tf.assignVariableOp(images, pixels).op().name();
    loadLabels = tf.assignVariableOp(labels, classesIn).op().name();
  }

  /**
   * Adds the split's variables, and the placeholders and assign ops that load them, to {@code tf}'s
   * scope.
   *
   * @param tf the scope (e.g. {@code data/}) of the variables and their loading
   * @param sharedName the prefix of the variables' shared names
   * @param data the training split, for the shapes; copied in by {@link #load}
   * @param floatPixels true to hold the pixels as float32 (four times the memory, a benchmark
   *     lever), false as uint8 converted in each batch
   * @return the split, its variables not loaded yet
   */
  public static InGraphSplit add(Ops tf, String sharedName, DataSet data, boolean floatPixels) {
    return new InGraphSplit(tf, sharedName, data, floatPixels);
  }

  /**
   * The pixels, read from their variable in {@code tf}'s scope.
   *
   * @param tf the scope of the read
   * @return {@code [n, rows * columns]}, uint8 or float32
   */
  public Operand<?> readImages(Ops tf) {
    return floatPixels
        ? tf.readVariableOp(images, TFloat32.class)
        : tf.readVariableOp(images, TUint8.class);
  }

  /**
   * The labels, read from their variable in {@code tf}'s scope.
   *
   * @param tf the scope of the read
   * @return {@code [n]} int32 classes
   */
  public Operand<TInt32> readLabels(Ops tf) {
    return tf.readVariableOp(labels, TInt32.class);
  }

  /**
   * A batch made in the graph.
   *
   * @param images float32 {@code [batch, rows * columns]}, pixels in [0, 1]
   * @param oneHotLabels float32 {@code [batch, 10]}
   */
  public record Batch(Operand<TFloat32> images, Operand<TFloat32> oneHotLabels) {}

  /**
   * {@link #gather(Ops, Operand, Operand, Operand)} from this split's variables, read in {@code
   * tf}'s scope.
   *
   * @param tf the scope the ops are created in
   * @param indices the positions of the batch's examples, int32 {@code [batch]}
   * @return the batch's images and one-hot labels
   */
  public Batch gather(Ops tf, Operand<TInt32> indices) {
    return gather(tf, readImages(tf), readLabels(tf), indices);
  }

  /**
   * The images and one-hot labels of the examples at {@code indices}, as {@link DataSet#nextBatch}
   * makes them: the uint8 pixels cast to float32 and multiplied by {@link DataSet#PIXEL_SCALE}
   * (float32 pixels are taken as they are), the labels one-hot encoded.
   *
   * @param tf the scope the ops are created in
   * @param pixels the split's pixels, {@code [n, rows * columns]}, uint8 or float32
   * @param labels the split's labels, {@code [n]} int32
   * @param indices the positions of the batch's examples, int32 {@code [batch]}
   * @return the batch's images and one-hot labels
   */
  public static Batch gather(
      Ops tf, Operand<?> pixels, Operand<TInt32> labels, Operand<TInt32> indices) {
    Operand<?> rows = tf.gather(pixels, indices, tf.constant(0));
    Operand<TFloat32> x =
        rows.type() == TFloat32.class
            ? rows.asOutput().expect(TFloat32.class)
            : tf.math.mul(tf.dtypes.cast(rows, TFloat32.class), tf.constant(DataSet.PIXEL_SCALE));
    Operand<TFloat32> y =
        tf.oneHot(
            tf.gather(labels, indices, tf.constant(0)),
            tf.constant(Mlp.NUM_CLASSES),
            tf.constant(1.0f),
            tf.constant(0.0f));
    return new Batch(x, y);
  }

  /**
   * The indices of step {@code step}'s batch: {@code batchSize} of a run's indices, from {@code
   * step * batchSize}.
   *
   * @param tf the scope the ops are created in
   * @param indices the run's indices, int32, batch after batch
   * @param step the step, from 0: an int32 scalar (a loop's counter) or {@code null} for {@code
   *     constantStep}
   * @param constantStep the step when {@code step} is {@code null}
   * @param batchSize examples per step
   * @return int32 {@code [batchSize]}
   */
  public static Operand<TInt32> stepIndices(
      Ops tf, Operand<TInt32> indices, Operand<TInt32> step, int constantStep, int batchSize) {
    Operand<TInt32> begin =
        step == null
            ? tf.constant(new int[] {constantStep * batchSize})
            : tf.reshape(tf.math.mul(step, tf.constant(batchSize)), tf.constant(new int[] {1}));
    return tf.slice(indices, begin, tf.constant(new int[] {batchSize}));
  }

  /**
   * Copies the split's pixels (as the file stores them, or as {@link DataSet} makes floats) and
   * labels into the variables of {@code session}'s graph; call once per session.
   *
   * @param session a session of the graph the split was added to, or of one imported from it
   */
  public void load(Session session) {
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
            floats[at] = p * DataSet.PIXEL_SCALE;
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
      session
          .runner()
          .feed(pixelsIn, pixels)
          .feed(labelsIn, l)
          .addTarget(loadPixels)
          .addTarget(loadLabels)
          .run()
          .close();
    }
  }
}
