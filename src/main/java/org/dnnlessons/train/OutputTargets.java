package org.dnnlessons.train;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import org.dnnlessons.files.Messages;

/**
 * Checks, before a run starts, that every place it will write can be written: a run that trains for
 * an hour must not fail at the end because {@code --save} names a directory under a file.
 *
 * <p>For each target the checks are: the path is not empty; every existing ancestor is a directory
 * (the nearest one writable); and the target itself is of the kind the option writes. Each failure
 * is an {@link IllegalArgumentException} whose message names the option, the path and what is in
 * the way, e.g. {@code --save out/model.ckpt: out is a file, not a directory}.
 */
public final class OutputTargets {

  private OutputTargets() {}

  /**
   * Checks a checkpoint prefix ({@code --save}): a path whose last part names the files ({@code
   * run/model.ckpt} writes {@code run/model.ckpt-STEP.index}), not an existing directory.
   *
   * @param option the option's name for the message, e.g. {@code --save}
   * @param prefix the checkpoint prefix given
   * @throws IllegalArgumentException naming {@code option} when the prefix cannot be written
   */
  public static void checkPrefix(String option, Path prefix) {
    checkNotEmpty(option, prefix, "a checkpoint prefix such as run/model.ckpt");
    String text = prefix.toString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new IllegalArgumentException(
            option
                + " "
                + Messages.value(text)
                + ": a checkpoint prefix cannot hold a line break or other control character"
                + String.format(Locale.ROOT, " (U+%04X at %d)", (int) c, i)
                + "; the checkpoint state file names checkpoints one per line");
      }
    }
    Path name = prefix.getFileName();
    if (name == null || name.toString().equals(".") || name.toString().equals("..")) {
      throw new IllegalArgumentException(
          option
              + " "
              + prefix
              + ": names a directory; expected a checkpoint prefix inside it, such as "
              + prefix.resolve("model.ckpt"));
    }
    if (Files.isDirectory(prefix)) {
      throw new IllegalArgumentException(
          option
              + " "
              + prefix
              + ": is a directory; expected a checkpoint prefix, such as "
              + prefix.resolve("model.ckpt"));
    }
    checkParent(option, prefix);
  }

  /**
   * Checks a directory that the run creates and that must not exist yet ({@code --export}).
   *
   * @param option the option's name for the message, e.g. {@code --export}
   * @param dir the directory given
   * @throws IllegalArgumentException naming {@code option} when the path exists or cannot be made
   */
  public static void checkNewDirectory(String option, Path dir) {
    checkNotEmpty(option, dir, "a directory to create");
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          option
              + " "
              + dir
              + ": already exists ("
              + kind(dir)
              + "); expected a new directory to export to");
    }
    checkParent(option, dir);
  }

  /**
   * Checks a directory that the run creates or adds files to ({@code --logdir}).
   *
   * @param option the option's name for the message, e.g. {@code --logdir}
   * @param dir the directory given; created when missing
   * @throws IllegalArgumentException naming {@code option} when it is not a writable directory
   */
  public static void checkDirectory(String option, Path dir) {
    checkNotEmpty(option, dir, "a directory");
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            option + " " + dir + ": is " + kind(dir) + ", not a directory");
      }
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException(
            option + " " + dir + ": the directory is not writable (permission denied)");
      }
      return;
    }
    checkParent(option, dir);
  }

  /**
   * Refuses a Keras file whose name Keras itself refuses: {@code keras.models.load_model} opens a
   * {@code .keras} archive only under that suffix, and {@code model.load_weights} a weights file
   * only as {@code .weights.h5}; a file written under another name could not be opened in Python.
   *
   * @param option the option's name for the message, e.g. {@code --export-keras}
   * @param file the file given
   * @param suffix the suffix Keras needs: {@code .keras} or {@code .weights.h5}
   * @throws IllegalArgumentException naming {@code option} when {@code file}'s name does not end in
   *     {@code suffix}
   */
  public static void checkKerasSuffix(String option, Path file, String suffix) {
    Path name = file.getFileName();
    if (name == null || !name.toString().endsWith(suffix) || name.toString().equals(suffix)) {
      throw new IllegalArgumentException(
          option
              + " "
              + file
              + ": Keras opens this format only from a file named *"
              + suffix
              + " (keras.models.load_model and load_weights refuse others); expected e.g. model"
              + suffix);
    }
  }

  /**
   * Refuses a file name that does not end with {@code suffix}, before anything is computed: the
   * file would hold another format than its name says.
   *
   * @param option the option's name for the message, e.g. {@code --plot}
   * @param file the file given
   * @param suffix the name's required ending, e.g. {@code .png}
   * @param why what the file holds, for the message
   * @throws IllegalArgumentException naming {@code option} when the name ends otherwise
   */
  public static void checkSuffix(String option, Path file, String suffix, String why) {
    Path name = file.getFileName();
    if (name == null
        || !name.toString().toLowerCase(Locale.ROOT).endsWith(suffix)
        || name.toString().length() == suffix.length()) {
      throw new IllegalArgumentException(
          option + " " + file + ": " + why + "; expected a name ending in " + suffix);
    }
  }

  /**
   * Checks a file that the run writes or replaces ({@code --plot}).
   *
   * @param option the option's name for the message, e.g. {@code --plot}
   * @param file the file given
   * @throws IllegalArgumentException naming {@code option} when it is a directory or cannot be made
   */
  public static void checkFile(String option, Path file) {
    checkNotEmpty(option, file, "a file name");
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          option + " " + file + ": is a directory; expected a file name");
    }
    checkParent(option, file);
  }

  private static void checkNotEmpty(String option, Path target, String expected) {
    if (target.toString().isBlank()) {
      throw new IllegalArgumentException(option + ": the path is empty; expected " + expected);
    }
  }

  /** Every existing ancestor must be a directory and the nearest one writable. */
  private static void checkParent(String option, Path target) {
    Path parent = target.toAbsolutePath().normalize().getParent();
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return; // nothing exists up to the root: creating it will say why it fails
    }
    if (!Files.isDirectory(existing)) {
      throw new IllegalArgumentException(
          option
              + " "
              + target
              + ": "
              + existing
              + " is "
              + kind(existing)
              + ", not a directory, so nothing can be created under it");
    }
    if (!Files.isWritable(existing)) {
      throw new IllegalArgumentException(
          option
              + " "
              + target
              + ": cannot create "
              + (existing.equals(parent) ? "files" : parent)
              + " in "
              + existing
              + " (permission denied)");
    }
  }

  private static String kind(Path p) {
    if (Files.isSymbolicLink(p) && !Files.exists(p)) {
      return "a dangling symbolic link";
    }
    if (Files.isDirectory(p)) {
      return "a directory";
    }
    if (Files.isRegularFile(p)) {
      return "a file";
    }
    return "not a regular file";
  }
}
