package org.dnnlessons.data;

import java.io.InputStream;

/**
 * The 10,000 real MNIST digits shipped with the project in {@code data/mnist/} (8,000 train, 2,000
 * test) and packaged into the jar, so every lesson runs offline. See {@code data/mnist/README.md}
 * for their provenance and licences.
 */
public final class EmbeddedMnist implements DataSource {

  /** Where the files sit on the class path. */
  static final String RESOURCE_DIR = "/org/dnnlessons/data/mnist/";

  /** The default validation size for this set: 1,000 of its 8,000 training digits. */
  public static final int VALIDATION_SIZE = 1000;

  /** Creates the source; the files are read from the class path when opened. */
  public EmbeddedMnist() {}

  @Override
  public String describe() {
    return "embedded MNIST digits (data/mnist)";
  }

  @Override
  public Opened open(String baseName) throws DatasetException {
    String resource = RESOURCE_DIR + baseName + ".gz";
    InputStream in = EmbeddedMnist.class.getResourceAsStream(resource);
    if (in == null) {
      throw new DatasetException(
          "classpath:" + resource,
          "missing from the jar; rebuild with 'mvn package' from the repository root");
    }
    return new Opened(in, "data/mnist/" + baseName + ".gz");
  }
}
