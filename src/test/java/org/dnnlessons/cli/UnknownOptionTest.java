package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** A mistyped option is named, with the option meant, by every command. */
@CpuNumerics
class UnknownOptionTest {

  @Test
  void theBriefsExamples() {
    assertEquals(
        "error: Unknown option '--chekpoint'; did you mean --checkpoint? (see 'dnn-lessons"
            + " evaluate --help')",
        CliRun.of("evaluate", "--chekpoint", "run").err().strip());
    // train has no --checkpoint (it saves with --save, starts from --init-from): no guess
    assertEquals(
        "error: Unknown option '--checkpiont' (see 'dnn-lessons train --help')",
        CliRun.of("train", "--checkpiont", "x").err().strip());
    assertEquals(
        "error: Unknown option '--hiden'; did you mean --hidden? (see 'dnn-lessons evaluate"
            + " --help')",
        CliRun.of("evaluate", "--checkpoint=run", "--hiden=3").err().strip());
  }

  /** Every command, subcommands included, with its path from the top ("lesson mlp"). */
  private static void commands(CommandLine cli, List<String> path, List<List<String>> all) {
    all.add(path);
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help") && sub.getCommandSpec().name().equals(name)) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                commands(sub, p, all);
              }
            });
  }

  @Test
  void everyOptionOfEveryCommandIsSuggestedForItsSwappedLetters() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
    CommandLine top = Main.commandLine(quiet, quiet);
    List<List<String>> paths = new ArrayList<>();
    commands(top, List.of(), paths);
    int checked = 0;
    for (List<String> path : paths) {
      CommandLine cli = top;
      for (String name : path) {
        cli = cli.getSubcommands().get(name);
      }
      CommandSpec spec = cli.getCommandSpec();
      for (OptionSpec option : spec.options()) {
        for (String name : option.names()) {
          String letters = name.replaceFirst("^-+", "");
          String dashes = name.substring(0, name.length() - letters.length());
          if (letters.length() < 3) {
            continue; // -h, -V: a one-letter swap is another letter
          }
          for (int i = 0; i + 1 < letters.length(); i++) {
            char[] c = letters.toCharArray();
            char t = c[i];
            c[i] = c[i + 1];
            c[i + 1] = t;
            String typo = dashes + new String(c);
            if (typo.equals(name) || spec.optionsMap().containsKey(typo)) {
              continue;
            }
            List<String> args = new ArrayList<>(path);
            args.add(typo);
            sink.reset();
            int status = top.execute(args.toArray(String[]::new));
            String line = sink.toString(StandardCharsets.UTF_8).strip();
            String prefix = "error: Unknown option '" + typo + "'; did you mean ";
            assertEquals(Main.EXIT_USAGE, status, String.join(" ", args) + ": " + line);
            assertTrue(line.startsWith(prefix), String.join(" ", args) + ": " + line);
            List<String> suggested =
                List.of(line.substring(prefix.length(), line.indexOf("? (see")).split(" or "));
            assertTrue(suggested.contains(name), String.join(" ", args) + ": " + line);
            checked++;
          }
        }
      }
    }
    // every command is reached (one command line parses them all, as with help), many names
    assertTrue(paths.size() > 15, paths.toString());
    assertTrue(checked > 500, "typos checked: " + checked);
  }

  @Test
  void closestCountsASwapAsOneEditAndNeverGuessesFar() {
    assertEquals(1, UnknownOption.distance("--checkpiont", "--checkpoint"));
    assertEquals(1, UnknownOption.distance("--epoch", "--epochs"));
    // optimal string alignment, not unrestricted Damerau-Levenshtein (which counts 2 here)
    assertEquals(3, UnknownOption.distance("--ca", "--abc"));
    assertEquals(
        List.of("--checkpoint"),
        UnknownOption.closest("--chekcpoint", List.of("--hidden", "--checkpoint", "-h")));
    assertEquals(List.of(), UnknownOption.closest("-x", List.of("-h", "-V")));
    assertEquals(List.of(), UnknownOption.closest("--checkpiont", List.of("--save", "--seed")));
    assertEquals(
        List.of("--save", "--sale"),
        UnknownOption.closest("--sake", List.of("--save", "--seed", "--sale")));
  }
}
