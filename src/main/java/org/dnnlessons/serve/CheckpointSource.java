package org.dnnlessons.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.checkpoint.CheckpointState;

/**
 * Finds the model to serve in a path and, for a directory of {@code train --save} checkpoints,
 * newer checkpoints as training writes them: TensorFlow Serving's file-system source, with the
 * checkpoint's global step as the version.
 *
 * <p>A directory is polled every {@code interval}: when its state file ({@code checkpoint}) names a
 * checkpoint with a higher global step than the one served, that checkpoint is loaded in this
 * source's thread and then swapped in ({@link ModelManager#swap}). A checkpoint that fails to load
 * (damaged, half-copied, another network) is logged in one line and not tried again; the served
 * model keeps serving. Training writes the state file last, after the checkpoint's files are
 * complete, so a checkpoint named there is whole.
 */
public final class CheckpointSource implements AutoCloseable {

  /** How often a directory is polled, by default (TensorFlow Serving's default is 1 s). */
  public static final Duration POLL_INTERVAL_DEFAULT = Duration.ofSeconds(1);

  /** The version of a model with no global step in its name (TensorFlow Serving's first). */
  public static final long VERSION_WITHOUT_STEP = 1;

  private static final Pattern GLOBAL_STEP = Pattern.compile(".*-(\\d{1,18})");

  private final Path dir;
  private final ModelManager manager;
  private final ServedModel.Loader loader;
  private final Consumer<String> log;
  private ScheduledExecutorService timer;
  private Path failed;
  private String stateProblem;

  /**
   * A source polling {@code dir}; call {@link #start} to poll in the background or {@link #poll}.
   *
   * @param log receives one line per reload or failed reload
   * @param dir the checkpoint directory training writes to (with its {@code checkpoint} state file)
   * @param manager where a newer checkpoint is swapped in
   * @param loader loads a checkpoint as a model, e.g. {@link ModelLoaders#load}
   */
  public CheckpointSource(
      Path dir, ModelManager manager, ServedModel.Loader loader, Consumer<String> log) {
    this.dir = dir;
    this.manager = manager;
    this.loader = loader;
    this.log = log;
  }

  /**
   * The version of the checkpoint at {@code prefix}: its global step ({@code model.ckpt-540} is
   * 540), or {@link #VERSION_WITHOUT_STEP} when its name has none.
   *
   * @param prefix a checkpoint prefix, e.g. {@code runs/model.ckpt-540}
   * @return the number after the last {@code -} of the prefix's file name, {@code >= 0}, or {@link
   *     #VERSION_WITHOUT_STEP}
   */
  public static long versionOf(Path prefix) {
    Matcher m = GLOBAL_STEP.matcher(String.valueOf(prefix.getFileName()));
    return m.matches() ? Long.parseLong(m.group(1)) : VERSION_WITHOUT_STEP;
  }

  /**
   * Whether {@code path} is a directory of checkpoints that training may add to: a directory with a
   * state file.
   *
   * @param path any path; need not exist
   * @return true when {@code path} is a directory holding a {@code checkpoint} state file
   */
  public static boolean isWatchable(Path path) {
    return Files.isDirectory(path) && Files.isRegularFile(path.resolve(CheckpointState.FILE_NAME));
  }

  /**
   * Loads what {@code path} names now: for a checkpoint directory its newest checkpoint, with its
   * global step as the version; anything else as it is.
   *
   * @param path a checkpoint directory, a checkpoint prefix, a SavedModel or a Keras file
   * @param loader loads the chosen files as a model
   * @return the loaded model; the caller owns and closes it
   * @throws Exception what reading the state file or {@code loader} throws, naming what is wrong
   *     with the files
   */
  public static ServedModel loadLatest(Path path, ServedModel.Loader loader) throws Exception {
    if (isWatchable(path)) {
      Path prefix = CheckpointState.resolve(path);
      return loader.load(prefix, versionOf(prefix));
    }
    return loader.load(path, versionOf(path));
  }

  /**
   * Polls every {@code interval} in a daemon thread until {@link #close}.
   *
   * @param interval time between polls; positive
   */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      throw new IllegalStateException("already started");
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serve-checkpoint-source");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException | Error e) { // a scheduled task that throws is never run again
      log.accept("serve: checking " + dir + " failed: " + e);
    }
  }

  /**
   * Checks the directory once and swaps in a newer checkpoint if there is one.
   *
   * @return whether a newer model is now served
   */
  public synchronized boolean poll() {
    Path latest;
    try {
      latest = CheckpointState.latestCheckpoint(dir);
      stateProblem = null;
    } catch (Exception e) {
      String problem = e.getMessage();
      if (!problem.equals(stateProblem)) { // say it once, not every second
        log.accept("serve: cannot read " + dir.resolve(CheckpointState.FILE_NAME) + ": " + problem);
        stateProblem = problem;
      }
      return false;
    }
    if (latest == null || latest.equals(failed)) {
      return false;
    }
    long version = versionOf(latest);
    long served = manager.version();
    if (version <= served) {
      return false;
    }
    ServedModel next;
    manager.loading(version);
    try {
      next = loader.load(latest, version);
    } catch (Exception | Error e) {
      failed = latest;
      manager.failedToLoad(version, e.getMessage());
      log.accept(
          "serve: version "
              + version
              + " at "
              + latest
              + " not loaded ("
              + e.getMessage()
              + "); version "
              + served
              + " keeps serving");
      return false;
    }
    List<String> notes = next.notes();
    long was = manager.swap(next);
    log.accept("serve: version " + version + " from " + latest + " now serving (was " + was + ")");
    notes.forEach(note -> log.accept("serve: note: " + note));
    return true;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
