package org.dnnlessons.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** MNIST-format files in a directory, each gzip-compressed ({@code .gz}) or raw. */
public final class DirectorySource implements DataSource {

  private final Path dir;

  /**
   * Reads the MNIST files from a directory.
   *
   * @param dir a directory holding the four files
   * @throws DatasetException when {@code dir} is not a directory
   */
  public DirectorySource(Path dir) throws DatasetException {
    if (dir.toString().isEmpty()) { // Path.of("") is the working directory: refuse, do not guess
      throw new DatasetException(
          "", "the data path is empty; expected a directory of MNIST-format IDX files");
    }
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(
          dir.toString(),
          Files.exists(dir)
              ? "not a directory; expected a directory of MNIST-format IDX files"
              : "no such directory; expected a directory of MNIST-format IDX files");
    }
    this.dir = dir;
  }

  /**
   * The directory.
   *
   * @return the directory holding the four files, as given
   */
  public Path dir() {
    return dir;
  }

  @Override
  public String describe() {
    return dir.toString();
  }

  @Override
  public Opened open(String baseName) throws DatasetException {
    Path gz = dir.resolve(baseName + ".gz");
    Path raw = dir.resolve(baseName);
    Path file = Files.isRegularFile(gz) ? gz : raw;
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(
          dir.toString(), "missing " + baseName + ".gz (or " + baseName + " uncompressed)");
    }
    try {
      long size = Files.size(file);
      return new Opened(Files.newInputStream(file), file.toString(), size);
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot open: " + e.getMessage(), e);
    }
  }
}
