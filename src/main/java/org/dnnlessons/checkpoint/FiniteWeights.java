package org.dnnlessons.checkpoint;

import java.nio.file.Path;

/**
 * The one check that a file's weights are finite before anything uses them: {@code evaluate},
 * {@code predict}, {@code export} and {@code train --init-from} all refuse a tensor holding NaN or
 * infinite values, naming it and counting them, instead of computing with it (a network whose
 * weights hold one NaN scores every image NaN, and its argmax quietly picks class 0).
 *
 * <p>Python loads such a checkpoint without a word ({@code tf.train.load_checkpoint}, {@code
 * model.load_weights}); the counterpart of this check is {@code tf.debugging.check_numerics(value,
 * name)} on each variable.
 */
public final class FiniteWeights {

  private FiniteWeights() {}

  /**
   * Returns {@code values} when every one is finite.
   *
   * @param file the file or checkpoint prefix the values were read from (named in the message)
   * @param name the tensor's name in that file
   * @param values the tensor's values, float32 (float16 and bfloat16 widened)
   * @return {@code values}
   * @throws CheckpointException {@code FILE: 'NAME' holds 3 NaN and 1 infinite values of 200704;
   *     refused} when any value is NaN or infinite
   */
  public static float[] check(Path file, String name, float[] values) throws CheckpointException {
    long nan = 0;
    long infinite = 0;
    for (float v : values) {
      if (Float.isNaN(v)) {
        nan++;
      } else if (Float.isInfinite(v)) {
        infinite++;
      }
    }
    if (nan == 0 && infinite == 0) {
      return values;
    }
    String counts =
        nan > 0 && infinite > 0
            ? nan + " NaN and " + infinite + " infinite"
            : nan > 0 ? nan + " NaN" : infinite + " infinite";
    throw new CheckpointException(
        file,
        CheckpointException.NO_OFFSET,
        "'"
            + name
            + "' holds "
            + counts
            + (nan + infinite == 1 ? " value" : " values")
            + " of "
            + values.length
            + "; refused");
  }
}
