package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.savedmodel.SavedModelRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The zoo: every model {@code keras_zoo.py} trains (each Keras activation, the activation layers,
 * Rescaling/Normalization first, BatchNormalization, no bias, 0-3 hidden layers, a subclassed
 * model, a CNN, float16/bfloat16/mixed_float16) in every form Keras and TensorFlow write, read by
 * Java as {@code evaluate} reads it. For each (model, form) pair Java either computes Keras's
 * numbers (outputs within the named tolerance on the first 200 test digits, the same accuracy on
 * all 2,000) or refuses in one line, and the refusal is one this test lists in {@link
 * #ALLOWED_REFUSALS}; a different number is never allowed. An allowed refusal that now computes
 * Keras's numbers fails too, so the list only shrinks. The table (model x form: Keras accuracy,
 * Java accuracy, max |difference| or the refusal) is written to {@code target/keras-zoo.md}.
 *
 * <p>Two readings of each SavedModel are checked: {@code evaluate}'s ({@link SavedModelRunner}, the
 * model's own serving signature) and the weights-and-graph reading that {@code train --init-from}
 * uses ({@link MlpWeights#read}), columns {@code export (as layers)} and {@code saved_model (as
 * layers)}.
 *
 * <p>Not in the SSE41 numerics pass: its bfloat16 and mixed-precision models run through
 * TensorFlow's oneDNN bfloat16 kernels, which TensorFlow picks from the CPU's real features and
 * oneDNN then refuses under {@code ONEDNN_MAX_CPU_ISA=SSE41} (an abort, in Python and in the JVM
 * alike); {@code KerasLayersIT} checks every float32 layer there.
 */
class KerasZooIT {

  /** float32 outputs of two TensorFlow builds' kernels: {@code |a-b| <= atol + rtol*|b|}. */
  static final double TOLERANCE = 1e-5;

  /** float16 outputs: one float16 ulp (2^-10) relative, plus the same absolute. */
  static final double TOLERANCE_FLOAT16 = 0x1p-10;

  /** bfloat16 outputs: one bfloat16 ulp (2^-7) relative, plus the same absolute. */
  static final double TOLERANCE_BFLOAT16 = 0x1p-7;

  static final List<String> FORMS =
      List.of(
          "model.keras",
          "model.h5",
          "model.weights.h5",
          "ckpt",
          "export",
          "saved_model",
          "export (as layers)",
          "saved_model (as layers)");

  /** The (model, form) pairs Java refuses today, each group with a word on why: "model form". */
  static final Set<String> ALLOWED_REFUSALS = allowedRefusals();

  private static Set<String> allowedRefusals() {
    Set<String> out = new TreeSet<>();
    // gelu(approximate=True) has no name in a Keras config
    for (String form :
        List.of(
            "model.keras",
            "model.h5",
            "model.weights.h5",
            "ckpt",
            "saved_model",
            "export (as layers)",
            "saved_model (as layers)")) {
      out.add("act_gelu_approximate " + form);
    }
    // a subclassed model has no layer list in its config or object graph; exact through m.export
    for (String form :
        List.of(
            "model.keras",
            "model.h5",
            "model.weights.h5",
            "ckpt",
            "saved_model",
            "export (as layers)",
            "saved_model (as layers)")) {
      out.add("subclassed " + form);
    }
    // Conv2D and MaxPool are no layers of the description; exact through m.export
    for (String form :
        List.of(
            "model.keras",
            "model.h5",
            "model.weights.h5",
            "ckpt",
            "saved_model",
            "export (as layers)",
            "saved_model (as layers)")) {
      out.add("cnn " + form);
    }
    // the bfloat16 HDF5 datasets are not read yet (issue 22, dtypes)
    for (String form : List.of("model.keras", "model.h5", "model.weights.h5")) {
      out.add("bfloat16 " + form);
    }
    return out;
  }

  /**
   * What an allowed refusal must say, the true cause checked against the file keras_zoo.py wrote
   * (each family's "model form" key to a phrase of its message): a refusal that names another cause
   * (a weight "the file does not hold" while it holds it, "not this file's model" of the model's
   * own --config) fails the zoo.
   */
  static String mustSay(String key) {
    String model = key.substring(0, key.indexOf(' '));
    String form = key.substring(key.indexOf(' ') + 1);
    return switch (model) {
      // the config names the Python function, which Keras 3 does not know by name
      case "act_gelu_approximate" ->
          form.contains("saved_model") || form.startsWith("export")
              ? "gelu(approximate=True) has no name in a Keras config"
              : "its activation 'gelu_approximate' is not one Keras 3 names";
      // config.json says class_name "Subclassed"; the object graphs hold 'hidden' and 'out'
      case "subclassed" ->
          switch (form) {
            case "model.keras", "model.h5", "model.weights.h5" ->
                "the model config describes a Subclassed, expected a Sequential or Functional";
            case "export (as layers)" -> "'subclassed' holds 4";
            default -> "(hidden, out, optimizer";
          };
      // the model is Conv2D, MaxPooling2D, Flatten, Dense
      case "cnn" ->
          form.contains("saved_model") || form.startsWith("export")
              ? "the serving signature computes MaxPool"
              : "layer 'conv2d' (Conv2D): not supported";
      // h5py writes ml_dtypes' bfloat16 as an HDF5 opaque type with an empty tag (h5py's
      // get_type().get_tag() is b''), which jHDF 0.9.4 cannot parse
      case "bfloat16" ->
          "cannot parse a weight's datatype, an HDF5 opaque type with an empty tag, which is how"
              + " h5py stores Keras's bfloat16 weights";
      default -> null;
    };
  }

