package org.dnnlessons.data;

import java.io.InputStream;

/**
 * Where the four MNIST-format files come from: a directory, the digits embedded in the jar, a
 * download cache. File names are the standard ones, e.g. {@code train-images-idx3-ubyte.gz}.
 */
public interface DataSource {

  /** The standard file names, in the order train images, train labels, test images, test labels. */
  String TRAIN_IMAGES = "train-images-idx3-ubyte";

  /** Training labels. */
  String TRAIN_LABELS = "train-labels-idx1-ubyte";

  /** Test images. */
  String TEST_IMAGES = "t10k-images-idx3-ubyte";

  /** Test labels. */
  String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /**
   * A short description for messages and {@code data info}, e.g. the directory.
   *
   * @return one line, e.g. the directory's path
   */
  String describe();

  /**
   * Opens one of the four files, given its base name without {@code .gz}; implementations accept
   * the gzip-compressed file or the raw one.
   *
   * @param baseName one of {@link #TRAIN_IMAGES}, {@link #TRAIN_LABELS}, {@link #TEST_IMAGES},
   *     {@link #TEST_LABELS}
   * @return the stream (the caller closes it) and the name to use in messages
   * @throws DatasetException naming the file when neither form of it exists or it cannot be opened
   */
  Opened open(String baseName) throws DatasetException;

  /**
   * An open file and how to name it in messages.
   *
   * @param stream the file's bytes, as stored (gzip-compressed or raw)
   * @param name how to name the file in messages
   * @param size the file's length in bytes, or -1 when unknown (a class path resource)
   */
  record Opened(InputStream stream, String name, long size) {

    /**
     * An open file of unknown length.
     *
     * @param stream the file's bytes, as stored (gzip-compressed or raw)
     * @param name how to name the file in messages
     */
    public Opened(InputStream stream, String name) {
      this(stream, name, -1);
    }
  }
}
