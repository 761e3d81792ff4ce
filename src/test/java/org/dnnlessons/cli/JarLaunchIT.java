package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.testing.PrintedText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar as a user does, {@code java -jar target/dnn-lessons.jar ...}, in a fresh
 * working directory.
 */
@CpuNumerics
class JarLaunchIT {

  @TempDir Path workDir;

  private record Run(int status, String out, String err) {}

  private Run launch(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("dnnlessons.jar");
    assertTrue(
        jar != null && Files.isRegularFile(Path.of(jar)),
        "system property dnnlessons.jar must name the packaged jar, found " + jar);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Path.of(jar).toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path out = workDir.resolve("stdout.txt");
    Path err = workDir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the jar did not finish in 120 s");
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void reluLessonPrintsTheQuizMatrix() throws Exception {
    Run r = launch("lesson", "relu");
    assertEquals(0, r.status(), r.err());
    // the notebook's digits, up to the CPU's last bits (frozen on one machine: a tolerance);
    // ReluLessonIT compares the jar's output with Python's on this machine exactly
    PrintedText.assertClose(PrintedText.RELU_QUIZ, r.out());
  }

  @Test
  void namingErrorGivesOneErrorLineNoStackTraceAndStatusOne() throws Exception {
    Run r = launch("lesson", "naming-error");
    assertEquals(Main.EXIT_FAILURE, r.status());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(
        List.of(
            "error: model.ckpt: shape mismatch for variable 'Variable': the checkpoint"
                + " holds shape [2, 3], the graph's variable has shape [3]"),
        errors);
    assertTrue(
        r.err().lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
        "no stack trace on stderr:\n" + r.err());
    // the notebook's default file lands in the working directory
    assertTrue(Files.isRegularFile(workDir.resolve("model.ckpt.index")));
  }

  @Test
  void saveThenLoadInSeparateProcessesPrintsTheSameValues() throws Exception {
    Run saved = launch("lesson", "save-variables", "--seed", "3");
    assertEquals(0, saved.status(), saved.err());
    Run loaded = launch("lesson", "load-variables");
    assertEquals(0, loaded.status(), loaded.err());
    // "Weights:" in the save cell, "Weight:" in the load cell, as in the notebook
    assertEquals(saved.out().replace("Weights:", "Weight:"), loaded.out());
  }

  @Test
  void trainSaveThenEvaluateInANewProcessReproducesTheAccuracy() throws Exception {
    Run train =
        launch(
            "train",
            "--hidden",
            "64",
            "--epochs",
            "2",
            "--learning-rate",
            "0.1",
            "--init-stddev",
            "0.1",
            "--seed",
            "5",
            "--save",
            "run/model.ckpt");
    assertEquals(0, train.status(), train.err());
    String accuracy =
        train.out().lines().filter(l -> l.startsWith("Test Accuracy: ")).findFirst().orElseThrow();
    assertTrue(
        train.out().lines().anyMatch(l -> l.startsWith("Trained 108 steps in ")), train.out());
    Run eval = launch("evaluate", "--hidden", "64", "--checkpoint", "run");
    assertEquals(0, eval.status(), eval.err());
    assertEquals(accuracy + "\n", eval.out());
  }

  @Test
  void mlpLessonRunsOnTheEmbeddedDigits() throws Exception {
    Run r = launch("lesson", "mlp", "--epochs", "2", "--seed", "1");
    assertEquals(0, r.status(), r.err());
    // no JVM warning on any JDK (JDK 24+: JNI from JavaCPP, sun.misc.Unsafe from ndarray; the
    // manifest's Enable-Native-Access and the CLI's main allow them); the one "WARNING:" line
    // left is TensorFlow's own log (absl), which TF_CPP_MIN_LOG_LEVEL governs
    List<String> warnings =
        r.err()
            .lines()
            .filter(l -> l.startsWith("WARNING:") && !l.contains("absl::InitializeLog()"))
            .toList();
    assertEquals(List.of(), warnings, r.err());
    assertTrue(r.out().startsWith("Epoch: 0001 cost= "), r.out());
    assertTrue(r.out().contains("Optimization Finished!\nTest Accuracy: "), r.out());
  }

  @Test
  void inspectNeverLoadsNativeTensorFlow() throws Exception {
    String jar = Path.of(System.getProperty("dnnlessons.jar")).toAbsolutePath().toString();
    Path fixture =
        Path.of("src/test/resources/org/dnnlessons/checkpoint/python/mlp").toAbsolutePath();
    Path out = workDir.resolve("classes.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info",
                "-jar",
                jar,
                "inspect",
                fixture.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    String log = Files.readString(out);
    assertTrue(log.contains("hidden_layer/weights (DT_FLOAT) [784,32]"), log);
    assertTrue(
        !log.contains("org.bytedeco") && !log.contains("org.tensorflow.internal.c_api"),
        "inspect loaded the native library's bindings");
  }
}
