package org.dnnlessons.checkpoint;

import java.nio.file.Path;
import java.util.Locale;
import org.dnnlessons.files.Messages;

/**
 * A checkpoint could not be read, written or restored: a missing file, a corrupt table, a variable
 * whose shape or dtype differs from the saved tensor. The message is one line meant for a user; it
 * names the file and what was expected versus found.
 */
public class CheckpointException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Offset value when the problem is not at a particular byte. */
  public static final long NO_OFFSET = -1;

  /** The file or checkpoint prefix concerned; not serialized (a {@code Path} is not). */
  private final transient Path file;

  /** The byte offset of the problem, or {@link #NO_OFFSET}. */
  private final long offset;

  /** What was expected and what was found, without the file name. */
  private final String reason;

  /**
   * Reports a problem found in a checkpoint file.
   *
   * @param file the file (or checkpoint prefix) concerned
   * @param offset the byte offset of the problem in {@code file}, or {@link #NO_OFFSET}
   * @param reason what was expected and what was found
   */
  public CheckpointException(Path file, long offset, String reason) {
    this(file, offset, reason, null);
  }

  /**
   * As {@link #CheckpointException(Path, long, String)}, keeping the underlying cause.
   *
   * @param file the file (or checkpoint prefix) concerned
   * @param offset the byte offset of the problem in {@code file}, or {@link #NO_OFFSET}
   * @param reason what was expected and what was found
   * @param cause the underlying exception (an {@code IOException}, a protobuf parse error), kept
   *     for the stack trace
   */
  public CheckpointException(Path file, long offset, String reason, Throwable cause) {
    super(message(file, offset, reason), cause);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }

  /**
   * The file or checkpoint prefix concerned.
   *
   * @return the path given to the constructor
   */
  public Path file() {
    return file;
  }

  /**
   * The byte offset of the problem, or {@link #NO_OFFSET}.
   *
   * @return the offset in bytes from the file's start, {@code >= 0}, or {@link #NO_OFFSET}
   */
  public long offset() {
    return offset;
  }

  /**
   * The reason alone, without the file name.
   *
   * @return what was expected and what was found; the message adds the file and offset
   */
  public String reason() {
    return reason;
  }

  private static String message(Path file, long offset, String reason) {
    if (file != null && file.toString().isEmpty()) {
      return bounded(oneLine(reason)); // an empty path: the reason says so, no ": ..." before
    }
    String where = offset == NO_OFFSET ? String.valueOf(file) : file + " at offset " + offset;
    return bounded(oneLine(Messages.path(where) + ": " + reason));
  }

  /**
   * At most a few hundred characters: a long value (a 20,000-weight list) elided with its length.
   */
  private static String bounded(String line) {
    return Messages.oneLine(line);
  }

  /**
   * The message stays one line whatever a file holds: control characters (a newline in a tensor
   * name read from a damaged file) are written as {@code \xNN}.
   */
  private static String oneLine(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029';
      if (control && out == null) {
        out = new StringBuilder(s.substring(0, i));
      }
      if (out != null) {
        out.append(
            !control
                ? String.valueOf(c)
                : c > 0xff
                    ? String.format(Locale.ROOT, "\\u%04x", (int) c)
                    : String.format(Locale.ROOT, "\\x%02x", (int) c));
      }
    }
    return out == null ? s : out.toString();
  }
}
