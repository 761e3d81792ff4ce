package org.dnnlessons.savedmodel;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.FiniteWeights;
import org.dnnlessons.checkpoint.ProtoLimits;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.files.SmallFiles;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Runs a SavedModel's own serving signature ({@code serve} tag, {@code serving_default}) on MNIST
 * images through TensorFlow Java's {@link SavedModelBundle}: what Python's {@code
 * tf.saved_model.load(dir).signatures["serving_default"](x)} computes, for any model that maps an
 * image to 10 scores (a CNN, a subclassed model, a float16 one, the product's own {@code train
 * --export DIR}).
 *
 * <p><b>Input.</b> The signature's one input must be float32, float16, bfloat16 or float64 of shape
 * {@code [-1, 784]}, {@code [-1, 28, 28]} or {@code [-1, 28, 28, 1]} (any shape whose non-batch
 * dimensions hold rows*columns values). {@link #classify} takes images as raw pixel values 0-255
 * (float, row-major, {@code n * rows * columns}) and feeds {@code pixel * inputScale / 255}: with
 * {@code inputScale} 1, the lesson's {@code read_data_sets} scale ({@code pixel * float32(1/255)},
 * bit for bit), with 255 the raw pixels a model whose first layer is {@code Rescaling} was fed.
 * {@link #defaultInputScale()} is 255 when the signature's graph starts with {@code Rescaling},
 * else 1; {@link #inputScaleReason()} says which in one line for the user. {@link #run} feeds
 * values as given, already at the model's scale (for TF Serving's REST API).
 *
 * <p><b>Output.</b> The only output, or the one named {@code logits} (the product's export has
 * {@code logits} and {@code probabilities}); it must be {@code [n, 10]}. Whether it holds logits,
 * probabilities (a softmax at the end) or log-probabilities is read from the graph ({@link
 * OutputKind}); accuracy (argmax) is the same for all three.
 *
 * <p>Close it to free the native graph and session. Not thread-safe for {@link #close()}; runs may
 * be concurrent (TensorFlow sessions are).
 */
public final class SavedModelRunner implements AutoCloseable {

  /**
   * The SavedModel loads, but its serving signature does not run in TensorFlow's C++ loader (Keras
   * 3's {@code tf.saved_model.save} writes a serving function whose variables the loader's restore
   * never fills); the network its graph describes may still be read ({@code MlpWeights.read(dir)}).
   */
  public static final class UnrunnableSignature extends CheckpointException {
    UnrunnableSignature(Path dir, String reason, Throwable cause) {
      super(dir, CheckpointException.NO_OFFSET, reason, cause);
    }
  }

  /** The signature run. */
  public static final String SIGNATURE_KEY = "serving_default";

  /** The meta graph's tag. */
  public static final String SERVE_TAG = "serve";

  /** Images fed per session run, bounding the input tensor's memory. */
  static final int BATCH = 500;

  /** What the signature's output holds. */
  public enum OutputKind {
    /** Scores before a softmax: the graph ends with a Dense layer (or no activation). */
    LOGITS,
    /** A softmax's probabilities: the graph ends with {@code Softmax}. */
    PROBABILITIES,
    /** {@code log_softmax}'s log-probabilities. */
    LOG_PROBABILITIES,
    /** Scores of a graph this reader does not read as layers (a CNN): shown as they are. */
    SCORES
  }

  private final Path dir;
  private final SavedModelBundle bundle;
  private final String inputName;
  private final String outputName;
  private final String inputKey;
  private final String outputKey;
  private final DataType inputType;
  private final long[] inputShape;
  private final ServingGraph graph;
  private final String graphRefusal;
  private final String outputOp;

  private SavedModelRunner(
      Path dir,
      SavedModelBundle bundle,
      SignatureDef signature,
      String inputKey,
      String outputKey,
      ServingGraph graph,
      String graphRefusal,
      String outputOp) {
    this.dir = dir;
    this.bundle = bundle;
    this.inputKey = inputKey;
    this.outputKey = outputKey;
    TensorInfo in = signature.getInputsMap().get(inputKey);
    this.inputName = in.getName();
    this.inputType = in.getDtype();
    this.inputShape = dims(in.getTensorShape());
    this.outputName = signature.getOutputsMap().get(outputKey).getName();
    this.graph = graph;
    this.graphRefusal = graphRefusal;
    this.outputOp = outputOp;
  }

  /**
   * True when {@code dir} is a SavedModel directory (it holds {@code saved_model.pb}).
   *
   * @param dir any path; need not exist
   * @return true when {@code dir/saved_model.pb} is a regular file (what {@code
   *     tf.saved_model.save} and Keras's {@code model.export} write)
   */
  public static boolean isSavedModel(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("saved_model.pb"));
  }

  /**
   * Loads the SavedModel in {@code dir} and checks its serving signature.
   *
   * @param pixels how many values one image has (784 for MNIST)
   * @param dir the SavedModel directory, as {@code tf.saved_model.load(dir)} takes it
   * @return an open runner; the caller closes it, which frees the native session
   * @throws CheckpointException one line naming the file: not a SavedModel, no {@code serve} meta
   *     graph or {@code serving_default} signature, an input that is not one float image tensor of
   *     {@code pixels} values, an output that is not {@code [n, 10]}, or TensorFlow's own load
   *     error
   */
  public static SavedModelRunner open(Path dir, int pixels) throws CheckpointException {
    Path pb = dir.resolve("saved_model.pb");
    if (!isSavedModel(dir)) {
      throw new CheckpointException(
          dir, CheckpointException.NO_OFFSET, "not a SavedModel directory (no saved_model.pb)");
    }
    MetaGraphDef meta = servingMeta(pb);
    SignatureDef signature = ServingGraph.imageSignature(pb, meta, SIGNATURE_KEY);
    String inputKey = signature.getInputsMap().keySet().iterator().next();
    String outputKey = ServingGraph.outputKey(pb, signature);
    checkInput(pb, inputKey, signature.getInputsMap().get(inputKey), pixels);
    checkOutput(pb, outputKey, signature.getOutputsMap().get(outputKey));
    checkFinite(dir);
    ServingGraph graph = null;
    String refusal = null;
    String outputOp = null;
    try {
      graph = ServingGraph.read(pb, meta, SIGNATURE_KEY);
    } catch (CheckpointException e) {
      refusal = e.reason();
      try {
        outputOp = ServingGraph.outputOp(pb, meta, SIGNATURE_KEY);
      } catch (CheckpointException | RuntimeException unread) {
        outputOp = null; // the kind stays unknown: SCORES
      }
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(SERVE_TAG).load();
    } catch (RuntimeException e) { // TensorFlow's TF*Exception, one per status code
      throw new CheckpointException(
          dir,
          CheckpointException.NO_OFFSET,
          "TensorFlow cannot load it: " + firstLine(e.getMessage()),
          e);
    }
    SavedModelRunner runner =
        new SavedModelRunner(dir, bundle, signature, inputKey, outputKey, graph, refusal, outputOp);
    try {
      // one blank image: a signature that cannot run fails here, in one line, not mid-evaluation
      runner.run(new float[pixels], 1);
    } catch (RuntimeException e) {
      runner.close();
      String message = firstLine(e.getMessage());
      int sentence = message.indexOf(". ");
      message = sentence > 0 ? message.substring(0, sentence) : message;
      throw new UnrunnableSignature(
          dir,
          "its serving signature does not run in TensorFlow's SavedModel loader: "
              + message
              + (message.contains("Could not find variable")
                  ? " (Keras 3's tf.saved_model.save writes variables the loader leaves"
                      + " uninitialized; model.export(dir) writes a SavedModel that runs)"
                  : ""),
          e);
    }
    return runner;
  }

  /**
   * Refuses a SavedModel whose float variables hold NaN or infinite values ({@link
   * org.dnnlessons.checkpoint.FiniteWeights}), before TensorFlow loads it: the signature would
   * score every image NaN and its argmax would quietly pick class 0.
   */
  private static void checkFinite(Path dir) throws CheckpointException {
    Path variables = dir.resolve("variables").resolve("variables");
    if (!Files.isRegularFile(Path.of(variables + ".index"))) {
      return; // no variables: nothing to check
    }
    CheckpointReader reader = CheckpointReader.open(variables);
    for (org.dnnlessons.checkpoint.TensorInfo t : reader.tensors()) {
      float[] values =
          switch (t.dtype()) {
            case DT_FLOAT -> reader.read(t.name()).floats();
            case DT_HALF, DT_BFLOAT16 -> reader.read(t.name()).halfFloats();
            default -> null;
          };
      if (values != null) {
        FiniteWeights.check(variables, t.name(), values);
      }
    }
  }

  private static MetaGraphDef servingMeta(Path pb) throws CheckpointException {
    SavedModel model;
    try {
      // bounded before parsing: the file's bytes, then the messages they would become
      byte[] bytes = SmallFiles.read(pb, 256 << 20);
      ProtoLimits.check(
          pb, "saved_model.pb", bytes, SavedModel.getDescriptor(), ProtoLimits.forHeap());
      model = SavedModel.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException(
          pb, CheckpointException.NO_OFFSET, "not a SavedModel proto: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException(
          pb, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
    for (MetaGraphDef m : model.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().contains(SERVE_TAG)) {
        return m;
      }
    }
    throw new CheckpointException(
        pb,
        CheckpointException.NO_OFFSET,
        "no meta graph tagged '" + SERVE_TAG + "' among its " + model.getMetaGraphsCount());
  }

  private static void checkInput(Path pb, String key, TensorInfo in, int pixels)
      throws CheckpointException {
    DataType t = in.getDtype();
    if (t != DataType.DT_FLOAT
        && t != DataType.DT_HALF
        && t != DataType.DT_BFLOAT16
        && t != DataType.DT_DOUBLE) {
      throw new CheckpointException(
          pb,
          CheckpointException.NO_OFFSET,
          "the signature's input '" + key + "' is " + t.name() + ", expected a float image tensor");
    }
    long[] shape = dims(in.getTensorShape());
    long values = 1;
    boolean fixed = shape.length >= 2;
    for (int i = 1; i < shape.length; i++) {
      fixed &= shape[i] > 0;
      values = fixed ? Math.multiplyExact(values, Math.min(shape[i], 1L << 20)) : values;
    }
    if (in.getTensorShape().getUnknownRank() || !fixed || values != pixels) {
      throw new CheckpointException(
          pb,
          CheckpointException.NO_OFFSET,
          "the signature's input '"
              + key
              + "' has shape "
              + shapeText(in.getTensorShape())
              + ", expected a batch of "
              + pixels
              + "-pixel images ([-1,"
              + pixels
              + "], [-1,28,28] or [-1,28,28,1])");
    }
  }

  private static void checkOutput(Path pb, String key, TensorInfo out) throws CheckpointException {
    long[] shape = dims(out.getTensorShape());
    if (!out.getTensorShape().getUnknownRank()
        && (shape.length != 2 || (shape[1] != 10 && shape[1] != -1))) {
      throw new CheckpointException(
          pb,
          CheckpointException.NO_OFFSET,
          "the signature's output '"
              + key
              + "' has shape "
              + shapeText(out.getTensorShape())
              + ", expected [-1,10] (10 class scores)");
    }
  }

  /**
   * The signature's input key ({@code inputs}, {@code keras_tensor}, {@code x}).
   *
   * @return the key of the {@code serving_default} signature's one input
   */
  public String inputKey() {
    return inputKey;
  }

  /**
   * The output key read ({@code output_0}, {@code logits}).
   *
   * @return the key of the signature output this runner reads
   */
  public String outputKey() {
    return outputKey;
  }

  /**
   * The input's dtype.
   *
   * @return the dtype of the signature's input ({@code DT_FLOAT}, {@code DT_HALF}, {@code
   *     DT_BFLOAT16}, ...)
   */
  public DataType inputType() {
    return inputType;
  }

  /**
   * The input's shape as the signature gives it ({@code -1} for the batch).
   *
   * @return a copy of the input's shape, e.g. {@code [-1, 784]} or {@code [-1, 28, 28]}
   */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /**
   * The layers the graph computes, or {@code null} when {@link #graphRefusal()} says why not.
   *
   * @return the layer chain, or {@code null} when the graph is not read as layers
   */
  public ServingGraph graph() {
    return graph;
  }

  /**
   * Why the graph is not read as layers (a CNN's {@code Conv2D}), or {@code null}.
   *
   * @return one line saying why {@link #graph()} is null, or {@code null} when it is not
   */
  public String graphRefusal() {
    return graphRefusal;
  }

  /**
   * What the output holds, from the graph's last layer.
   *
   * @return {@link OutputKind#LOGITS}, {@code PROBABILITIES}, {@code LOG_PROBABILITIES}, or {@code
   *     SCORES} when the graph is not read as layers
   */
  public OutputKind outputKind() {
    if (graph == null) {
      // the layers are not read (a CNN), but the last op says what the output holds
      return outputOp == null
          ? OutputKind.SCORES
          : switch (outputOp) {
            case "Softmax" -> OutputKind.PROBABILITIES;
            case "LogSoftmax" -> OutputKind.LOG_PROBABILITIES;
            case "BiasAdd", "MatMul" -> OutputKind.LOGITS;
            default -> OutputKind.SCORES;
          };
    }
    if (!graph.steps().isEmpty()
        && graph.steps().get(graph.steps().size() - 1) instanceof ServingGraph.Activation a) {
      switch (a.name()) {
        case "softmax":
          return OutputKind.PROBABILITIES;
        case "log_softmax":
          return OutputKind.LOG_PROBABILITIES;
        default:
          return OutputKind.SCORES;
      }
    }
    return OutputKind.LOGITS;
  }

  /**
   * 255 when the graph's first layer (after any Reshape or Cast) is {@code Rescaling}, so the model
   * takes raw pixels as Keras fed them; else 1, the lesson's pixels/255.
   *
   * @return 255 or 1: what a white pixel becomes when fed to this model
   */
  public double defaultInputScale() {
    if (graph != null) {
      for (ServingGraph.Step s : graph.steps()) {
        if (s instanceof ServingGraph.Reshape || s instanceof ServingGraph.Cast) {
          continue;
        }
        return s instanceof ServingGraph.Rescaling ? 255 : 1;
      }
    }
    return 1;
  }

  /**
   * One line saying what {@link #defaultInputScale()} assumes and why.
   *
   * @return one line for the user, printed with the predictions (the assumption is printed, never
   *     made quietly)
   */
  public String inputScaleReason() {
    if (defaultInputScale() == 255) {
      return "input: raw pixels 0-255, as Keras fed this model (its first layer is Rescaling)";
    }
    return "input: pixels/255 in [0, 1], the lesson's read_data_sets scale"
        + (graph == null ? " (assumed: the graph is not read as layers)" : "")
        + "; --input-scale 255 feeds raw pixels";
  }

  /**
   * One line saying what the output holds.
   *
   * @return one line for the user naming {@link #outputKind()} and the op it was read from
   */
  public String outputReason() {
    return switch (outputKind()) {
      case LOGITS ->
          "output '"
              + outputKey
              + "': logits (the graph ends with "
              + (graph != null ? "a Dense layer)" : outputOp + ")");
      case PROBABILITIES ->
          "output '"
              + outputKey
              + "': probabilities (the graph ends with "
              + (graph != null ? "softmax)" : outputOp + ")");
      case LOG_PROBABILITIES ->
          "output '" + outputKey + "': log-probabilities (the graph ends with log_softmax)";
      case SCORES ->
          "output '"
              + outputKey
              + "': scores whose kind is not read from the graph"
              + (graphRefusal != null ? "" : " (its last layer is no softmax)");
    };
  }

  /**
   * The signature's output for {@code n} images given as raw pixel values.
   *
   * @param pixels {@code n * pixelsPerImage} values 0-255, row-major
   * @param inputScale what a white pixel becomes: 1 (pixels/255) or 255 (raw), or another positive
   * @param n how many images; {@code >= 0}
   * @return {@code [n][10]} float32 scores as the signature outputs them (widened from float16)
   */
  public float[][] classify(float[] pixels, int n, double inputScale) {
    if (!(inputScale > 0) || Double.isInfinite(inputScale)) {
      throw new IllegalArgumentException("inputScale must be positive, found " + inputScale);
    }
    float[] fed = pixels;
    if (inputScale != 255) {
      // read_data_sets: images.astype(float32) * (1.0 / 255.0), a float32 product
      float factor = (float) (inputScale / 255.0);
      fed = new float[pixels.length];
      for (int i = 0; i < fed.length; i++) {
        fed[i] = pixels[i] * factor;
      }
    }
    return run(fed, n);
  }

  /**
   * The signature's output for {@code n} images given at the model's own scale, fed as they are,
   * {@value #BATCH} per session run.
   *
   * @param values {@code n * pixelsPerImage} values, row-major
   * @param n how many images; {@code >= 0}
   * @return {@code [n][10]} float32
   */
  public float[][] run(float[] values, int n) {
    long perImage = 1;
    for (int i = 1; i < inputShape.length; i++) {
      perImage *= inputShape[i];
    }
    if (n < 0 || values.length != n * perImage) {
      throw new IllegalArgumentException(
          "expected " + n + " images of " + perImage + " values, found " + values.length);
    }
    float[][] out = new float[n][];
    for (int from = 0; from < n; from += BATCH) {
      int count = Math.min(BATCH, n - from);
      long[] shape = inputShape.clone();
      shape[0] = count;
      float[] slice =
          Arrays.copyOfRange(values, (int) (from * perImage), (int) ((from + count) * perImage));
      try (Tensor input = tensor(Shape.of(shape), slice);
          Result r = bundle.session().runner().feed(inputName, input).fetch(outputName).run()) {
        float[] flat = floats(r.get(0));
        long classes = r.get(0).shape().size(1);
        if (r.get(0).shape().numDimensions() != 2 || r.get(0).shape().size(0) != count) {
          throw new IllegalStateException(
              dir
                  + ": the signature's output has shape "
                  + r.get(0).shape()
                  + " for "
                  + count
                  + " images");
        }
        for (int i = 0; i < count; i++) {
          out[from + i] = Arrays.copyOfRange(flat, (int) (i * classes), (int) ((i + 1) * classes));
        }
      }
    }
    return out;
  }

  /**
   * Probabilities from the output: a softmax of logits (computed here in double, then float), the
   * exponential of log-probabilities, probabilities as they are; {@link OutputKind#SCORES} as they
   * are.
   *
   * @param scores one image's output, as {@link #classify} returns it (10 values for MNIST)
   * @return a new float32 array of the same length: probabilities summing to about 1 (or the scores
   *     as they are for {@code SCORES})
   */
  public float[] probabilities(float[] scores) {
    OutputKind kind = outputKind();
    float[] p = new float[scores.length];
    if (kind == OutputKind.LOGITS) {
      double max = Double.NEGATIVE_INFINITY;
      for (float s : scores) {
        max = Math.max(max, s);
      }
      double sum = 0;
      for (float s : scores) {
        sum += Math.exp(s - max);
      }
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) (Math.exp(scores[i] - max) / sum);
      }
    } else if (kind == OutputKind.LOG_PROBABILITIES) {
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) Math.exp(scores[i]);
      }
    } else {
      System.arraycopy(scores, 0, p, 0, p.length);
    }
    return p;
  }

  /**
   * The raw pixel values 0-255 of some images of {@code data}, as {@link #classify} takes them.
   *
   * @param indices which images, in order
   * @param data the data set the images come from
   * @return {@code indices.length * pixels} values 0-255, row-major, as {@link #classify} takes
   *     them
   */
  public static float[] pixels(DataSet data, int[] indices) {
    int rows = data.imageRows();
    int columns = data.imageColumns();
    float[] out = new float[Math.multiplyExact(indices.length, rows * columns)];
    int k = 0;
    for (int i : indices) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++) {
          out[k++] = data.pixel(i, r, c);
        }
      }
    }
    return out;
  }

  /**
   * The signature's output for every image of {@code data}, {@value #BATCH} at a time.
   *
   * @param inputScale as {@link #classify}
   * @param data the images to classify; its labels are not read
   * @return {@code [data.numExamples()][10]}
   */
  public float[][] classify(DataSet data, double inputScale) {
    int n = data.numExamples();
    float[][] out = new float[n][];
    for (int from = 0; from < n; from += BATCH) {
      int[] indices = new int[Math.min(BATCH, n - from)];
      Arrays.setAll(indices, i -> i);
      for (int i = 0; i < indices.length; i++) {
        indices[i] += from;
      }
      float[][] part = classify(pixels(data, indices), indices.length, inputScale);
      System.arraycopy(part, 0, out, from, part.length);
    }
    return out;
  }

  /**
   * The fraction of {@code data}'s images whose highest score is their label: Keras's {@code
   * accuracy} metric, {@code mean(argmax(scores) == label)}; the same for logits, probabilities or
   * log-probabilities.
   *
   * @param data the images and their labels
   * @param inputScale as {@link #classify}: 1 (pixels/255) or 255 (raw pixels)
   * @return the accuracy, in {@code [0, 1]}; {@code NaN} for an empty data set
   */
  public double accuracy(DataSet data, double inputScale) {
    float[][] scores = classify(data, inputScale);
    int right = 0;
    for (int i = 0; i < scores.length; i++) {
      right += argmax(scores[i]) == data.label(i) ? 1 : 0;
    }
    return scores.length == 0 ? Double.NaN : (double) right / scores.length;
  }

  /**
   * The class with the highest score (the first of equal ones, as numpy's argmax).
   *
   * @param scores one image's scores; at least one value
   * @return the index of the highest score, in {@code [0, scores.length)}
   */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) {
      if (scores[c] > scores[best]) {
        best = c;
      }
    }
    return best;
  }

  private Tensor tensor(Shape shape, float[] values) {
    return switch (inputType) {
      case DT_HALF -> TFloat16.tensorOf(shape, DataBuffers.of(values, true, false));
      case DT_BFLOAT16 -> TBfloat16.tensorOf(shape, DataBuffers.of(values, true, false));
      case DT_DOUBLE -> {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
          d[i] = values[i];
        }
        yield TFloat64.tensorOf(shape, DataBuffers.of(d, true, false));
      }
      default -> TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
    };
  }

  private static float[] floats(Tensor t) {
    int n = Math.toIntExact(t.shape().size());
    float[] out = new float[n];
    if (t instanceof TFloat32 f) {
      f.copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TFloat16 h) {
      h.copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TBfloat16 b) {
      b.copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TFloat64 d) {
      double[] ds = new double[n];
      d.copyTo(DataBuffers.of(ds, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = (float) ds[i];
      }
    } else {
      throw new IllegalStateException(
          "the signature's output is " + t.dataType() + ", expected a float tensor");
    }
    return out;
  }

  private static long[] dims(TensorShapeProto shape) {
    long[] out = new long[shape.getDimCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.getDim(i).getSize();
    }
    return out;
  }

  private static String shapeText(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return "of unknown rank";
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.getDimCount(); i++) {
      b.append(i == 0 ? "" : ",").append(shape.getDim(i).getSize());
    }
    return b.append(']').toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** Frees the graph and session. */
  @Override
  public void close() {
    bundle.close();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "SavedModelRunner[%s, %s %s -> %s, %s]",
        dir,
        inputKey,
        Arrays.toString(inputShape),
        outputKey,
        outputKind());
  }
}