  /** The forms that hold weights only: read with --config (the model's .keras file). */
  static final Set<String> WEIGHTS_ONLY = Set.of("model.weights.h5", "ckpt");

  @TempDir static Path dir;

  /** One cell of the table. */
  private record Cell(String text, String failure, boolean refused) {}

  @Test
  void everyModelInEveryFormIsKerassNumbersOrAnAllowedRefusal() throws Exception {
    // -Dzoo.reuse=DIR reads a zoo keras_zoo.py wrote before (while developing; CI never sets it)
    String reuse = System.getProperty("zoo.reuse");
    Path zoo = reuse != null ? Path.of(reuse) : dir;
    Map<String, String> python =
        reuse != null
            ? index(zoo)
            : PythonTensorFlow.run("keras_zoo.py", dir.toString(), "--data", "data/mnist");
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    List<String> failures = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    table.append("| model | Keras acc | ").append(String.join(" | ", FORMS)).append(" |\n");
    table.append("|---|---|").append("---|".repeat(FORMS.size())).append('\n');
    Map<String, String> refusals = new LinkedHashMap<>();
    for (Map.Entry<String, String> model : python.entrySet()) {
      String[] fields = model.getValue().split(" ");
      double kerasAccuracy = Double.parseDouble(fields[0]);
      String dtype = fields[2];
      Path modelDir = zoo.resolve(model.getKey());
      Map<String, String> saved = forms(modelDir);
      table
          .append("| ")
          .append(model.getKey())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.4f", kerasAccuracy))
          .append(" |");
      for (String form : FORMS) {
        String key = model.getKey() + " " + form;
        String file = form.replace(" (as layers)", "");
        Cell cell;
        if (!saved.get(file).equals("saved")) {
          cell = new Cell("Keras: " + saved.get(file), null, false);
        } else {
          cell =
              check(modelDir, file, form.endsWith("(as layers)"), kerasAccuracy, dtype, test, key);
        }
        if (cell.failure() != null) {
          failures.add(key + ": " + cell.failure());
        }
        if (cell.refused()) {
          refusals.put(key, cell.text());
        }
        table.append(' ').append(cell.text().replace("|", "\\|")).append(" |");
      }
      table.append('\n');
    }
    table.append("\nRefusals, one line each:\n\n");
    refusals.forEach((k, v) -> table.append("- ").append(k).append(": ").append(v).append('\n'));
    Path report = Path.of("target", "keras-zoo.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, table.toString(), StandardCharsets.UTF_8);
    assertTrue(python.size() >= 30, "keras_zoo.py trained " + python.size() + " models");
    // inspect lists a subclassed model's export as Python's tf.saved_model.load(dir).variables
    // does: four variables, though Keras names both layers' 'subclassed/kernel' and
    // 'subclassed/bias' (inspect once kept the first of each name and showed two)
    List<String> variables = new ArrayList<>();
    for (org.dnnlessons.checkpoint.CheckpointTensor t :
        org.dnnlessons.keras.SavedModelVariables.read(zoo.resolve("subclassed/export"))) {
      variables.add(t.info().name() + " " + t.info().compactShape());
    }
    assertEquals(
        List.of(
            "subclassed/bias [10]",
            "subclassed/bias [16]",
            "subclassed/kernel [16,10]",
            "subclassed/kernel [784,16]"),
        variables.stream().sorted().toList());
    assertTrue(
        failures.isEmpty(),
        failures.size() + " pair(s) (table in " + report + "):\n" + String.join("\n", failures));
  }

  private static Map<String, String> index(Path zoo) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(zoo.resolve("index.txt"))) {
      int space = line.indexOf(' ');
      out.put(line.substring(0, space), line.substring(space + 1));
    }
    return out;
  }

  /** The forms keras_zoo.py saved, and why Keras could not save the others. */
  private static Map<String, String> forms(Path modelDir) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(modelDir.resolve("forms.txt"))) {
      int space = line.indexOf(' ');
      out.put(line.substring(0, space), line.substring(space + 1));
    }
    return out;
  }

  private static Cell check(
      Path modelDir,
      String form,
      boolean asLayers,
      double kerasAccuracy,
      String dtype,
      DataSet test,
      String key)
      throws Exception {
    Path path = modelDir.resolve(form);
    boolean allowed = ALLOWED_REFUSALS.contains(key);
    float[][] java;
    boolean probabilities = false;
    List<String> notes = List.of();
    String described = "";
    try {
      java = null;
      if (SavedModelRunner.isSavedModel(path) && !asLayers) {
        // as evaluate does: the signature itself, or the network its graph describes when
        // TensorFlow's loader cannot run the signature
        try (SavedModelRunner runner = SavedModelRunner.open(path, test.imageSize())) {
          java = runner.classify(test, runner.defaultInputScale());
          probabilities = runner.outputKind() == SavedModelRunner.OutputKind.PROBABILITIES;
        } catch (SavedModelRunner.UnrunnableSignature e) {
          described = "described: ";
        }
      }
      if (java == null) {
        MlpWeights weights;
        if (WEIGHTS_ONLY.contains(form) && Files.isRegularFile(modelDir.resolve("model.keras"))) {
          // weights-only: without --config the file is read as the lesson's MLP with a note, or
          // refused naming --config; with --config (the model's .keras file) it must be exact
          try {
            if (MlpWeights.read(path).notes().stream().noneMatch(n -> n.contains("--config"))) {
              return new Cell(
                  "read without a note",
                  "a weights-only form read without --config and without a note saying so",
                  false);
            }
          } catch (CheckpointException e) {
            if (!e.reason().contains("--config")) {
              throw e;
            }
          }
          weights = MlpWeights.read(path, modelDir.resolve("model.keras"));
        } else {
          weights = MlpWeights.read(path);
        }
        notes = weights.notes();
        java = lessonLogits(weights, test);
      }
    } catch (CheckpointException e) {
      String message = e.getMessage();
      if (message.contains("\n")) {
        return new Cell("refused (not one line)", "a refusal of more than one line", true);
      }
      String says = mustSay(key);
      return new Cell(
          described + "refused: " + e.reason(),
          !allowed
              ? "refused, and not an allowed refusal: " + message
              : says == null || !message.contains(says)
                  ? "refused without saying the true cause ('" + says + "'): " + message
                  : null,
          true);
    }
    float[][] keras =
        KerasCompare.readMatrix(modelDir.resolve(probabilities ? "out.txt" : "pre.txt"));
    double tolerance =
        switch (dtype) {
          case "float16" -> TOLERANCE_FLOAT16;
          case "bfloat16" -> TOLERANCE_BFLOAT16;
          default -> TOLERANCE;
        };
    double maxDiff = 0;
    String mismatch = null;
    for (int i = 0; i < keras.length; i++) {
      for (int c = 0; c < keras[i].length; c++) {
        double expected = keras[i][c];
        double diff = Math.abs(java[i][c] - expected);
        maxDiff = Math.max(maxDiff, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
        if (mismatch == null && !(diff <= tolerance + tolerance * Math.abs(expected))) {
          mismatch =
              String.format(
                  Locale.ROOT,
                  "output [%d,%d]: Java %s, Keras %s (tolerance %s)",
                  i,
                  c,
                  java[i][c],
                  expected,
                  tolerance);
        }
      }
    }
    int right = 0;
    for (int i = 0; i < java.length; i++) {
      right += SavedModelRunner.argmax(java[i]) == test.label(i) ? 1 : 0;
    }
    double javaAccuracy = (double) right / java.length;
    if (mismatch == null && javaAccuracy != kerasAccuracy) {
      mismatch = "accuracy " + javaAccuracy + ", Keras " + kerasAccuracy;
    }
    String text =
        described + String.format(Locale.ROOT, "%.4f (max diff %.1e)", javaAccuracy, maxDiff);
    String stated = notes.stream().filter(n -> n.contains("float32")).findFirst().orElse(null);
    if (mismatch != null && stated != null && !dtype.equals("float32")) {
      // a low-precision model computed in float32, and said so: a stated difference
      return new Cell(
          text + ", stated: computed in float32",
          allowed ? "now read, stated: remove it from ALLOWED_REFUSALS" : null,
          false);
    }
    if (mismatch != null) {
      return new Cell(text + " MISMATCH", "A SILENTLY DIFFERENT NUMBER: " + mismatch, false);
    }
    if (allowed) {
      return new Cell(
          text, "now exact: remove it from ALLOWED_REFUSALS so that it stays exact", false);
    }
    return new Cell(text, null, false);
  }

  /** The network {@code weights} describes, its logits for every image of {@code test}. */
  private static float[][] lessonLogits(MlpWeights weights, DataSet test) throws Exception {
    int[] all = new int[test.numExamples()];
    Arrays.setAll(all, i -> i);
    float[] flat;
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withModel(weights.model()));
      try (Session s = net.model().newSession();
          Batch b = test.toBatch(all)) {
        weights.restore(s, net);
        try (Result r = s.runner().feed(net.x(), b.images()).fetch(net.logits()).run()) {
          flat = Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
    float[][] out = new float[all.length][];
    for (int i = 0; i < all.length; i++) {
      out[i] = Arrays.copyOfRange(flat, i * Mlp.NUM_CLASSES, (i + 1) * Mlp.NUM_CLASSES);
    }
    return out;
  }
}
