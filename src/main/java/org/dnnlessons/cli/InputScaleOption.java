package org.dnnlessons.cli;

import picocli.CommandLine.Option;

/**
 * {@code --input-scale S}: what a white pixel (255) is fed to a SavedModel as: 1 for the lesson's
 * pixels/255, 255 for raw pixels. By default the model's own: 255 when its graph starts with {@code
 * Rescaling}, else 1 (see {@code SavedModelRunner#defaultInputScale}).
 */
final class InputScaleOption {

  @Option(
      names = "--input-scale",
      paramLabel = "S",
      description =
          "What a white pixel is fed to a SavedModel as: 1 (pixels/255, the lesson's) or 255"
              + " (raw pixels); by default 255 when the model's first layer is Rescaling, else 1.")
  Double inputScale;

  /** The scale to use for {@code modelDefault}, checking a stated one. */
  double resolve(double modelDefault) {
    if (inputScale == null) {
      return modelDefault;
    }
    if (!(inputScale > 0) || inputScale.isInfinite()) {
      throw new IllegalArgumentException("--input-scale must be positive, found " + inputScale);
    }
    return inputScale;
  }
}
