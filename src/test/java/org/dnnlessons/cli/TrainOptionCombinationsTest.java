package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train} options that cannot be combined are refused before anything is read, each in one
 * line; with two mistakes the line names the same one whichever group of options holds it (the
 * order of the checks is the one the options had before they were grouped).
 */
class TrainOptionCombinationsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--resume --init-from x|--resume needs --save PREFIX: it continues from the latest"
            + " checkpoint there",
        "--resume --init-from x --save run/m|--resume continues a run from its own checkpoints;"
            + " it cannot be combined with --init-from",
        "--steps-per-run 0 --save-every -1|--steps-per-run must be between 1 and 64 (without"
            + " --jit-compile each step is unrolled into the graph, which then takes minutes to"
            + " build), found 0",
        "--steps-per-run 4 --keep-prob 0.5 --save-every -1|--steps-per-run above 1 cannot be"
            + " combined with dropout (--keep-prob 0.5)",
        "--jit-compile --keep-prob 0.5 --save-every 1|--jit-compile cannot be combined with"
            + " dropout (--keep-prob 0.5)",
        "--save-every -1 --resume --init-from x|--save-every must be 0 or more, found -1",
        "--save-every 1 --init-map a=b|--save-every needs --save",
        "--init-map a=b --resume|--init-map needs --init-from",
      })
  void theFirstMistakeIsNamedInOneLine(String options, String message) {
    String[] args = ("train --epochs 1 " + options).split(" ");
    CliRun run = CliRun.of(args);
    assertEquals(2, run.status(), run.err());
    assertEquals("error: " + message + " (see 'dnn-lessons train --help')\n", run.err(), run.err());
  }
}
