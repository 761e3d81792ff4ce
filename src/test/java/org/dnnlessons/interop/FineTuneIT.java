package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.cli.Main;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python trains, Java fine-tunes, Python takes it back: the MLP Python TensorFlow 2.21 trained
 * ({@code make_checkpoint_fixtures.py}, fixture {@code mlp}) is warm-started by {@code train
 * --init-from}, trained on, saved, and restored by Python both ways ({@code import_meta_graph} with
 * {@code Saver.restore}, and Python's own graph with {@code tf.train.Saver}) at the accuracy Java
 * printed.
 */
@CpuNumerics
class FineTuneIT {

  static final Path PYTHON_MLP =
      Path.of("src", "test", "resources", "org", "dnnlessons", "checkpoint", "python", "mlp");

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
  void pythonRestoresTheCheckpointJavaFineTunedFromPythonsAtJavasAccuracy() throws Exception {
    String before = testAccuracy(run("evaluate", "--checkpoint", PYTHON_MLP.toString()));
    assertEquals(
        fourDecimals(Files.readString(PYTHON_MLP.resolve("accuracy.txt")).strip()),
        before,
        "Java evaluates Python's checkpoint at Python's accuracy");

    Path tuned = dir.resolve("tuned");
    String train =
        run(
            "train",
            "--init-from",
            PYTHON_MLP.toString(),
            "--epochs",
            "5",
            "--learning-rate",
            "0.1",
            "--seed",
            "3",
            "--save",
            tuned.resolve("model.ckpt").toString());
    assertTrue(train.contains(": 4 of 4 variables loaded"), train);
    assertTrue(train.contains("hidden [32]"), train); // the checkpoint's width
    String after = testAccuracy(train);
    System.out.printf(
        Locale.ROOT, "FINE-TUNE Python checkpoint: accuracy %s before, %s after%n", before, after);

    Map<String, String> python =
        PythonTensorFlow.run("interop_restore.py", tuned.toString(), "--hidden", "32");
    assertEquals(after, fourDecimals(python.get("meta_accuracy")), "import_meta_graph + restore");
    assertEquals(after, fourDecimals(python.get("saver_accuracy")), "tf.train.Saver().restore");
    assertEquals("270", python.get("global_step"), "tf.train.get_global_step() finds Java's step");
    assertTrue(
        python.get("variables").startsWith("global_step:;hidden_layer/biases:32;"),
        python.get("variables"));
  }
}
