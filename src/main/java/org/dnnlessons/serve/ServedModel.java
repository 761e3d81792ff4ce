package org.dnnlessons.serve;

import java.nio.file.Path;
import java.util.List;

/**
 * A model the server answers with: MNIST-shaped images in, class probabilities out.
 *
 * <p>Images are float32 pixels in the model's scale, 0 (background) to 1 (ink), as Python's {@code
 * input_data.read_data_sets} gives them; each image is 784 values, row-major 28×28. {@link
 * #predict} may be called from many threads at once (TensorFlow's {@code Session.run} is
 * thread-safe); {@link #close} must not overlap with it, which {@link ModelManager} ensures.
 *
 * <p>Python counterpart: the {@code serving_default} signature of a SavedModel, {@code
 * model.signatures["serving_default"](x=images)["probabilities"]}.
 */
public interface ServedModel extends AutoCloseable {

  /** Image height in pixels. */
  int ROWS = 28;

  /** Image width in pixels. */
  int COLUMNS = 28;

  /** Pixels per image, {@code ROWS * COLUMNS}. */
  int PIXELS = ROWS * COLUMNS;

  /** Number of classes (the digits 0 to 9). */
  int CLASSES = 10;

  /**
   * The class probabilities ({@code softmax} of the logits) of each image.
   *
   * @param images {@code [n][784]} pixels from 0 to 1; {@code n >= 1}
   * @return {@code [n][10]} probabilities
   * @throws IllegalArgumentException when an image is not 784 values
   */
  float[][] predict(float[][] images);

  /**
   * The version TensorFlow Serving would report: the checkpoint's global step, or 1.
   *
   * @return the version, {@code >= 1}
   */
  long version();

  /**
   * Where the model was read from, for log lines.
   *
   * @return the path the model was read from, as given
   */
  String source();

  /**
   * What was assumed reading the model, one line each (logged when it starts serving).
   *
   * @return the notes, one line each; empty by default
   */
  default List<String> notes() {
    return List.of();
  }

  /** Frees the model's native memory. Called once, when no request uses it any more. */
  @Override
  void close();

  /** Reads a model from a path; the seam where other formats (SavedModel, Keras) plug in. */
  @FunctionalInterface
  interface Loader {
    /**
     * Loads the model at {@code path} and gives it {@code version}.
     *
     * @param path a checkpoint prefix, a SavedModel directory or a Keras file
     * @param version the version to report (the checkpoint's global step, or 1)
     * @return the loaded model; the caller owns and closes it
     * @throws Exception naming what is wrong with the files (the server logs it in one line)
     */
    ServedModel load(Path path, long version) throws Exception;
  }
}
