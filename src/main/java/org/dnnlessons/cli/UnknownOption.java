package org.dnnlessons.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The message for a mistyped option, for every command: {@code Unknown option '--checkpiont'; did
 * you mean --checkpoint?}. The closest of the command's option names by the optimal string
 * alignment distance (Damerau-Levenshtein's, where two letters swapped cost one edit, as {@code
 * git}'s "did you mean" counts), when it is at most two edits and at most a third of the name.
 * (picocli's own suggestions are the options that share the typed name's first two letters, and
 * picocli reports a missing required option before an unknown one.)
 */
final class UnknownOption {

  /** The most edits a suggestion may be from what was typed. */
  static final int MAX_EDITS = 2;

  private UnknownOption() {}

  /**
   * The message when the unmatched arguments hold an option, or empty.
   *
   * @param spec the command whose options were typed
   * @param unmatched picocli's unmatched arguments, in order
   */
  static Optional<String> message(CommandSpec spec, List<String> unmatched) {
    for (String arg : unmatched) {
      if (looksLikeAnOption(arg)) {
        String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> closest = closest(typed, spec.optionsMap().keySet());
        String message = "Unknown option '" + typed + "'";
        return Optional.of(
            closest.isEmpty()
                ? message
                : message + "; did you mean " + String.join(" or ", closest) + "?");
      }
    }
    return Optional.empty();
  }

  private static boolean looksLikeAnOption(String arg) {
    return arg.length() > 1 && arg.startsWith("-") && !arg.matches("-[0-9.].*");
  }

  /**
   * The names closest to {@code typed} within {@link #MAX_EDITS} edits and a third of the name's
   * letters (so no one-letter option is ever suggested), in the order given; empty when none is.
   */
  static List<String> closest(String typed, Iterable<String> names) {
    List<String> best = new ArrayList<>();
    int bestDistance = Integer.MAX_VALUE;
    for (String name : names) {
      int letters = name.replaceFirst("^-+", "").length();
      int d = distance(typed, name);
      if (d == 0 || d > MAX_EDITS || 3 * d > letters) {
        continue;
      }
      if (d < bestDistance) {
        best.clear();
        bestDistance = d;
      }
      if (d == bestDistance) {
        best.add(name);
      }
    }
    return best;
  }

  /**
   * The optimal string alignment distance: insertions, deletions, substitutions and swaps of two
   * adjacent characters, each one edit.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
