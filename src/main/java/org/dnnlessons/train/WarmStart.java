package org.dnnlessons.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Starts a network's variables from a checkpoint instead of their initializers: Python's {@code
 * tf.compat.v1.train.init_from_checkpoint(ckpt, assignment_map)} and Keras's {@code
 * load_weights(by_name=True, skip_mismatch=True)}, with every decision shown.
 *
 * <p>Each variable of the model is matched to a checkpoint key: the key named for it in the
 * assignment map, else the key of its own name. A variable whose own name is missing from the
 * checkpoint, or is saved with another dtype or shape (a layer made wider, a new number of
 * classes), keeps its usual initializer, so a modified model starts from everything that still
 * fits. A mismatch the user asked for is an error instead: an assignment-map key missing from the
 * checkpoint, mapped to a variable the model does not have, or saved with another shape or dtype.
 * So is a checkpoint of which nothing fits.
 *
 * <p>The loaded values are fed into the initializers' inputs while {@code init} runs, so the
 * variables that are not loaded get exactly the values they would have had without warm start (same
 * seeds, same numbers), and nothing is added to the graph.
 *
 * <pre>{@code
 * WarmStart plan = WarmStart.plan(Path.of("python_run"), WarmStart.variableShapes(options),
 *     Map.of("hidden_layer/", "hidden_layer_2/"));          // old_scope/ = new_scope/
 * System.out.print(plan.table());
 * plan.initialize(session, net.variables(), net.init());   // instead of session.run(net.init())
 * }</pre>
 */
public final class WarmStart {

  /**
   * How one variable starts.
   *
   * @param variable the model's variable name, e.g. {@code hidden_layer/weights}
   * @param shape its shape in the model
   * @param key the checkpoint key it is loaded from, or {@code null} when it is initialized
   * @param reason why it is initialized ({@code null} when loaded), e.g. {@code missing from the
   *     checkpoint}
   */
  public record Entry(String variable, long[] shape, String key, String reason) {

    /**
     * Copies the shape.
     *
     * @param variable the model's variable name, e.g. {@code hidden_layer/weights}
     * @param shape its shape in the model; copied
     * @param key the checkpoint key it is loaded from, or {@code null} when it is initialized
     * @param reason why it is initialized, or {@code null} when loaded
     */
    public Entry {
      shape = shape.clone();
    }

    /**
     * The variable's shape in the model.
     *
     * @return a copy of the shape, e.g. {@code [784, 256]} for {@code hidden_layer/weights}
     */
    @Override
    public long[] shape() {
      return shape.clone();
    }

    /**
     * True when the variable is loaded from the checkpoint.
     *
     * @return true when {@link #key()} is not {@code null}
     */
    public boolean loaded() {
      return key != null;
    }
  }

  private final WeightSource reader;
  private final List<Entry> entries;
  private final List<String> unused;

  private WarmStart(WeightSource reader, List<Entry> entries, List<String> unused) {
    this.reader = reader;
    this.entries = List.copyOf(entries);
    this.unused = List.copyOf(unused);
  }

  /**
   * The name and shape of every variable of the lesson's network built with {@code options}, layer
   * by layer ({@code hidden_layer/weights}, {@code hidden_layer/biases}, ..., {@code out/biases}).
   *
   * @param options the network's options: its image size and Dense layers
   * @return a new map, variable name to shape ({@code [inputs, units]} for weights, {@code [units]}
   *     for biases), in creation order; layers without bias have no {@code biases}
   */
  public static Map<String, long[]> variableShapes(Mlp.Options options) {
    List<ModelDescription.Dense> dense = options.model().dense();
    long inputs = (long) options.imageRows() * options.imageColumns();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (int i = 0; i < dense.size(); i++) {
      String scope = ModelDescription.denseScope(i, dense.size());
      long units = dense.get(i).units();
      shapes.put(scope + "/weights", new long[] {inputs, units});
      if (dense.get(i).useBias()) {
        shapes.put(scope + "/biases", new long[] {units});
      }
      inputs = units;
    }
    return shapes;
  }

  /**
   * What a warm start's file describes, and the lines to print about it.
   *
   * @param model the network the file describes
   * @param notes what was assumed or converted reading it
   */
  public record Described(ModelDescription model, List<String> notes) {}

