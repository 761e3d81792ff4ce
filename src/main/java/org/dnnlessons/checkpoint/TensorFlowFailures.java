package org.dnnlessons.checkpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TensorFlow's failure messages, as one line a user can act on. {@link CheckedRestore} checks keys,
 * dtypes and shapes before TensorFlow runs, so these explain what slips past the checks (a file
 * changed in between, a kernel's own refusal) in the checks' words.
 */
final class TensorFlowFailures {

  private static final Pattern MISSING_KEY = Pattern.compile("Key (\\S+) not found in checkpoint");

  private static final Pattern DTYPE =
      Pattern.compile(
          "tensor_name = (\\S+); expected dtype (\\S+) does not equal original dtype (\\S+)");

  private TensorFlowFailures() {}

  /** A failed {@code RestoreV2} (or fed assign) run, in the words of the restore's pre-checks. */
  static String explainRestore(String tfMessage) {
    String first = firstLine(tfMessage);
    Matcher missing = MISSING_KEY.matcher(first);
    if (missing.find()) {
      return "no tensor named '"
          + missing.group(1)
          + "' in the checkpoint (variables are matched"
          + " by name; name the variable as it was named when saved)";
    }
    Matcher dtype = DTYPE.matcher(first);
    if (dtype.find()) {
      return "dtype mismatch for variable '"
          + dtype.group(1)
          + "': the checkpoint holds "
          + dtype.group(3)
          + ", the graph's variable is "
          + dtype.group(2);
    }
    return "cannot read the checkpoint: " + first;
  }

  /** The first line of a TensorFlow message, stripped; "(no message)" for none. */
  static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
