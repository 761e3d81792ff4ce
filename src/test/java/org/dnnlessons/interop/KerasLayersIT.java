package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Activation;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.Evaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * One small Keras 3 model per activation Keras names and per layer kind the model description holds
 * ({@code keras_layers.py}: random weights, biases, statistics), saved as {@code .keras}, legacy
 * {@code .h5}, {@code .weights.h5} and a TF2 checkpoint: Java's outputs on the same digits are
 * within 1e-5 of Keras's and its accuracy over every test digit is Keras's, from every form that
 * says the model (the weights-only ones with {@code --config model.json}). Read without {@code
 * --config}, a weights-only file is never a silently different number: it is read as the lesson's
 * MLP with a printed line saying so, or refused.
 */
@CpuNumerics
class KerasLayersIT {

  /** float32 outputs computed by two libraries' kernels: {@code |a-b| <= atol + rtol*|b|}. */
  private static final double TOLERANCE = 1e-5;

  private static final List<String> ACTIVATIONS =
      List.of(
          "relu",
          "relu6",
          "leaky_relu",
          "elu",
          "selu",
          "gelu",
          "sigmoid",
          "hard_sigmoid",
          "tanh",
          "softplus",
          "softsign",
          "silu",
          "swish",
          "mish",
          "exponential",
          "linear",
          "softmax",
          "log_softmax",
          "hard_silu",
          "hard_swish");

  private static final List<String> LAYERS =
      List.of(
          "layer_relu_params",
          "layer_relu6",
          "layer_leaky_relu",
          "layer_prelu",
          "layer_elu",
          "layer_activation",
          "layer_softmax_out",
          "dense_softmax_out",
          "no_bias",
          "no_hidden",
          "three_hidden",
          "rescaling",
          "normalization",
          "normalization_given",
          "batch_norm",
          "batch_norm_no_scale",
          "dropout_reshape");

  /** The forms, and whether each needs {@code --config model.json} to say the model. */
  private static final Map<String, Boolean> FORMS =
      Map.of("model.keras", false, "model.h5", false, "model.weights.h5", true, "ckpt", true);

  @TempDir static Path dir;

  private static Map<String, String> python;

  private static DataSet test;

  @BeforeAll
  static void kerasBuildsAndSavesTheModels() throws Exception {
    python = PythonTensorFlow.run("keras_layers.py", dir.toString(), "--data", "data/mnist");
    test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
  }

  static List<String> models() {
    List<String> out = new ArrayList<>();
    ACTIVATIONS.forEach(a -> out.add("act_" + a));
    out.addAll(LAYERS);
    return out;
  }

