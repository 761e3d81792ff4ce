package org.dnnlessons.cli;

import java.nio.file.Path;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DatasetCatalog;
import org.dnnlessons.data.DatasetException;
import org.dnnlessons.data.DirectorySource;
import picocli.CommandLine.Option;

/** {@code --data DIR | --dataset NAME}: where a command reads MNIST-format data from. */
final class DataOptions {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "A directory holding the four MNIST-format IDX files (gzip or raw).")
  Path dir;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description =
          "mnist (embedded digits, the default), fashion-mnist (Debian's"
              + " dataset-fashion-mnist) or mnist-full (downloaded once, verified).")
  String dataset;

  /** The source these options name; {@code positional} is a directory given without --data. */
  DataSource source(Path positional) throws DatasetException {
    int given = (dir != null ? 1 : 0) + (dataset != null ? 1 : 0) + (positional != null ? 1 : 0);
    if (given > 1) {
      throw new IllegalArgumentException("give one of DIR, --data DIR or --dataset NAME");
    }
    if (dir != null || positional != null) {
      return new DirectorySource(dir != null ? dir : positional);
    }
    return DatasetCatalog.byName(dataset != null ? dataset : "mnist").locate();
  }
}
