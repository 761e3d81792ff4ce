package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.TrainingListener;
import org.dnnlessons.train.TrainingRun;
import org.dnnlessons.train.TrainingRunOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Keras 3 models trained and saved by real Python ({@code keras_models.py}) in all four forms,
 * evaluated by Java: the accuracy {@code evaluate} prints equals Keras's to 4 decimals, and the
 * logits equal Keras's pre-softmax outputs within 1e-5. Two of the models were fitted with Adam, so
 * their TF2 checkpoints hold moments with each kernel's shape that must never be restored.
 */
@CpuNumerics
class KerasToJavaIT {

  /** float32 logits computed by two libraries' kernels: {@code |a-b| <= atol + rtol*|b|}. */
  private static final double TOLERANCE = 1e-5;

  private static final List<String> MODELS = List.of("one_hidden", "two_hidden", "uncompiled");

  private static final List<String> FORMS =
      List.of("ckpt", "model.weights.h5", "model.keras", "saved_model");

  @TempDir static Path dir;

  private static Map<String, String> python;

  @BeforeAll
  static void kerasTrainsAndSavesTheModels() throws Exception {
    python = PythonTensorFlow.run("keras_models.py", dir.toString(), "--data", "data/mnist");
  }

  static Stream<Arguments> modelsAndForms() {
    List<Arguments> out = new ArrayList<>();
    for (String model : MODELS) {
      for (String form : FORMS) {
        out.add(Arguments.of(model, form));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modelsAndForms")
  void evaluatePrintsKerassAccuracy(String model, String form) {
    String[] fields = python.get(model).split(" ");
    String expected =
        String.format(Locale.ROOT, "Test Accuracy: %.4f", Double.parseDouble(fields[0]));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "evaluate",
            "--checkpoint",
            dir.resolve(model).resolve(form).toString());
    assertEquals(0, status, () -> err.toString(StandardCharsets.UTF_8));
    assertEquals(expected, out.toString(StandardCharsets.UTF_8).strip());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modelsAndForms")
  void logitsMatchKeras(String model, String form) throws Exception {
    MlpWeights weights = MlpWeights.read(dir.resolve(model).resolve(form));
    String[] fields = python.get(model).split(" ");
    List<Integer> hidden = Arrays.stream(fields[1].split(",")).map(Integer::valueOf).toList();
    assertEquals(hidden, weights.hidden());
    float[][] keras = readLogits(dir.resolve(model).resolve("logits.txt"));
    float[] java = javaLogits(weights, keras.length);
    double maxDiff = 0;
    for (int i = 0; i < keras.length; i++) {
      for (int c = 0; c < Mlp.NUM_CLASSES; c++) {
        double expected = keras[i][c];
        double actual = java[i * Mlp.NUM_CLASSES + c];
        double diff = Math.abs(actual - expected);
        maxDiff = Math.max(maxDiff, diff);
        if (!(diff <= TOLERANCE + TOLERANCE * Math.abs(expected))) {
          throw new AssertionError(
              model
                  + " "
                  + form
                  + " logit ["
                  + i
                  + ","
                  + c
                  + "]: Java "
                  + actual
                  + ", Keras "
                  + expected);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "KERAS->JAVA %s %s Keras accuracy %s, max |logit diff| %s%n",
        model,
        form,
        fields[0],
        maxDiff);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void trainInitFromEveryKerasFormStartsFromItsWeights(String form) throws Exception {
    Path path = dir.resolve("two_hidden").resolve(form);
    MlpWeights keras = MlpWeights.read(path);
    Map<String, float[]> initial = new java.util.HashMap<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TrainingRun.prepare(
            TrainingRunOptions.of(new EmbeddedMnist())
                .withStart(TrainingRunOptions.Start.initFrom(path).withWidthsFromCheckpoint(true))
                .withTraining(org.dnnlessons.train.TrainOptions.lesson().withEpochs(1)))
        .run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            new TrainingListener() {
              @Override
              public void trainingStarted(Session session, Mlp.Network net) {
                for (var v : net.variables()) {
                  try (Result r = session.runner().fetch(v).run()) {
                    initial.put(v.name(), Tensors.toArray((TFloat32) r.get(0)));
                  }
                }
              }
            });
    assertEquals(keras.tensors().keySet(), initial.keySet());
    for (String name : keras.tensors().keySet()) {
      assertTrue(
          Arrays.equals(keras.tensors().get(name).floats(), initial.get(name)),
          name + " starts from Keras's value");
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains(": 6 of 6 variables loaded"), printed);
  }

  @Test
  void adamsMomentsAreNeverRestored() throws Exception {
    // after fit, Adam's moments have the kernels' shapes; the model's kernel is the one the
    // weights file holds for the same layer
    MlpWeights weights = MlpWeights.read(dir.resolve("one_hidden/ckpt"));
    float[] kernel = weights.tensors().get("hidden_layer/weights").floats();
    float[] fromH5 =
        MlpWeights.read(dir.resolve("one_hidden/model.weights.h5"))
            .tensors()
            .get("hidden_layer/weights")
            .floats();
    assertTrue(Arrays.equals(fromH5, kernel), "the checkpoint's kernel is the model's kernel");
  }

  @ParameterizedTest(name = "conv {0}")
  @MethodSource("forms")
  void aConv2DModelIsRefusedWithOneLine(String form) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "evaluate",
            "--checkpoint",
            dir.resolve("conv").resolve(form).toString());
    String message = err.toString(StandardCharsets.UTF_8).strip();
    if (form.equals("saved_model")) {
      // a SavedModel runs its own serving signature, a CNN's included (KerasZooIT checks its
      // numbers); read as layers it is refused
      assertEquals(0, status, message);
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Test Accuracy: "));
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> MlpWeights.read(dir.resolve("conv").resolve(form)));
      assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("conv2d"), e.getMessage());
      return;
    }
    assertNotEquals(0, status);
    assertEquals(1, message.lines().count(), message);
    assertTrue(
        message.contains("Conv2D") || message.contains("conv2d") || message.contains("[3,3,1,4]"),
        message);
  }

  @ParameterizedTest(name = "hostile {0}")
  @MethodSource("hostileFiles")
  void craftedFilesAreRefusedWithOneLine(String file, String expected) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path path = dir.resolve("hostile").resolve(file);
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "evaluate",
            "--checkpoint",
            path.toString());
    String message = err.toString(StandardCharsets.UTF_8).strip();
    assertEquals(Main.EXIT_FAILURE, status, message);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("error: " + path), message);
    assertTrue(message.contains(expected), message);
  }

  static Stream<Arguments> hostileFiles() {
    return Stream.of(
        Arguments.of("huge.weights.h5", "dataset layers/dense/vars/0 is 4096.0 GiB, more than the"),
        Arguments.of("dangling", "refers to object 7, but the object graph has 1"),
        Arguments.of("loop", "nests _functional objects more than 4 deep"),
        Arguments.of("garbage", "is not a TrackableObjectGraph"));
  }

  static Stream<String> forms() {
    return FORMS.stream();
  }

  private static float[] javaLogits(MlpWeights weights, int count) throws Exception {
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    int[] first = new int[count];
    Arrays.setAll(first, i -> i);
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withHidden(weights.hidden()));
      try (Session s = net.model().newSession();
          Batch b = test.toBatch(first)) {
        weights.restore(s, net);
        try (Result r = s.runner().feed(net.x(), b.images()).fetch(net.logits()).run()) {
          return Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
  }

  private static float[][] readLogits(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    float[][] out = new float[lines.size()][];
    for (int i = 0; i < out.length; i++) {
      String[] v = lines.get(i).trim().split("\\s+");
      out[i] = new float[v.length];
      for (int c = 0; c < v.length; c++) {
        out[i][c] = Float.parseFloat(v[c]);
      }
    }
    return out;
  }
}
