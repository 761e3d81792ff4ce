package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.lessons.LoadTrainedModel;
import org.dnnlessons.lessons.NamingError;
import org.dnnlessons.lessons.NamingFix;
import org.dnnlessons.lessons.SaveTrainedModel;
import org.dnnlessons.lessons.SaveVariables;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written by Java, restored by real Python TensorFlow 2.21. */
@CpuNumerics
class JavaToPythonIT {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, args);
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    return text;
  }

  private static String testAccuracy(String out) {
    Matcher m = Pattern.compile("Test Accuracy: (\\d\\.\\d{4})").matcher(out);
    assertTrue(m.find(), out);
    return m.group(1);
  }

  private static String fourDecimals(String pythonValue) {
    return String.format(Locale.ROOT, "%.4f", Float.parseFloat(pythonValue));
  }

  @Test
  void pythonRestoresTheTrainedMlpBothWaysWithJavasAccuracy() throws Exception {
    Path run = dir.resolve("run");
    run(
        "train",
        "--hidden",
        "64,32",
        "--epochs",
        "2",
        "--learning-rate",
        "0.1",
        "--init-stddev",
        "0.1",
        "--seed",
        "11",
        "--save",
        run.resolve("model.ckpt").toString());
    String javaAccuracy =
        testAccuracy(run("evaluate", "--hidden", "64,32", "--checkpoint", run.toString()));

    Map<String, String> python =
        PythonTensorFlow.run("interop_restore.py", run.toString(), "--hidden", "64,32");
    assertEquals(
        javaAccuracy,
        fourDecimals(python.get("saver_accuracy")),
        "tf.train.Saver.restore into Python's own graph");
    assertEquals(
        javaAccuracy,
        fourDecimals(python.get("meta_accuracy")),
        "import_meta_graph from the directory alone");

    // tf.train.list_variables equals inspect
    String javaVariables =
        CheckpointReader.open(run).tensors().stream()
            .map(
                t ->
                    t.name()
                        + ":"
                        + java.util.Arrays.stream(t.shape())
                            .mapToObj(Long::toString)
                            .collect(Collectors.joining(",")))
            .collect(Collectors.joining(";"));
    assertEquals(javaVariables, python.get("variables"));
  }

  @Test
  void notebookSaveVariablesCellRestoresInPython() throws Exception {
    String prefix = dir.resolve("model.ckpt").toString();
    SaveVariables.Saved saved = SaveVariables.run(new SaveVariables.Options(prefix, null), QUIET);
    Map<String, String> python =
        PythonTensorFlow.run("interop_notebook.py", "save-variables", prefix);
    assertEquals(hex(saved.weights()), python.get("weights"));
    assertEquals(hex(new float[][] {saved.bias()}), python.get("bias"));
  }

  @Test
  void notebookNamingFixCellRestoresInPythonInSwappedOrder() throws Exception {
    String prefix = dir.resolve("model.ckpt").toString();
    NamingFix.Restored saved = NamingFix.run(new NamingFix.Options(prefix), QUIET);
    Map<String, String> python = PythonTensorFlow.run("interop_notebook.py", "naming-fix", prefix);
    assertEquals(hex(saved.savedWeights()), python.get("weights"));
    assertEquals(hex(new float[][] {saved.savedBias()}), python.get("bias"));
  }

  @Test
  void notebookNamingErrorCellFailsOnJavasCheckpointAsJavaFails() throws Exception {
    String prefix = dir.resolve("model.ckpt").toString();
    assertThrows(
        CheckpointException.class, () -> NamingError.run(new NamingError.Options(prefix), QUIET));
    Map<String, String> python =
        PythonTensorFlow.run("interop_notebook.py", "naming-error", prefix);
    assertEquals("InvalidArgumentError", python.get("error"), python.toString());
  }

  @Test
  void notebookLoadTrainedCellMeasuresJavasSavedModelAsJavaDoes() throws Exception {
    String prefix = dir.resolve("train_model.ckpt").toString();
    SaveTrainedModel.run(
        SaveTrainedModel.Options.defaults().withFile(prefix).withEpochs(3).withSeed(1L), QUIET);
    float java =
        LoadTrainedModel.run(new LoadTrainedModel.Options(prefix, new EmbeddedMnist()), QUIET)
            .testAccuracy();
    Map<String, String> python =
        PythonTensorFlow.run("interop_notebook.py", "load-trained", prefix, "data/mnist");
    assertEquals(java, Float.parseFloat(python.get("test_accuracy")), python.toString());
  }

  static String hex(float[][] rows) {
    int n = 0;
    for (float[] r : rows) {
      n += r.length;
    }
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] r : rows) {
      for (float v : r) {
        b.putFloat(v);
      }
    }
    return HexFormat.of().formatHex(b.array());
  }
}
