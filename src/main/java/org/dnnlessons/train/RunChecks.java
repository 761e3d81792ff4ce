package org.dnnlessons.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;

/**
 * What {@link TrainingRun#prepare} checks before anything is built or written: every output target
 * can be written ({@link OutputTargets}), the save directory holds no other run, the batch and the
 * steps per run fit an epoch, the in-graph loops fit the model, and the run's tensors fit the
 * machine ({@link TrainingMemory}). Each failure is an {@link IllegalArgumentException} naming the
 * option, or a {@link CheckpointException} naming the directory.
 */
final class RunChecks {

  private RunChecks() {}

  /**
   * Checks every output target of {@code options}; needs nothing read, so it comes first.
   *
   * @throws IllegalArgumentException naming the option whose target cannot be written
   */
  static void checkTargets(TrainingRunOptions options) {
    TrainingRunOptions.Outputs outputs = options.outputs();
    if (options.checkpoints().save() != null) {
      OutputTargets.checkPrefix("--save", options.checkpoints().save());
    }
    if (outputs.export() != null) {
      OutputTargets.checkNewDirectory("--export", outputs.export());
    }
    if (outputs.exportKeras() != null) {
      OutputTargets.checkFile("--export-keras", outputs.exportKeras());
      OutputTargets.checkKerasSuffix("--export-keras", outputs.exportKeras(), ".keras");
    }
    if (outputs.logdir() != null) {
      OutputTargets.checkDirectory("--logdir", outputs.logdir());
    }
    if (outputs.plot() != null) {
      OutputTargets.checkFile("--plot", outputs.plot());
      OutputTargets.checkSuffix("--plot", outputs.plot(), ".png", "the plot is a PNG image");
    }
  }

  /**
   * Refuses to start a new run in a directory that holds another run's checkpoints, unless {@code
   * --overwrite}.
   *
   * @throws CheckpointException naming the directory and the checkpoint found there
   */
  static void refuseAnotherRunsDirectory(TrainingRunOptions.Checkpoints checkpoints)
      throws CheckpointException {
    Path dir = checkpoints.save().toAbsolutePath().getParent();
    if (!Files.isDirectory(dir) || checkpoints.overwrite()) {
      return;
    }
    CheckpointState state = CheckpointState.read(dir);
    String found = state != null ? state.latest() : null;
    if (found == null) {
      try (DirectoryStream<Path> indexes = Files.newDirectoryStream(dir, "*.index")) {
        for (Path p : indexes) {
          found = p.getFileName().toString();
          break;
        }
      } catch (IOException e) {
        throw new CheckpointException(
            dir, CheckpointException.NO_OFFSET, "cannot list the directory: " + e.getMessage(), e);
      }
    }
    if (found != null) {
      throw new CheckpointException(
          dir,
          CheckpointException.NO_OFFSET,
          "already holds checkpoints of another run ("
              + found
              + "); pass --resume to continue it, --init-from "
              + dir
              + " to start from its weights, or --overwrite to save over it");
    }
  }

  /**
   * Checks the batch size against the training split.
   *
   * @throws IllegalArgumentException when a batch is larger than the split
   */
  static void checkBatchSize(TrainingRunOptions options, MnistDataSets sets) {
    int batchSize = options.training().batchSize();
    if (batchSize > sets.train().numExamples()) {
      throw new IllegalArgumentException(
          "--batch-size "
              + batchSize
              + " is larger than the training split ("
              + sets.train().numExamples()
              + " examples)");
    }
  }

  /**
   * Checks the steps per run against an epoch and the model, and the run's memory against the
   * machine.
   *
   * @throws IllegalArgumentException naming the option that cannot work
   */
  static void checkSizes(TrainingRunOptions options, Mlp.Options network, MnistDataSets sets) {
    TrainOptions training = options.training();
    Integer stepsPerRun = options.speed().stepsPerRun();
    int n = sets.train().numExamples();
    int stepsPerEpoch = training.stepsPerEpoch(n);
    if (stepsPerRun != null && stepsPerRun > stepsPerEpoch) {
      throw new IllegalArgumentException(
          "--steps-per-run "
              + stepsPerRun
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
        sets,
        network.hidden(),
        training.batchSize(),
        stepsPerRun(options, n),
        options.speed().jitCompile());
    boolean jit = options.speed().jitCompile();
    if (!network.model().isLessonMlp() && (jit || (stepsPerRun != null && stepsPerRun > 1))) {
      throw new IllegalArgumentException(
          (jit ? "--jit-compile" : "--steps-per-run " + stepsPerRun)
              + " builds the lesson's MLP only (relu, bias, pixels/255); this model is "
              + network.model().summary()
              + "; leave it out (its steps then run one per Session.run)");
    }
  }

  /** The steps per run a run uses on {@code trainExamples}: never more than an epoch's steps. */
  static int stepsPerRun(TrainingRunOptions options, int trainExamples) {
    return Math.min(
        options.effectiveStepsPerRun(), options.training().stepsPerEpoch(trainExamples));
  }
}
