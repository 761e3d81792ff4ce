package org.dnnlessons.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.data.DataSet;

/**
 * Where a run continued by {@code --resume} stands, read from its latest checkpoint ({@link
 * TrainState}): its global step, epochs, shuffling seed and history, and the checkpoints its state
 * file lists (kept by the saver's {@code max_to_keep} as if the run had never stopped).
 *
 * @param checkpoint the latest checkpoint's prefix
 * @param values the progress it holds
 * @param earlierCheckpoints every checkpoint the state file lists, oldest first
 */
record Resumption(Path checkpoint, TrainState.Values values, List<Path> earlierCheckpoints) {

  Resumption {
    earlierCheckpoints = List.copyOf(earlierCheckpoints);
  }

  /**
   * Reads the latest checkpoint in the directory of {@code save}.
   *
   * @param save the run's checkpoint prefix
   * @param seed the {@code --seed} given, or {@code null}
   * @throws CheckpointException when there is no checkpoint to resume from, or it was not saved by
   *     {@code train}
   * @throws IllegalArgumentException when {@code seed} differs from the run's shuffling seed
   */
  static Resumption read(Path save, Long seed) throws CheckpointException {
    Path dir = save.toAbsolutePath().getParent();
    CheckpointState state = CheckpointState.read(dir);
    if (state == null) {
      throw new CheckpointException(
          save, CheckpointException.NO_OFFSET, "--resume: no checkpoint to resume from in " + dir);
    }
    // as evaluate finds it: a state file naming a checkpoint that is gone says which one (it
    // said "no checkpoint to resume from" beside the run's files), and a moved directory's
    // absolute path falls back, with a warning, on the checkpoint of that name beside it
    Path latest = CheckpointState.resolve(dir);
    TrainState.Values values = TrainState.read(CheckpointReader.open(latest));
    if (values == null) {
      throw new CheckpointException(
          latest,
          CheckpointException.NO_OFFSET,
          "--resume: the checkpoint holds no global_step, so it was not saved by train;"
              + " start from its weights with --init-from instead");
    }
    if (seed != null && seed != values.shuffleSeed()) {
      throw new IllegalArgumentException(
          "--seed "
              + seed
              + " differs from the resumed run's shuffling seed "
              + values.shuffleSeed()
              + "; leave --seed out or give the same");
    }
    List<Path> earlier = new ArrayList<>();
    for (String p : state.all()) {
      earlier.add(dir.resolve(p));
    }
    return new Resumption(latest, values, earlier);
  }

  /**
   * Checks that the batches can continue in the run's order.
   *
   * @param batchSize the batch size of these options
   * @param trainExamples the size of this run's training split
   * @throws IllegalArgumentException when either differs from the stopped run's
   */
  void checkBatchOrder(int batchSize, int trainExamples) {
    if (values.batchSize() != batchSize || values.trainExamples() != trainExamples) {
      throw new IllegalArgumentException(
          "--resume: "
              + checkpoint
              + " was trained with --batch-size "
              + values.batchSize()
              + " on "
              + values.trainExamples()
              + " training examples; these options give "
              + batchSize
              + " and "
              + trainExamples
              + ", so its batch order cannot continue");
    }
  }

  /**
   * Prints where the run stands and puts {@code train} where the stopped run left it: the batches
   * it drew, drawn again and dropped.
   *
   * @param out where the line goes
   * @param latest the checkpoint as the warm start names it
   * @param training the loop's options; {@code epochs()} is the total
   * @param train the training split
   * @return the loop's options from the first epoch left, or {@code null} when none is left
   */
  TrainOptions position(PrintStream out, Path latest, TrainOptions training, DataSet train) {
    out.println(
        "Resuming from "
            + latest
            + ": "
            + values.epoch()
            // "13 of 6 epochs done" reads wrong: the line after says --epochs is the total
            + (values.epoch() <= training.epochs() ? " of " + training.epochs() : "")
            + " epochs done, global step "
            + values.globalStep());
    for (long i = 0; i < values.globalStep(); i++) {
      train.nextBatchIndices(training.batchSize(), true);
    }
    if (values.epoch() >= training.epochs()) {
      out.println(
          "Nothing to train: the run already holds "
              + values.epoch()
              + " epochs and --epochs is "
              + training.epochs()
              + " (the total, as in Keras's fit)");
      return null;
    }
    return training.withInitialEpoch(values.epoch());
  }
}
