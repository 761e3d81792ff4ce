package org.dnnlessons.serve;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.savedmodel.SavedModelRunner;

/**
 * A SavedModel served through its own {@code serving_default} signature ({@link SavedModelRunner}:
 * TensorFlow Java's {@code SavedModelBundle}), as TensorFlow Serving runs it. Pixels from 0 to 1
 * are fed at the model's own scale (raw 0-255 when its graph starts with {@code Rescaling}, as
 * Keras fed it; else 0 to 1) and its output made probabilities (softmax of logits, exp of
 * log-probabilities, or as they are). A model whose output is not known to be one of these is
 * refused: serving its scores as probabilities would be a silently different number.
 */
public final class SavedModelServedModel implements ServedModel {

  private final SavedModelRunner runner;
  private final long version;
  private final String source;
  private final double inputScale;

  private final boolean stated;

  private SavedModelServedModel(
      SavedModelRunner runner, long version, String source, Double inputScale) {
    this.runner = runner;
    this.version = version;
    this.source = source;
    this.stated = inputScale != null;
    this.inputScale = inputScale != null ? inputScale : runner.defaultInputScale();
  }

  /**
   * Loads the SavedModel in {@code dir}.
   *
   * @param dir the SavedModel directory
   * @param version the version to report (1 for a SavedModel)
   * @return the served model, fed at the scale the model's first layer implies (see {@link
   *     SavedModelRunner#defaultInputScale})
   * @throws CheckpointException naming what is wrong with it (see {@link SavedModelRunner#open})
   */
  public static SavedModelServedModel load(Path dir, long version) throws CheckpointException {
    return load(dir, version, null);
  }

  /**
   * As {@link #load(Path, long)}, feeding a white pixel as {@code inputScale} ({@code predict
   * --input-scale}); {@code null} for the model's own scale.
   *
   * @param dir the SavedModel directory
   * @param version the version to report (1 for a SavedModel)
   * @param inputScale what a white pixel becomes: 1 (pixels/255) or 255 (raw pixels); {@code null}
   *     for the model's own scale
   * @return the served model
   * @throws CheckpointException naming what is wrong with it (see {@link SavedModelRunner#open})
   */
  public static SavedModelServedModel load(Path dir, long version, Double inputScale)
      throws CheckpointException {
    SavedModelRunner runner = SavedModelRunner.open(dir, PIXELS);
    if (runner.outputKind() == SavedModelRunner.OutputKind.SCORES) {
      String reason = runner.outputReason();
      runner.close();
      throw new CheckpointException(
          dir,
          CheckpointException.NO_OFFSET,
          reason + ": not served as probabilities (its output must be logits or probabilities)");
    }
    return new SavedModelServedModel(runner, version, dir.toString(), inputScale);
  }

  @Override
  public float[][] predict(float[][] images) {
    int n = images.length;
    float[] raw = new float[Math.multiplyExact(n, PIXELS)];
    for (int i = 0; i < n; i++) {
      if (images[i].length != PIXELS) {
        throw new IllegalArgumentException(
            "image " + i + " has " + images[i].length + " pixels, expected " + PIXELS);
      }
      for (int p = 0; p < PIXELS; p++) {
        raw[i * PIXELS + p] = images[i][p] * 255f;
      }
    }
    float[][] scores = runner.classify(raw, n, inputScale);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = runner.probabilities(scores[i]);
    }
    return out;
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
  public List<String> notes() {
    return List.of(
        stated
            ? "input: pixels/255 * " + inputScale + " (--input-scale)"
            : runner.inputScaleReason(),
        runner.outputReason());
  }

  @Override
  public void close() {
    runner.close();
  }
}
