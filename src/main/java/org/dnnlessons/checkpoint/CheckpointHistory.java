package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.dnnlessons.files.Messages;

/**
 * The checkpoints a {@link Saver} wrote, oldest first, and the policy that keeps the newest {@code
 * maxToKeep} of them: Python's {@code Saver._last_checkpoints} with {@code
 * checkpoint_management.update_checkpoint_state} (as {@code CheckpointManager} does it). Each save
 * is recorded in the directory's {@link CheckpointState} file before any old checkpoint is deleted,
 * as in Python. Python keeps this list in memory, and so does this class: a resumed run hands it
 * the state file's list through {@link #recover}.
 */
final class CheckpointHistory {

  private final int maxToKeep;
  private final List<String> recent = new ArrayList<>();

  /**
   * An empty history.
   *
   * @param maxToKeep checkpoints kept, or {@link Saver#KEEP_ALL}
   */
  CheckpointHistory(int maxToKeep) {
    this.maxToKeep = maxToKeep;
  }

  /**
   * {@code prefix} as a path, once it is known that it can be saved to and recorded in the state
   * file so that it reads back: no line break or other control character (TensorFlow would write
   * it, and every tool reading the state file line by line, Python's included, would misread it).
   *
   * @throws CheckpointException one line naming the prefix (its control characters escaped)
   */
  static Path checkPrefix(String prefix) throws CheckpointException {
    Objects.requireNonNull(prefix, "prefix");
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new CheckpointException(
            Path.of(Messages.value(prefix)),
            CheckpointException.NO_OFFSET,
            "a checkpoint prefix cannot hold a line break or other control character"
                + String.format(Locale.ROOT, " (U+%04X at %d)", (int) c, i)
                + "; the checkpoint state file names checkpoints one per line");
      }
    }
    if (prefix.isBlank()) {
      throw new CheckpointException(
          Path.of(prefix), CheckpointException.NO_OFFSET, "the checkpoint prefix is empty");
    }
    try {
      return Path.of(prefix);
    } catch (InvalidPathException e) {
      throw new CheckpointException(
          Path.of("."),
          CheckpointException.NO_OFFSET,
          "'" + Messages.value(prefix) + "' is not a path: " + e.getReason());
    }
  }

  /**
   * {@code maxToKeep} when it is valid: 0 keeps every checkpoint.
   *
   * @throws IllegalArgumentException for a negative value
   */
  static int checkMaxToKeep(int maxToKeep) {
    if (maxToKeep < 0) {
      throw new IllegalArgumentException(
          "maxToKeep must be 0 (keep every checkpoint) or more, found " + maxToKeep);
    }
    return maxToKeep;
  }

  /**
   * Takes over checkpoints an earlier saver wrote, oldest first; prefixes whose {@code .index} is
   * gone are skipped (Python's {@code Saver.recover_last_checkpoints}).
   */
  void recover(List<Path> prefixes) {
    for (Path p : prefixes) {
      if (Files.isRegularFile(Path.of(p + ".index"))) {
        String name = p.getFileName().toString();
        recent.remove(name);
        recent.add(name);
      }
    }
  }

  /**
   * Forgets {@code name}, a checkpoint being overwritten: it is added again, newest, once saved.
   */
  void forget(String name) {
    recent.remove(name);
  }

  /**
   * Records {@code path}, just saved in {@code dir}, as the newest checkpoint: in this history and
   * in the state file; then deletes the oldest beyond {@code maxToKeep} with all their files.
   *
   * @throws CheckpointException when the state file cannot be written; nothing is deleted then
   */
  void record(Path dir, Path path) throws CheckpointException {
    String relative = dir.relativize(path.toAbsolutePath()).toString();
    recent.remove(relative);
    recent.add(relative);
    List<String> expired = new ArrayList<>();
    while (maxToKeep > 0 && recent.size() > maxToKeep) {
      expired.add(recent.remove(0));
    }
    new CheckpointState(relative, recent).write(dir);
    for (String old : expired) {
      delete(dir.resolve(old));
    }
    if (!expired.isEmpty()) {
      try {
        DurableFiles.forceDirectory(dir);
      } catch (IOException e) {
        // the deletions are not needed for the new checkpoint to be safe
      }
    }
  }

  /** Deletes a checkpoint's files, the index first (so that it is absent, never partial). */
  private static void delete(Path prefix) {
    try {
      DurableFiles.delete(Path.of(prefix + ".index"));
      for (Path data : AtomicBundleWrite.dataFiles(prefix)) {
        DurableFiles.delete(data);
      }
      DurableFiles.delete(Path.of(prefix + ".meta"));
    } catch (IOException e) {
      // a leftover old checkpoint file is harmless; the state file no longer names it
    }
  }
}