  /**
   * The network {@code train --init-from} continues: the one the file describes ({@link
   * MlpWeights#read(Path, Path)}: a tanh model stays tanh, its Rescaling stays); with {@code
   * --init-map}, the lesson's MLP over the mapped names' widths, with the hidden activation of
   * {@code requested} (the {@code --activation} option's), and a note saying so.
   *
   * @param requested the Dense layers the options ask for (their hidden activation is used with
   *     {@code --init-map})
   * @param checkpoint the {@code --init-from} path: a checkpoint prefix or directory, a SavedModel
   *     directory, a {@code .weights.h5} or {@code .h5} file, or a {@code .keras} archive ({@link
   *     MlpWeights#read(Path, Path)})
   * @param initMap {@code --init-map}, checkpoint key to variable name; empty to read the model the
   *     file describes
   * @param config for a weights-only form, the {@code .keras} file or {@code model.to_json()}'s
   *     JSON naming its layers; or {@code null}
   * @return the model and the notes to print about what was assumed reading it
   * @throws CheckpointException with a one-line reason naming the file: missing or corrupt, not a
   *     supported form, or (with {@code initMap}) without {@code hidden_layer/weights} nor {@code
   *     out/weights}
   * @throws IllegalArgumentException when {@code config} and a non-empty {@code initMap} are both
   *     given
   */
  public static Described describe(
      Path checkpoint,
      Map<String, String> initMap,
      Path config,
      List<ModelDescription.Dense> requested)
      throws CheckpointException {
    if (initMap.isEmpty()) {
      MlpWeights w = MlpWeights.read(checkpoint, config);
      return new Described(w.model(), w.notes());
    }
    if (config != null) {
      throw new IllegalArgumentException(
          "--config and --init-map cannot be combined: --config names the layers of a Keras"
              + " file, --init-map the variables of a checkpoint");
    }
    Activation activation = requested.size() > 1 ? requested.get(0).activation() : Activation.RELU;
    ModelDescription model = ModelDescription.mlp(hiddenWidths(checkpoint, initMap), activation);
    return new Described(
        model,
        List.of(
            checkpoint
                + ": --init-map names the weights only; read as the lesson's MLP "
                + model.summary()
                + " (hidden activation from --activation, pixels/255 in)"));
  }

