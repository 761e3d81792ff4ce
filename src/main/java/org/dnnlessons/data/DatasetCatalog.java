package org.dnnlessons.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named data sets of {@code --dataset NAME}: where each comes from.
 *
 * <ul>
 *   <li>{@code mnist}: the 10,000 real MNIST digits embedded in the jar (the default; offline);
 *   <li>{@code fashion-mnist}: full Fashion-MNIST (60,000 + 10,000) from Debian's package {@code
 *       dataset-fashion-mnist}, installed at {@value #FASHION_MNIST_DIR};
 *   <li>{@code mnist-full}: full MNIST (60,000 + 10,000), downloaded once into the cache directory
 *       ({@code $XDG_CACHE_HOME/dnn-lessons/mnist-full}, else {@code
 *       ~/.cache/dnn-lessons/mnist-full}) and verified by checksum.
 * </ul>
 */
public enum DatasetCatalog {
  /** {@code mnist}: the MNIST digits embedded in the jar (the default; offline). */
  MNIST("mnist"),
  /** {@code fashion-mnist}: full Fashion-MNIST from Debian's {@code dataset-fashion-mnist}. */
  FASHION_MNIST("fashion-mnist"),
  /** {@code mnist-full}: full MNIST, downloaded once into {@link #defaultCacheDir()}. */
  MNIST_FULL("mnist-full");

  /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
  public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

  private final String cliName;

  DatasetCatalog(String cliName) {
    this.cliName = cliName;
  }

  /**
   * The name on the command line.
   *
   * @return {@code mnist}, {@code fashion-mnist} or {@code mnist-full}
   */
  public String cliName() {
    return cliName;
  }

  /**
   * The data set called {@code name}.
   *
   * @param name the name on the command line ({@code --dataset}), e.g. {@code fashion-mnist}
   * @return the data set of that name
   * @throws IllegalArgumentException naming the known data sets
   */
  public static DatasetCatalog byName(String name) {
    for (DatasetCatalog d : values()) {
      if (d.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown data set '"
            + name
            + "', expected one of "
            + Arrays.stream(values())
                .map(DatasetCatalog::cliName)
                .collect(Collectors.joining(", ")));
  }

  /**
   * Where this data set's files are, fetching them first for {@code mnist-full}.
   *
   * @return the source of the four idx files
   * @throws DatasetException when the files are not installed or cannot be fetched
   */
  public DataSource locate() throws DatasetException {
    return switch (this) {
      case MNIST -> new EmbeddedMnist();
      case FASHION_MNIST -> {
        Path dir = Path.of(FASHION_MNIST_DIR);
        if (!dir.toFile().isDirectory()) {
          throw new DatasetException(
              FASHION_MNIST_DIR,
              "not installed; on Debian or Ubuntu run"
                  + " 'apt-get install dataset-fashion-mnist', elsewhere pass --data DIR with the"
                  + " four Fashion-MNIST files");
        }
        yield new DirectorySource(dir);
      }
      case MNIST_FULL ->
          new DirectorySource(MnistDownloader.standard(defaultCacheDir()).fetchAll());
    };
  }

  /**
   * The cache directory for downloaded full MNIST.
   *
   * @return {@code $XDG_CACHE_HOME/dnn-lessons/mnist-full}, else {@code
   *     ~/.cache/dnn-lessons/mnist-full}
   */
  public static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("dnn-lessons").resolve("mnist-full");
  }
}
