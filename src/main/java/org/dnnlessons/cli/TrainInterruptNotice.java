package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.TrainingListener;

/**
 * The one line {@code train} prints when the JVM shuts down during training (Ctrl-C, SIGTERM),
 * naming what survives: {@code train: interrupted in epoch 3; nothing was saved (--save-every K
 * saves during training)} or {@code ...; the last checkpoint saved is run/model.ckpt-108}. The
 * JVM's own exit status stays (130 for SIGINT). Epochs are numbered as the epoch lines number them.
 * Registered as a shutdown hook only while training runs ({@link #during}).
 */
final class TrainInterruptNotice implements TrainingListener {

  private final PrintStream err;
  private final Path save;
  private final int saveEvery;
  private final int epochs;
  private volatile int epoch = -1; // the epoch running, as its line numbers it
  private volatile boolean training;

  /**
   * A notice for a run of {@code epochs} epochs.
   *
   * @param err where the line goes
   * @param save the checkpoint prefix ({@code --save}), or null
   * @param saveEvery {@code --save-every}, 0 for none
   * @param epochs the run's total epochs
   */
  TrainInterruptNotice(PrintStream err, Path save, int saveEvery, int epochs) {
    this.err = err;
    this.save = save;
    this.saveEvery = saveEvery;
    this.epochs = epochs;
  }

  /** A step of training that may fail. */
  interface Training<T> {
    T run(TrainingListener notice) throws Exception;
  }

  /**
   * Runs {@code training} with this notice as a shutdown hook, removed when it returns or fails.
   *
   * @param training the run, given this notice as its listener
   * @return what the run returns
   * @throws Exception what the run throws
   */
  <T> T during(Training<T> training) throws Exception {
    Thread hook = new Thread(this::print, "train-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return training.run(this);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the hook has run or is running
      }
    }
  }

  @Override
  public void epochStarted(int epoch, int steps) {
    this.epoch = epoch;
    training = true;
  }

  @Override
  public void epochFinished(EpochSummary summary) {
    epoch = summary.epoch() + 1; // its line is printed: the next one is under way
    if (summary.epoch() + 1 >= epochs) {
      training = false; // the loop is done: what follows writes the outputs
    }
  }

  /** The line, when the JVM shuts down while an epoch is due or running. */
  String line() {
    String what;
    if (save == null) {
      what = "nothing was saved (--save PREFIX --save-every K saves during training)";
    } else if (saveEvery == 0) {
      what = "nothing was saved (--save-every K saves during training)";
    } else {
      Path last = lastSaved();
      what =
          last == null
              ? "nothing was saved yet (--save-every "
                  + saveEvery
                  + " saves every "
                  + saveEvery
                  + " epochs)"
              : "the last checkpoint saved is " + last;
    }
    return "train: interrupted in epoch " + epoch + "; " + what;
  }

  /** The newest checkpoint of the {@code --save} prefix the state file names, or null. */
  private Path lastSaved() {
    Path dir = save.toAbsolutePath().getParent();
    try {
      Path latest = CheckpointState.latestCheckpoint(dir);
      if (latest != null
          && String.valueOf(latest.getFileName()).startsWith(save.getFileName() + "-")) {
        Path parent = save.getParent();
        return parent == null ? latest.getFileName() : parent.resolve(latest.getFileName());
      }
    } catch (Exception e) {
      // an unreadable state file: say nothing was saved rather than fail in a shutdown hook
    }
    return null;
  }

  private void print() {
    if (training) {
      err.println(line());
      err.flush();
    }
  }
}