  static Stream<Arguments> modelsAndForms() {
    List<Arguments> out = new ArrayList<>();
    for (String model : models()) {
      for (String form : List.of("model.keras", "model.h5", "model.weights.h5", "ckpt")) {
        out.add(Arguments.of(model, form));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> weightsOnly() {
    List<Arguments> out = new ArrayList<>();
    for (String model : models()) {
      for (String form : List.of("model.weights.h5", "ckpt")) {
        out.add(Arguments.of(model, form));
      }
    }
    return out.stream();
  }

  @Test
  void everyActivationAndLayerKindIsGenerated() {
    assertEquals(models().size() + 1, python.size(), python.keySet().toString());
    for (String name : Activation.names()) {
      if (!name.equals("gelu_approximate")) {
        assertTrue(python.containsKey("act_" + name), "a Keras model with " + name);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modelsAndForms")
  void javaComputesWhatKerasComputes(String model, String form) throws Exception {
    Path path = dir.resolve(model).resolve(form);
    Path config = FORMS.get(form) ? dir.resolve(model).resolve("model.json") : null;
    MlpWeights weights = MlpWeights.read(path, config);
    assertTrue(weights.notes().isEmpty(), weights.notes().toString());
    double maxDiff = compare(model, form, weights);
    String[] fields = python.get(model).split(" ");
    long kerasCorrect = Math.round(Double.parseDouble(fields[0]) * test.numExamples());
    long javaCorrect = Math.round(accuracy(weights) * (double) test.numExamples());
    assertEquals(kerasCorrect, javaCorrect, model + " " + form + ": correct test digits");
    System.out.printf(
        Locale.ROOT,
        "KERAS-LAYERS %s %s Keras accuracy %s, Java %s, max |output diff| %s%n",
        model,
        form,
        fields[0],
        (double) javaCorrect / test.numExamples(),
        maxDiff);
  }

  @ParameterizedTest(name = "{0} {1} without --config")
  @MethodSource("weightsOnly")
  void aWeightsOnlyFileWithoutConfigIsExactOrSaysWhatItAssumed(String model, String form)
      throws Exception {
    Path path = dir.resolve(model).resolve(form);
    MlpWeights truth = MlpWeights.read(dir.resolve(model).resolve("model.keras"));
    MlpWeights weights;
    try {
      weights = MlpWeights.read(path);
    } catch (CheckpointException e) {
      // refused: one line that names the way out
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().contains("--config"), e.getMessage());
      return;
    }
    boolean sameModel = sameMath(truth.model(), weights.model());
    assertEquals(1, weights.notes().size(), weights.notes().toString());
    String note = weights.notes().get(0);
    assertTrue(
        note.contains("holds weights only; read as the lesson's MLP")
            && note.contains("--config")
            && note.contains(weights.model().summary()),
        note);
    if (sameModel) {
      compare(model, form, weights);
    }
  }

  @Test
  void evaluateFeedsRawPixelsToARescalingModelAndSaysSo() {
    String[] r =
        KerasCompare.cli(
            "evaluate", "--checkpoint", dir.resolve("rescaling/model.keras").toString());
    assertEquals("0", r[0], r[2]);
    assertEquals(expectedLine("rescaling"), r[1].strip());
    assertTrue(r[2].contains("Input: raw pixels 0-255, as Keras fed the model"), r[2]);
    String[] lesson =
        KerasCompare.cli(
            "evaluate", "--checkpoint", dir.resolve("act_tanh/model.keras").toString());
    assertTrue(lesson[2].contains("Input: pixels/255, as the lesson's read_data_sets"), lesson[2]);
    String[] stated =
        KerasCompare.cli(
            "evaluate",
            "--input-scale",
            "1",
            "--checkpoint",
            dir.resolve("rescaling/model.keras").toString());
    assertTrue(stated[2].contains("Input: pixels/255 * 1.0 (--input-scale 1.0)"), stated[2]);
    assertNotEquals(expectedLine("rescaling"), stated[1].strip());
  }

  @Test
  void evaluateOfAWeightsOnlyFileSaysWhatItAssumedAndConfigMakesItExact() {
    Path h5 = dir.resolve("act_tanh/model.weights.h5");
    String[] assumed = KerasCompare.cli("evaluate", "--checkpoint", h5.toString());
    assertEquals("0", assumed[0], assumed[2]);
    assertTrue(
        assumed[2].contains(
            h5 + ": a .weights.h5 file holds weights only; read as the lesson's MLP Dense(16,"),
        assumed[2]);
    String[] configured =
        KerasCompare.cli(
            "evaluate",
            "--checkpoint",
            h5.toString(),
            "--config",
            dir.resolve("act_tanh/model.json").toString());
    assertEquals("0", configured[0], configured[2]);
    assertEquals(expectedLine("act_tanh"), configured[1].strip());
    assertFalse(configured[2].contains("holds weights only"), configured[2]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void anUnsupportedLayerIsRefusedInOneLineNamingIt(String file, String expected) {
    String[] r =
        KerasCompare.cli(
            "evaluate", "--checkpoint", dir.resolve("refused").resolve(file).toString());
    assertEquals(String.valueOf(Main.EXIT_FAILURE), r[0], r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    assertTrue(r[2].contains(expected), r[2]);
  }

  @Test
  void float16AndBfloat16WeightsAreWidenedAndSaidSo() throws Exception {
    Path f16 = dir.resolve("dtypes/float16");
    for (String form : List.of("model.keras", "model.weights.h5", "ckpt")) {
      MlpWeights w = MlpWeights.read(f16.resolve(form));
      assertTrue(
          w.notes().stream().anyMatch(n -> n.contains("float16 weights widened to float32")),
          form + ": " + w.notes());
      assertEquals(16, w.model().dense().get(0).units());
    }
    assertTrue(
        MlpWeights.read(f16.resolve("model.keras")).notes().stream()
            .anyMatch(n -> n.contains("Keras computes this model in float16; Java computes in")),
        "the compute dtype is said");
    MlpWeights bf16 = MlpWeights.read(dir.resolve("dtypes/bfloat16/ckpt"));
    assertTrue(
        bf16.notes().stream().anyMatch(n -> n.contains("bfloat16 weights widened to float32")),
        bf16.notes().toString());
    String[] h5 =
        KerasCompare.cli(
            "evaluate", "--checkpoint", dir.resolve("dtypes/bfloat16/model.weights.h5").toString());
    assertEquals(String.valueOf(Main.EXIT_FAILURE), h5[0], h5[2]);
    assertEquals(1, h5[2].strip().lines().count(), h5[2]);
    assertTrue(
        h5[2].contains(
            "cannot parse a weight's datatype, an HDF5 opaque type with an empty tag, which is how"
                + " h5py stores Keras's bfloat16 weights"),
        h5[2]);
    String[] inspect = KerasCompare.cli("inspect", f16.resolve("model.weights.h5").toString());
    assertTrue(inspect[1].contains("layers/dense/vars/0 (DT_HALF) [784,16]"), inspect[1]);
  }

  @Test
  void aTfModuleCheckpointIsReadWithMapAndTrainedWithInitMap() {
    String ckpt = dir.resolve("tfmodule/ckpt").toString();
    String map =
        "w1/.ATTRIBUTES/VARIABLE_VALUE=hidden_layer/weights,"
            + "b1/.ATTRIBUTES/VARIABLE_VALUE=hidden_layer/biases,"
            + "w2/.ATTRIBUTES/VARIABLE_VALUE=out/weights,"
            + "b2/.ATTRIBUTES/VARIABLE_VALUE=out/biases";
    String[] r =
        KerasCompare.cli("evaluate", "--checkpoint", ckpt, "--map", map, "--activation", "tanh");
    assertEquals("0", r[0], r[2]);
    assertEquals(expectedLine("tfmodule"), r[1].strip());
    assertTrue(r[2].contains("--map names weights only; read as the lesson's MLP"), r[2]);
    String[] train =
        KerasCompare.cli(
            "train",
            "--init-from",
            ckpt,
            "--init-map",
            map,
            "--activation",
            "tanh",
            "--epochs",
            "1",
            "--save",
            dir.resolve("tuned-module/model.ckpt").toString());
    assertEquals("0", train[0], train[2]);
    assertTrue(train[1].contains("4 of 4 variables loaded"), train[1]);
    assertTrue(train[1].contains("Model: Dense(16, tanh) -> Dense(10, linear)"), train[1]);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("conv.keras", "layer 'conv2d' (Conv2D): not supported; supported: Dense"),
        Arguments.of(
            "noise.keras", "layer 'gaussian_noise' (GaussianNoise): not supported; supported:"),
        Arguments.of(
            "subclassed.keras",
            "the model config describes a Subclassed, expected a Sequential or Functional model"),
        Arguments.of(
            "subclassed",
            "the object graph's 'model' (d1, d2) keeps no layer list (_functional, _operations,"
                + " layer-N), as a subclassed model or a tf.Module does: read its keys with --map"));
  }

  /**
   * Keras → {@code train --init-from} → {@code --export-keras} → {@code keras.models.load_model}:
   * every layer's class and activation kept, and Keras computes Java's accuracy from the file; and
   * {@code export} of every layer kind is the same model for Keras (same layers, same accuracy).
   */
  @Test
  void kerasToJavaFineTuneToKerasKeepsTheModel() throws Exception {
    List<String> models = List.of("rescaling", "batch_norm", "layer_prelu", "act_gelu");
    List<String> files = new ArrayList<>();
    List<String> javaAccuracy = new ArrayList<>();
    for (String model : models) {
      Path out = dir.resolve("tuned-" + model + ".keras");
      String[] train =
          KerasCompare.cli(
              "train",
              "--init-from",
              dir.resolve(model).resolve("model.keras").toString(),
              "--epochs",
              "1",
              "--learning-rate",
              "0.05",
              "--export-keras",
              out.toString());
      assertEquals("0", train[0], train[2]);
      if (model.equals("batch_norm")) {
        assertTrue(
            train[1].contains(
                "Only the Dense layers train: BatchNormalization 'batch_normalization' keep their"
                    + " values"),
            train[1]);
      }
      String[] eval = KerasCompare.cli("evaluate", "--checkpoint", out.toString());
      assertEquals("0", eval[0], eval[2]);
      javaAccuracy.add(eval[1].strip());
      files.add(dir.resolve(model).resolve("model.keras").toString());
      files.add(out.toString());
    }
    // export alone (no training) of every layer kind: Keras loads the same layers, same accuracy
    for (String model : LAYERS) {
      Path out = dir.resolve("exported-" + model + ".keras");
      String[] export =
          KerasCompare.cli(
              "export",
              "--format",
              "keras",
              "--checkpoint",
              dir.resolve(model).resolve("model.keras").toString(),
              "--out",
              out.toString());
      assertEquals("0", export[0], export[2]);
      files.add(dir.resolve(model).resolve("model.keras").toString());
      files.add(out.toString());
    }
    List<String> args = new ArrayList<>(List.of("--data", "data/mnist"));
    args.addAll(files);
    Map<String, String> keras =
        PythonTensorFlow.run("keras_describe.py", args.toArray(new String[0]));
    for (int i = 0; i < models.size(); i++) {
      String original = keras.get("layers_" + (2 * i));
      String tuned = keras.get("layers_" + (2 * i + 1));
      // the export adds Flatten in front (Java's x_flat); the rest is layer for layer
      assertEquals(
          original.replace("Flatten,", "").replace("Reshape,", ""),
          tuned.replace("Flatten,", ""),
          models.get(i));
      double a = Double.parseDouble(keras.get("accuracy_" + (2 * i + 1)));
      assertEquals(
          String.format(Locale.ROOT, "Test Accuracy: %.4f", a), javaAccuracy.get(i), models.get(i));
    }
    for (int j = 0; j < LAYERS.size(); j++) {
      int i = models.size() + j;
      String model = LAYERS.get(j);
      assertEquals(
          keras.get("layers_" + (2 * i)).replace("Flatten,", "").replace("Reshape,", ""),
          keras.get("layers_" + (2 * i + 1)).replace("Flatten,", ""),
          model);
      assertEquals(keras.get("accuracy_" + (2 * i)), keras.get("accuracy_" + (2 * i + 1)), model);
    }
  }

  private static String expectedLine(String model) {
    double a = Double.parseDouble(python.get(model).split(" ")[0]);
    return String.format(Locale.ROOT, "Test Accuracy: %.4f", a);
  }

  /** The same layers and math (names and Dropout, the identity at inference, aside). */
  private static boolean sameMath(ModelDescription a, ModelDescription b) {
    return withoutDropout(a).equals(withoutDropout(b)) && a.inputScale() == b.inputScale();
  }

  private static String withoutDropout(ModelDescription m) {
    return m.summary().replaceAll(" -> Dropout\\([^)]*\\)", "");
  }

  private static boolean softmaxOut(String model) {
    return python.get(model).split(" ")[1].equals("1");
  }

  private static double compare(String model, String form, MlpWeights weights) throws Exception {
    float[][] keras = KerasCompare.readMatrix(dir.resolve(model).resolve("outputs.txt"));
    float[] java =
        KerasCompare.outputs(
            Mlp.Options.lesson().withModel(weights.model()),
            weights,
            test,
            keras.length,
            softmaxOut(model));
    return KerasCompare.maxDiff(
        model + " " + form,
        "output",
        keras,
        java,
        TOLERANCE,
        " (" + weights.model().summary() + ")");
  }

  private static float accuracy(MlpWeights weights) throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withModel(weights.model()));
      try (Session s = net.model().newSession()) {
        weights.restore(s, net);
        return Evaluator.accuracy(s, net, test);
      }
    }
  }
}