  /**
   * The hidden layer widths of a checkpoint of the lesson's network ({@code hidden_layer/weights},
   * {@code hidden_layer_2/weights}, ...), read through {@code initMap} (a key mapped to {@code
   * hidden_layer/weights} counts as that variable).
   *
   * @param checkpoint a checkpoint prefix or directory, or a Keras form (its keys read raw when
   *     {@code initMap} is not empty)
   * @param initMap checkpoint key to variable name, or scope to scope ({@code old/=new/}); may be
   *     empty
   * @return the widths of {@code hidden_layer}, {@code hidden_layer_2}, ... in order; empty when
   *     the checkpoint has {@code out/weights} only
   * @throws CheckpointException when the checkpoint holds no hidden layer
   */
  public static List<Integer> hiddenWidths(Path checkpoint, Map<String, String> initMap)
      throws CheckpointException {
    WeightSource reader = WeightSource.open(checkpoint, null, !initMap.isEmpty());
    Map<String, String> renamed = new LinkedHashMap<>();
    for (TensorInfo t : reader.tensors()) {
      renamed.put(t.name(), t.name());
    }
    for (Map.Entry<String, String> e : initMap.entrySet()) {
      for (TensorInfo t : reader.tensors()) {
        String target = mapped(e, t.name());
        if (target != null) {
          renamed.put(target, t.name());
        }
      }
    }
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; renamed.containsKey(Mlp.hiddenScope(i) + "/weights"); i++) {
      long[] shape = reader.info(renamed.get(Mlp.hiddenScope(i) + "/weights")).shape();
      if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE) {
        throw new CheckpointException(
            reader.path(),
            CheckpointException.NO_OFFSET,
            Mlp.hiddenScope(i)
                + "/weights has shape "
                + Arrays.toString(shape)
                + "; expected [inputs, width]");
      }
      widths.add((int) shape[1]);
    }
    if (widths.isEmpty() && !renamed.containsKey("out/weights")) {
      throw new CheckpointException(
          reader.path(),
          CheckpointException.NO_OFFSET,
          "no hidden_layer/weights nor out/weights: the layers cannot be read from this"
              + " checkpoint; pass --hidden (and --init-map old=new to name its variables)");
    }
    return widths;
  }

  /**
   * Matches the model's variables to a checkpoint, as described above.
   *
   * @param checkpoint a checkpoint prefix, or a directory (its latest checkpoint)
   * @param model every variable's name and shape, e.g. {@link #variableShapes}
   * @param initMap checkpoint key to variable name ({@code old=new}), or name scope to name scope
   *     when both end in {@code /} ({@code hidden_layer/=hidden_layer_2/}); may be empty
   * @return one {@link Entry} per variable of {@code model}, loaded or initialized, and the unused
   *     keys
   * @throws CheckpointException when the checkpoint cannot be read, an assignment does not fit, or
   *     nothing fits
   */
  public static WarmStart plan(
      Path checkpoint, Map<String, long[]> model, Map<String, String> initMap)
      throws CheckpointException {
    return plan(checkpoint, model, initMap, null);
  }

  /**
   * As {@link #plan(Path, Map, Map)}, a weights-only Keras form described by {@code config} (see
   * {@link #describe}).
   *
   * @param checkpoint a checkpoint prefix or directory, a SavedModel directory, a {@code
   *     .weights.h5} or {@code .h5} file, or a {@code .keras} archive ({@link MlpWeights#read(Path,
   *     Path)})
   * @param model every variable's name and shape, e.g. {@link #variableShapes}
   * @param initMap checkpoint key to variable name, or scope to scope ({@code old/=new/}); may be
   *     empty
   * @param config for a weights-only form, the {@code .keras} file or JSON naming its layers; or
   *     {@code null}
   * @return one {@link Entry} per variable of {@code model}, loaded or initialized, and the unused
   *     keys
   * @throws CheckpointException when the file cannot be read, an assignment does not fit, or
   *     nothing fits
   * @throws IllegalArgumentException for a malformed {@code initMap} entry ({@code old=new} or
   *     {@code old/=new/})
   */
  public static WarmStart plan(
      Path checkpoint, Map<String, long[]> model, Map<String, String> initMap, Path config)
      throws CheckpointException {
    WeightSource reader = WeightSource.open(checkpoint, config, !initMap.isEmpty());
    Map<String, String> explicit = explicitKeys(initMap, model);
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, long[]> v : model.entrySet()) {
      entries.add(entry(reader, v.getKey(), v.getValue(), explicit.get(v.getKey())));
    }
    if (entries.stream().noneMatch(Entry::loaded)) {
      throw nothingMatches(reader);
    }
    Set<String> used = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (e.loaded()) {
        used.add(e.key());
      }
    }
    List<String> unused = new ArrayList<>();
    for (TensorInfo t : reader.tensors()) {
      if (!used.contains(t.name())) {
        unused.add(t.name());
      }
    }
    return new WarmStart(reader, entries, unused);
  }

  /**
   * {@code --init-map}'s pairs as the checkpoint key of each model variable they name: {@code
   * old=new} names one variable, {@code old_scope/=new_scope/} every variable under {@code
   * new_scope/}.
   */
  private static Map<String, String> explicitKeys(
      Map<String, String> initMap, Map<String, long[]> model) {
    Map<String, String> explicit = new LinkedHashMap<>(); // variable -> key
    for (Map.Entry<String, String> e : initMap.entrySet()) {
      String old = e.getKey();
      String now = e.getValue();
      if (old.isEmpty() || now.isEmpty() || old.endsWith("/") != now.endsWith("/")) {
        throw new IllegalArgumentException(
            "--init-map: expected old_name=new_name or old_scope/=new_scope/, found '"
                + (now.isEmpty() ? old : old + "=" + now)
                + "'");
      }
      if (old.endsWith("/")) {
        int before = explicit.size();
        for (String variable : model.keySet()) {
          if (variable.startsWith(now)) {
            explicit.put(variable, old + variable.substring(now.length()));
          }
        }
        if (explicit.size() == before) {
          throw new IllegalArgumentException(
              "--init-map "
                  + old
                  + "="
                  + now
                  + ": the model has no variable in "
                  + now
                  + "; its variables: "
                  + String.join(", ", model.keySet()));
        }
      } else if (!model.containsKey(now)) {
        throw new IllegalArgumentException(
            "--init-map "
                + old
                + "="
                + now
                + ": the model has no variable '"
                + now
                + "'; its variables: "
                + String.join(", ", model.keySet()));
      } else if (explicit.put(now, old) != null) {
        throw new IllegalArgumentException("--init-map names '" + now + "' twice");
      }
    }
    return explicit;
  }

  /**
   * What the plan does with one model variable: load the tensor {@code key} names (which must exist
   * with the variable's shape), or, without {@code key}, the tensor of the variable's own name when
   * its shape matches; else keep the initializer's value and say why.
   */
  private static Entry entry(WeightSource reader, String variable, long[] shape, String key)
      throws CheckpointException {
    if (key == null) {
      if (!reader.contains(variable)) {
        return new Entry(variable, shape, null, "missing from the checkpoint");
      }
      String mismatch = mismatch(reader.info(variable), shape);
      return mismatch != null
          ? new Entry(variable, shape, null, mismatch)
          : new Entry(variable, shape, variable, null);
    }
    String pair = "--init-map " + key + "=" + variable;
    if (!reader.contains(key)) {
      throw new CheckpointException(
          reader.path(),
          CheckpointException.NO_OFFSET,
          pair + ": no tensor named '" + key + "' in the checkpoint" + reader.closestNames(key));
    }
    String mismatch = mismatch(reader.info(key), shape);
    if (mismatch != null) {
      throw new CheckpointException(
          reader.path(),
          CheckpointException.NO_OFFSET,
          pair + ": the model's variable has shape " + compact(shape) + ", " + mismatch);
    }
    return new Entry(variable, shape, key, null);
  }

  /** No variable loads: one line listing what the checkpoint holds. */
  private static CheckpointException nothingMatches(WeightSource reader)
      throws CheckpointException {
    List<String> keys = new ArrayList<>();
    for (TensorInfo t : reader.tensors()) {
      keys.add(t.name() + " " + t.compactShape());
    }
    return new CheckpointException(
        reader.path(),
        CheckpointException.NO_OFFSET,
        "no variable of the model matches the checkpoint by name and shape (it holds "
            + abbreviate(keys)
            + "); map names with --init-map old=new");
  }

  /**
   * Every variable of the model loaded from the key of its own name, as a resume needs it.
   *
   * @param prefix the run's latest checkpoint prefix, or its directory
   * @param model every variable's name and shape, as the run's options give them
   * @return a plan with every variable loaded from the key of its own name
   * @throws CheckpointException naming the first variable that is missing or does not fit, and what
   *     the options give
   */
  public static WarmStart exact(Path prefix, Map<String, long[]> model) throws CheckpointException {
    WeightSource reader = WeightSource.open(prefix);
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, long[]> v : model.entrySet()) {
      String variable = v.getKey();
      if (!reader.contains(variable)) {
        throw new CheckpointException(
            reader.path(),
            CheckpointException.NO_OFFSET,
            "no tensor named '"
                + variable
                + "' in the checkpoint, which these options need"
                + reader.closestNames(variable));
      }
      String mismatch = mismatch(reader.info(variable), v.getValue());
      if (mismatch != null) {
        throw new CheckpointException(
            reader.path(),
            CheckpointException.NO_OFFSET,
            "'"
                + variable
                + "' does not fit these options, which give it shape "
                + compact(v.getValue())
                + ": "
                + mismatch);
      }
      entries.add(new Entry(variable, v.getValue(), variable, null));
    }
    return new WarmStart(reader, entries, List.of());
  }

  private static String mismatch(TensorInfo saved, long[] shape) {
    if (saved.dtype() != DataType.DT_FLOAT) {
      return "dtype differs (the checkpoint holds " + saved.numpyType() + ", not float32)";
    }
    if (!Arrays.equals(saved.shape(), shape)) {
      return "shape differs (the checkpoint holds " + saved.compactShape() + ")";
    }
    return null;
  }

  private static String mapped(Map.Entry<String, String> assignment, String key) {
    String old = assignment.getKey();
    if (old.endsWith("/")) {
      return key.startsWith(old) ? assignment.getValue() + key.substring(old.length()) : null;
    }
    return key.equals(old) ? assignment.getValue() : null;
  }

  private static String compact(long[] shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? "," : "").append(shape[i]);
    }
    return b.append(']').toString();
  }

  private static String abbreviate(List<String> names) {
    if (names.isEmpty()) {
      return "nothing";
    }
    if (names.size() <= 6) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
  }

  /**
   * The checkpoint or file read.
   *
   * @return the prefix or file the weights are read from (a directory resolved to its latest
   *     checkpoint)
   */
  public Path checkpoint() {
    return reader.path();
  }

  /**
   * One entry per variable of the model, in the model's order.
   *
   * @return an unmodifiable list, in the order of the model map given
   */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * Checkpoint keys no variable is loaded from, in the checkpoint's order.
   *
   * @return an unmodifiable list of keys; empty when every key is used
   */
  public List<String> unusedKeys() {
    return unused;
  }

  /**
   * The table {@code train --init-from} prints before training: a title line, then one line per
   * variable (name, shape, {@code loaded from KEY} or {@code initialized: REASON}), then the keys
   * not used.
   *
   * @return the lines, each ending in a newline
   */
  public String table() {
    int width = "variable".length();
    for (Entry e : entries) {
      width = Math.max(width, e.variable().length());
    }
    int shapeWidth = "shape".length();
    for (Entry e : entries) {
      shapeWidth = Math.max(shapeWidth, compact(e.shape()).length());
    }
    String format = "  %-" + width + "s  %-" + shapeWidth + "s  %s%n";
    StringBuilder b = new StringBuilder();
    long loaded = entries.stream().filter(Entry::loaded).count();
    b.append(
        String.format(
            Locale.ROOT,
            "Warm start from %s: %d of %d variables loaded%n",
            reader.describe(),
            loaded,
            entries.size()));
    b.append(String.format(Locale.ROOT, format, "variable", "shape", "start"));
    for (Entry e : entries) {
      b.append(
          String.format(
              Locale.ROOT,
              format,
              e.variable(),
              compact(e.shape()),
              e.loaded()
                  ? "loaded from " + reader.describe(e.key())
                  : "initialized: " + e.reason()));
    }
    if (!unused.isEmpty()) {
      b.append("  not used from the checkpoint: ").append(abbreviate(unused)).append('\n');
    }
    return b.toString();
  }

  /**
   * Runs {@code init} with the loaded variables' initial values replaced by the checkpoint's: the
   * other variables get their usual initial values.
   *
   * @param variables the model's variables (those in {@link #entries()} must be among them)
   * @param session a session on the graph of {@code variables}
   * @param init the network's initializer op ({@code init}), run once in place of {@code
   *     session.run(init)}
   * @throws CheckpointException when a tensor cannot be read (a corrupt data file)
   */
  public void initialize(Session session, List<? extends NamedVariable<?>> variables, Op init)
      throws CheckpointException {
    Map<String, NamedVariable<?>> byName = new LinkedHashMap<>();
    for (NamedVariable<?> v : variables) {
      byName.put(v.name(), v);
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner().addTarget(init);
      for (Entry e : entries) {
        if (!e.loaded()) {
          continue;
        }
        NamedVariable<?> v = byName.get(e.variable());
        if (v == null) {
          throw new IllegalArgumentException("the graph has no variable '" + e.variable() + "'");
        }
        float[] values = reader.floats(e.key());
        TFloat32 t = TFloat32.tensorOf(Shape.of(e.shape()), DataBuffers.of(values, true, false));
        fed.add(t);
        // the initializer is Assign(variable, initial_value): feeding initial_value replaces it
        runner.feed(((GraphOperation) v.initializer().op()).input(1), t);
      }
      runner.run().close();
    } finally {
      fed.forEach(Tensor::close);
    }
  }
}
