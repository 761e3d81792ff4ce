package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code train}, {@code evaluate} and {@code predict} in-process: results, files, bad options. */
class TrainCommandTest {

  @TempDir Path dir;

  private static String testAccuracy(String out) {
    Matcher m = Pattern.compile("Test Accuracy: (0\\.\\d{4})").matcher(out);
    assertTrue(m.find(), out);
    return m.group(1);
  }

  @Test
  void deeperNetworkSavesPlotsLogsAndEvaluatesToTheSameAccuracy() throws Exception {
    String prefix = dir.resolve("run/model.ckpt").toString();
    CliRun train =
        CliRun.of(
            "train",
            "--hidden",
            "64,32",
            "--epochs",
            "3",
            "--learning-rate",
            "0.5",
            "--init-stddev",
            "0.1",
            "--seed",
            "4",
            "--save",
            prefix,
            "--save-every",
            "1",
            "--plot",
            dir.resolve("curve.png").toString(),
            "--logdir",
            dir.resolve("logs").toString());
    assertEquals(0, train.status(), train.err());
    assertTrue(train.out().contains("Saved " + prefix + "-162"), train.out());
    assertTrue(
        Pattern.compile("Trained 162 steps in \\d+\\.\\d\\d s \\(\\d+\\.\\d steps/s\\)")
            .matcher(train.out())
            .find(),
        train.out());
    assertTrue(Files.size(dir.resolve("curve.png")) > 1000);
    try (var logs = Files.list(dir.resolve("logs"))) {
      assertTrue(logs.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents")));
    }
    List<String> kept = new ArrayList<>();
    for (int step : new int[] {54, 108, 162}) {
      if (Files.exists(Path.of(prefix + "-" + step + ".index"))) {
        kept.add("model.ckpt-" + step);
      }
    }
    assertEquals(List.of("model.ckpt-54", "model.ckpt-108", "model.ckpt-162"), kept);

    CliRun eval = CliRun.of("evaluate", "--checkpoint", dir.resolve("run").toString());
    assertEquals(0, eval.status(), eval.err());
    assertEquals(testAccuracy(train.out()), testAccuracy(eval.out()));
    assertTrue(Double.parseDouble(testAccuracy(eval.out())) > 0.8, eval.out());

    CliRun predict =
        CliRun.of("predict", "--hidden", "64,32", "--checkpoint", prefix + "-162", "--index", "3");
    assertEquals(0, predict.status(), predict.err());
    assertTrue(predict.out().contains("Label: 1\nPredicted: "), predict.out());
  }

  @Test
  void checkpointThatDoesNotFitHiddenIsOneClearLine() {
    String prefix = dir.resolve("model.ckpt").toString();
    assertEquals(
        0, CliRun.of("train", "--hidden", "16", "--epochs", "1", "--save", prefix).status());
    CliRun r = CliRun.of("evaluate", "--hidden", "32", "--checkpoint", dir.toString());
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals(
        "error: "
            + prefix
            + "-54: shape mismatch for variable 'hidden_layer/biases': the"
            + " checkpoint holds shape [16], the graph's variable has shape [32]",
        r.err().strip());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--batch-size 0|batch size must be at least 1, found 0",
        "--learning-rate -0.1|learning rate must be a positive number, found -0.1",
        "--hidden 0|hidden layer widths must be positive, found 0 in [0]",
        "--keep-prob 1.5|keep_prob must be in (0, 1] (the probability of keeping a unit), found 1.5",
        "--epochs 0|epochs must be at least 1, found 0",
        "--batch-size 9000|--batch-size 9000 is larger than the training split (7000 examples)",
        "--save-every 2|--save-every needs --save"
      })
  void badOptionsAreOneLineAndStatusTwo(String options, String message) {
    List<String> args = new ArrayList<>(List.of("train"));
    args.addAll(List.of(options.split(" ")));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(Main.EXIT_USAGE, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: " + message), r.err());
  }

  @Test
  void missingDataDirectoryIsOneLine() {
    Path absent = dir.resolve("absent");
    CliRun r = CliRun.of("train", "--data", absent.toString());
    assertTrue(r.status() != 0);
    assertEquals(
        "error: "
            + absent
            + ": no such directory; expected a directory of MNIST-format"
            + " IDX files",
        r.err().strip());
  }

  @Test
  void evaluateReadsTheWidthsFromTheCheckpointOrSaysWhyItCannot() {
    String prefix = dir.resolve("vars.ckpt").toString();
    assertEquals(0, CliRun.of("lesson", "save-variables", "--file", prefix).status());
    CliRun r = CliRun.of("evaluate", "--checkpoint", prefix);
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals(
        "error: "
            + prefix
            + ": no hidden_layer/weights and out/weights: not a checkpoint"
            + " of the lesson's MLP; pass --hidden to say its layers",
        r.err().strip());
  }
}
