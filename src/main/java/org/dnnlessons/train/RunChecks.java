package org.dnnlessons.train;

import java.util.List;
import org.dnnlessons.data.MnistDataSets;

/**
 * What {@link TrainingRun#prepare} checks once the data is read and before anything is built or
 * written: every output target can be written ({@link OutputTargets}), the steps per run fit an
 * epoch, and the run's tensors fit the machine ({@link TrainingMemory}). Each failure is an {@link
 * IllegalArgumentException} naming the option.
 */
final class RunChecks {

  private RunChecks() {}

  /**
   * Checks every output target of {@code options}; needs nothing read, so it comes first.
   *
   * @throws IllegalArgumentException naming the option whose target cannot be written
   */
  static void checkTargets(TrainingRun.Options options) {
    if (options.save() != null) {
      OutputTargets.checkPrefix("--save", options.save());
    }
    if (options.export() != null) {
      OutputTargets.checkNewDirectory("--export", options.export());
    }
    if (options.exportKeras() != null) {
      OutputTargets.checkFile("--export-keras", options.exportKeras());
    }
    if (options.logdir() != null) {
      OutputTargets.checkDirectory("--logdir", options.logdir());
    }
    if (options.plot() != null) {
      OutputTargets.checkFile("--plot", options.plot());
    }
  }

  /**
   * Checks the steps per run against an epoch and the run's memory against the machine.
   *
   * @throws IllegalArgumentException naming the option that cannot work
   */
  static void checkSizes(TrainingRun.Options options, List<Integer> hidden, MnistDataSets sets) {
    TrainOptions training = options.training();
    int n = sets.train().numExamples();
    int stepsPerEpoch = training.stepsPerEpoch(n);
    if (options.stepsPerRun() != null && options.stepsPerRun() > stepsPerEpoch) {
      throw new IllegalArgumentException(
          "--steps-per-run "
              + options.stepsPerRun()
              + " is more than the "
              + stepsPerEpoch
              + " steps of an epoch ("
              + n
              + " training examples, --batch-size "
              + training.batchSize()
              + "); expected 1 to "
              + stepsPerEpoch);
    }
    TrainingMemory.checkFits(
        sets, hidden, training.batchSize(), stepsPerRun(options, n), options.jitCompile());
  }

  /** The steps per run a run uses on {@code trainExamples}: never more than an epoch's steps. */
  static int stepsPerRun(TrainingRun.Options options, int trainExamples) {
    return Math.min(
        options.effectiveStepsPerRun(), options.training().stepsPerEpoch(trainExamples));
  }
}
