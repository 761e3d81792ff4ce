package org.dnnlessons.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint PREFIX|DIR}: which checkpoint {@code evaluate} and {@code predict} load. */
final class CheckpointOption {

  @Option(
      names = "--checkpoint",
      paramLabel = "PREFIX|DIR",
      required = true,
      description = "A checkpoint prefix, or a directory (its latest checkpoint).")
  Path checkpoint;
}
