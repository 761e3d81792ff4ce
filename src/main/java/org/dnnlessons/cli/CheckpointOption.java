package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointState;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint PREFIX|DIR}: which checkpoint {@code evaluate}, {@code predict} and {@code
 * export} load.
 */
final class CheckpointOption {

  @Option(
      names = "--checkpoint",
      paramLabel = "PREFIX|DIR",
      required = true,
      description = "A checkpoint prefix, or a directory (its latest checkpoint).")
  Path checkpoint;

  private Path prefix;

  /**
   * The checkpoint's prefix, a directory resolved to its latest checkpoint once, so that a warning
   * about its state file (a moved directory whose state file names the old place) is printed once,
   * not once per reader of the checkpoint.
   *
   * @param err where that warning goes
   * @return the prefix to read
   * @throws CheckpointException when the directory names no checkpoint that is there
   */
  Path prefix(PrintStream err) throws CheckpointException {
    if (prefix == null) {
      // a checkpoint directory (its state file names the latest); a Keras file or a SavedModel
      // directory is read as it is
      prefix =
          Files.isRegularFile(checkpoint.resolve(CheckpointState.FILE_NAME))
              ? CheckpointState.resolve(checkpoint, w -> err.println("warning: " + w))
              : checkpoint;
    }
    return prefix;
  }
}
