package org.dnnlessons.serve;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.train.RestoredMlp;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The network a lesson checkpoint (directory or prefix) or a Keras file describes, built as the
 * file describes it ({@link org.dnnlessons.nn.ModelDescription}) and served. Its input is the
 * graph's {@code x} ({@code [-1, 28, 28, 1]}, pixels 0 to 1; a model fed raw pixels, as Keras fed
 * one starting with {@code Rescaling}, scales them in its graph), its output {@code probabilities}
 * (softmax of {@code logits}), with {@code keep_prob} at its default 1.0 (no dropout).
 */
public final class MlpServedModel implements ServedModel {

  private final RestoredMlp restored;
  private final long version;
  private final String source;
  private final List<String> notes;

  private MlpServedModel(RestoredMlp restored, long version, String source, List<String> notes) {
    this.restored = restored;
    this.version = version;
    this.source = source;
    this.notes = List.copyOf(notes);
  }

  /**
   * Restores the MLP at {@code path} (widths read from its weights' shapes).
   *
   * @param path a checkpoint prefix or directory, or a Keras form ({@code .keras}, {@code
   *     .weights.h5}, a TF2 checkpoint or SavedModel written by Keras)
   * @param version the version to report
   * @return the served model; closing it frees the native session
   * @throws Exception naming what is wrong with the files
   */
  public static MlpServedModel load(Path path, long version) throws Exception {
    RestoredMlp.Read read = RestoredMlp.read(path);
    return new MlpServedModel(read.network(), version, path.toString(), read.notes());
  }

  /**
   * Serves an MLP already restored; closing this model closes it.
   *
   * @param source where it was read from, for log lines
   * @param restored the restored MLP; this model owns it from now on
   * @param version the version to report (a checkpoint's global step, or 1)
   * @return the served model
   */
  public static MlpServedModel of(RestoredMlp restored, long version, String source) {
    return new MlpServedModel(restored, version, source, List.of());
  }

  @Override
  public float[][] predict(float[][] images) {
    int n = images.length;
    if (n < 1) {
      throw new IllegalArgumentException("expected at least 1 image, found 0");
    }
    float[] flat = new float[Math.multiplyExact(n, PIXELS)];
    for (int i = 0; i < n; i++) {
      if (images[i].length != PIXELS) {
        throw new IllegalArgumentException(
            "image " + i + " has " + images[i].length + " pixels, expected " + PIXELS);
      }
      System.arraycopy(images[i], 0, flat, i * PIXELS, PIXELS);
    }
    try (TFloat32 x =
            TFloat32.tensorOf(Shape.of(n, ROWS, COLUMNS, 1), DataBuffers.of(flat, true, false));
        Result r =
            restored
                .session()
                .runner()
                .feed(restored.net().x(), x)
                .fetch(restored.net().probabilities())
                .run()) {
      return Tensors.toMatrix((TFloat32) r.get(0));
    }
  }

  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    restored.close();
  }
}
