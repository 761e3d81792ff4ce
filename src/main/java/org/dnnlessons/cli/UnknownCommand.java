package org.dnnlessons.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The message for a mistyped command, even when options follow it: {@code Unknown command 'trian';
 * did you mean train?} for {@code trian --epochs 1} (picocli leaves all of it unmatched, and the
 * first option among it would otherwise be reported as an unknown option of the top command). The
 * closest command is chosen as {@link UnknownOption} chooses options; a command typed with other
 * capitals ({@code Train}) is suggested in the spelling that runs.
 */
final class UnknownCommand {

  private UnknownCommand() {}

  /**
   * The message when the first unmatched argument stands where a subcommand of {@code spec} goes,
   * or empty.
   *
   * @param spec the command whose subcommand was typed
   * @param unmatched picocli's unmatched arguments, in order
   */
  static Optional<String> message(CommandSpec spec, List<String> unmatched) {
    if (spec.subcommands().isEmpty() || unmatched.isEmpty()) {
      return Optional.empty();
    }
    String typed = unmatched.get(0);
    if (typed.startsWith("-") || spec.subcommands().containsKey(typed)) {
      return Optional.empty();
    }
    List<String> names =
        spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
    List<String> closest = UnknownOption.closest(typed, names);
    if (closest.isEmpty()) {
      closest = names.stream().filter(n -> n.equalsIgnoreCase(typed)).toList();
    }
    String message = "Unknown command '" + typed + "'";
    return Optional.of(
        closest.isEmpty()
            ? message
            : message + "; did you mean " + String.join(" or ", closest) + "?");
  }
}
