package org.dnnlessons.cli;

import picocli.CommandLine.Option;

/**
 * {@code --epochs}, {@code --batch-size}, {@code --learning-rate}: the training loop's settings,
 * shared by {@code train} and {@code lesson mlp}, with the lesson's values as defaults.
 */
final class LoopOptions {

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "20",
      description = "Passes over the training split (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      defaultValue = "128",
      description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--learning-rate",
      paramLabel = "R",
      defaultValue = "0.001",
      description = "Gradient-descent step size (default: ${DEFAULT-VALUE}, the lesson's).")
  double learningRate;
}
