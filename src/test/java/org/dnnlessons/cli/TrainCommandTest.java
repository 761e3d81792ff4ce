package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code train}, {@code evaluate} and {@code predict} in-process: results, files, bad options. */
@CpuNumerics
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
        Pattern.compile(
                "Trained 162 steps in \\d+\\.\\d\\d s \\(\\d+\\.\\d steps/s after a \\d+\\.\\d\\d s warm-up\\)")
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
            + "-54: shape mismatch for variable 'hidden_layer/weights' ('hidden_layer/weights' in"
            + " the file): the file holds [784, 16], the network has [784, 32]",
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
        "--save-every 2|--save-every needs --save",
        // values a double holds but float32, the graph's dtype, rounds to 0 or infinity
        "--learning-rate 4.9e-324|learning rate 4.9E-324 rounds to 0 in float32",
        "--learning-rate 1e39|learning rate 1.0E39 rounds to infinity in float32",
        "--init-stddev 4.9e-324|initial standard deviation 4.9E-324 rounds to 0 in float32",
        "--init-stddev 1e39|initial standard deviation 1.0E39 rounds to infinity in float32",
        "--keep-prob 4.9e-324|keep_prob 4.9E-324 rounds to 0 in float32",
        "--keep-prob 1e-40|keep_prob 1.0E-40 scales kept units by 1/keep_prob, which is infinity"
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
  void aSavePrefixWithALineBreakIsRefusedBeforeTraining() throws Exception {
    // the checkpoint state file names checkpoints one per line: this one would not read back
    Path prefix = dir.resolve("run\nx").resolve("model.ckpt");
    CliRun r = CliRun.of("train", "--epochs", "1", "--save", prefix.toString());
    // a usage error, found with the other option checks before any data is read
    assertEquals(Main.EXIT_USAGE, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err().contains("a checkpoint prefix cannot hold a line break or other control character"),
        r.err());
    assertTrue(r.err().contains("run\\nx"), "names the prefix, the line break escaped: " + r.err());
    assertFalse(Files.exists(prefix.getParent()), "nothing written");
    assertFalse(r.out().contains("Epoch"), "refused before training: " + r.out());
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
            + ": no out/weights: not a checkpoint of the lesson's MLP (nor of a Keras model: it"
            + " has no object graph); closest names in the checkpoint: Variable, Variable_1",
        r.err().strip());
  }

  private static final String PYTHON_MLP =
      "src/test/resources/org/dnnlessons/checkpoint/python/mlp";

  /** Files under {@code root}, relative, with their sizes and modification times. */
  private static List<String> listing(Path root) throws Exception {
    List<String> files = new ArrayList<>();
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
          files.add(
              root.relativize(p)
                  + " "
                  + (Files.isRegularFile(p) ? Files.size(p) : -1)
                  + " "
                  + Files.getLastModifiedTime(p));
        }
      }
    }
    return files;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hidden_layer/weight=hidden_layer/weights|--hidden 32|--init-map"
            + " hidden_layer/weight=hidden_layer/weights: no tensor named 'hidden_layer/weight' in"
            + " the checkpoint; closest names in the checkpoint: hidden_layer/weights,"
            + " hidden_layer/biases, out/weights",
        "hidden_layer/weights=hidden_layer/weights|--hidden 64|--init-map"
            + " hidden_layer/weights=hidden_layer/weights: the model's variable has shape"
            + " [784,64], shape differs (the checkpoint holds [784,32])",
        "out/biases=hidden_layer_2/biases|--hidden 32,16|--init-map"
            + " out/biases=hidden_layer_2/biases: the model's variable has shape [16], shape"
            + " differs (the checkpoint holds [10])"
      })
  void initMapMismatchIsOneLineAndWritesNothing(String map, String hidden, String message)
      throws Exception {
    Path out = dir.resolve("out");
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--init-from",
                PYTHON_MLP,
                "--init-map",
                map,
                "--epochs",
                "1",
                "--save",
                out.resolve("run/model.ckpt").toString(),
                "--logdir",
                out.resolve("logs").toString(),
                "--plot",
                out.resolve("curve.png").toString(),
                "--export",
                out.resolve("export").toString()));
    args.addAll(List.of(hidden.split(" ")));
    List<String> before = listing(Path.of(PYTHON_MLP));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
    assertEquals(
        "error: " + Path.of(PYTHON_MLP).resolve("model.ckpt") + ": " + message + "\n", r.err());
    assertFalse(Files.exists(out), "nothing written");
    assertEquals(before, listing(Path.of(PYTHON_MLP)));
  }

  @Test
  void initMapNamingNoVariableOfTheModelIsAUsageError() {
    CliRun r =
        CliRun.of(
            "train",
            "--init-from",
            PYTHON_MLP,
            "--init-map",
            "out/weights=out/weight",
            "--epochs",
            "1");
    assertEquals(Main.EXIT_USAGE, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "error: --init-map out/weights=out/weight: the model has no variable 'out/weight';"
                    + " its variables: hidden_layer/weights, hidden_layer/biases, out/weights,"
                    + " out/biases"),
        r.err());
  }

  @Test
  void savingIntoAnotherRunsDirectoryIsRefusedUnlessResumedWarmStartedOrOverwritten()
      throws Exception {
    Path run = dir.resolve("run");
    String prefix = run.resolve("model.ckpt").toString();
    assertEquals(
        0, CliRun.of("train", "--hidden", "16", "--epochs", "1", "--save", prefix).status());
    List<String> before = listing(run);

    CliRun refused = CliRun.of("train", "--hidden", "16", "--epochs", "1", "--save", prefix);
    assertEquals(Main.EXIT_FAILURE, refused.status());
    assertEquals(
        "error: "
            + run
            + ": already holds checkpoints of another run (model.ckpt-54); pass --resume to"
            + " continue it, --init-from "
            + run
            + " to start from its weights, or --overwrite to save over it\n",
        refused.err());
    assertEquals(before, listing(run), "nothing written");
    // another prefix in the same directory would repoint the same state file: refused too
    CliRun other =
        CliRun.of("train", "--epochs", "1", "--save", run.resolve("other.ckpt").toString());
    assertEquals(Main.EXIT_FAILURE, other.status());
    assertEquals(before, listing(run));

    CliRun overwritten =
        CliRun.of("train", "--hidden", "16", "--epochs", "1", "--save", prefix, "--overwrite");
    assertEquals(0, overwritten.status(), overwritten.err());
    CliRun warm =
        CliRun.of("train", "--init-from", run.toString(), "--epochs", "2", "--save", prefix);
    assertEquals(0, warm.status(), warm.err());
    assertTrue(warm.out().contains("Warm start from " + prefix + "-54: 4 of 4 variables loaded"));
  }

  @Test
  void resumeContinuesTheStepsEpochsAndCurveAndRefusesWhatDoesNotFit() throws Exception {
    Path run = dir.resolve("run");
    String prefix = run.resolve("model.ckpt").toString();
    String[] common = {
      "train",
      "--hidden",
      "16",
      "--learning-rate",
      "0.1",
      "--seed",
      "2",
      "--save",
      prefix,
      "--save-every",
      "1"
    };
    CliRun first = CliRun.of(concat(common, "--epochs", "2"));
    assertEquals(0, first.status(), first.err());
    CliRun resumed =
        CliRun.of(
            "train",
            "--save",
            prefix,
            "--resume",
            "--epochs",
            "3",
            "--learning-rate",
            "0.1",
            "--plot",
            dir.resolve("curve.png").toString());
    assertEquals(0, resumed.status(), resumed.err());
    assertTrue(
        resumed
            .out()
            .contains("Resuming from " + prefix + "-108: 2 of 3 epochs done, global step 108\n"),
        resumed.out());
    assertTrue(resumed.out().contains("hidden [16]"), resumed.out()); // widths from the checkpoint
    assertFalse(resumed.out().contains("Epoch 1 "), resumed.out());
    assertTrue(resumed.out().contains("\nEpoch 2   - cost: "), resumed.out());
    assertTrue(resumed.out().contains("Saved " + prefix + "-162\n"), resumed.out());
    assertTrue(resumed.out().contains("Trained 54 steps in "), resumed.out());

    CliRun done = CliRun.of("train", "--save", prefix, "--resume", "--epochs", "3");
    assertEquals(0, done.status(), done.err());
    assertTrue(done.out().contains("Nothing to train"), done.out());
    assertFalse(done.out().contains("Trained "), done.out());
    assertFalse(done.out().contains("Saved "), done.out());
    // fewer epochs than the run holds: "3 epochs done", never "3 of 2 epochs done"
    CliRun fewer = CliRun.of("train", "--save", prefix, "--resume", "--epochs", "2");
    assertEquals(0, fewer.status(), fewer.err());
    assertTrue(fewer.out().contains(": 3 epochs done, global step "), fewer.out());
    assertTrue(fewer.out().contains("Nothing to train"), fewer.out());

    // max_to_keep (5) counts the checkpoints of the run before the resume too
    CliRun longer =
        CliRun.of(
            "train",
            "--save",
            prefix,
            "--resume",
            "--epochs",
            "7",
            "--learning-rate",
            "0.1",
            "--save-every",
            "1");
    assertEquals(0, longer.status(), longer.err());
    assertEquals(
        List.of(
            "model.ckpt-162",
            "model.ckpt-216",
            "model.ckpt-270",
            "model.ckpt-324",
            "model.ckpt-378"),
        org.dnnlessons.checkpoint.CheckpointState.read(run).all());
    assertFalse(Files.exists(run.resolve("model.ckpt-54.index")));
    assertFalse(Files.exists(run.resolve("model.ckpt-108.index")));

    CliRun wider =
        CliRun.of("train", "--save", prefix, "--resume", "--epochs", "8", "--hidden", "32");
    assertEquals(Main.EXIT_FAILURE, wider.status());
    assertEquals(
        "error: "
            + prefix
            + "-378: 'hidden_layer/weights' does not fit these options, which give it shape"
            + " [784,32]: shape differs (the checkpoint holds [784,16])\n",
        wider.err());
    CliRun batch =
        CliRun.of("train", "--save", prefix, "--resume", "--epochs", "8", "--batch-size", "64");
    assertEquals(Main.EXIT_USAGE, batch.status());
    assertEquals(1, batch.err().lines().count(), batch.err());
    CliRun nothing =
        CliRun.of("train", "--save", dir.resolve("empty/m.ckpt").toString(), "--resume");
    assertEquals(Main.EXIT_FAILURE, nothing.status());
    assertEquals(
        "error: "
            + dir.resolve("empty/m.ckpt")
            + ": --resume: no checkpoint to resume from in "
            + dir.resolve("empty")
            + "\n",
        nothing.err());
    CliRun python = CliRun.of("train", "--save", PYTHON_MLP + "/model.ckpt", "--resume");
    assertEquals(Main.EXIT_FAILURE, python.status());
    assertTrue(python.err().contains("holds no global_step"), python.err());
  }

  @Test
  void resumeFromAStateFileNamingAMissingCheckpointSaysWhichOne() throws Exception {
    // was: "--resume: no checkpoint to resume from", while 'train' without --resume said the
    // directory "already holds checkpoints of another run (model.ckpt-999); pass --resume"
    Path run = Files.createDirectories(dir.resolve("stale"));
    Files.writeString(run.resolve("checkpoint"), "model_checkpoint_path: \"model.ckpt-999\"\n");
    String prefix = run.resolve("model.ckpt").toString();
    CliRun r = CliRun.of("train", "--save", prefix, "--resume", "--epochs", "1");
    assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
    assertEquals(
        "error: "
            + run.resolve("checkpoint")
            + ": names the checkpoint 'model.ckpt-999', but "
            + run.resolve("model.ckpt-999.index")
            + " does not exist\n",
        r.err());
  }

  @Test
  void warmStartFromADamagedCheckpointFailsBeforeItsTableSaysAnythingWasLoaded() throws Exception {
    String prefix = dir.resolve("good/model.ckpt").toString();
    assertEquals(
        0, CliRun.of("train", "--hidden", "16", "--epochs", "1", "--save", prefix).status());
    Path data;
    try (var files = Files.list(dir.resolve("good"))) {
      data = files.filter(p -> p.toString().endsWith(".data-00000-of-00001")).findFirst().get();
    }
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x5a; // inside hidden_layer/weights: its CRC32C no longer matches
    Files.write(data, bytes);
    CliRun r = CliRun.of("train", "--init-from", dir.resolve("good").toString(), "--epochs", "1");
    assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("checksum mismatch"), r.err());
    // was: "Warm start from ...: 4 of 4 variables loaded" and the table, then the error
    assertFalse(r.out().contains("loaded"), r.out());
    assertFalse(r.out().contains("Epoch"), r.out());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
