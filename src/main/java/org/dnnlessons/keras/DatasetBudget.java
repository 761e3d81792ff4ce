package org.dnnlessons.keras;

import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.files.Messages;

/**
 * The bytes one HDF5 file's datasets may make a reader allocate, all together: every dataset read
 * ({@code .weights.h5}, a {@code .keras} archive's weights, a legacy {@code .h5} model) is counted
 * against it, with exact arithmetic, before its values are allocated. Each dataset alone is bounded
 * by {@link ReadLimits#datasetBytes()} and by what the file can hold; this bounds their sum, which
 * neither does: a file whose layers hard-link one large dataset, or hold many deflated ones, made
 * the reader allocate the dataset once per link.
 *
 * <p>One instance per file read; not thread-safe.
 */
final class DatasetBudget {

  private final Path file;
  private final ReadLimits limits;
  private final long limit;
  private long used;

  private DatasetBudget(Path file, ReadLimits limits) {
    this.file = file;
    this.limits = limits;
    this.limit = limits.totalBytes();
  }

  /** A budget of {@link ReadLimits#totalBytes()} for reading {@code file}. */
  static DatasetBudget of(Path file, ReadLimits limits) {
    return new DatasetBudget(file, limits);
  }

  /** The limits this budget and the reads it counts follow. */
  ReadLimits limits() {
    return limits;
  }

  /**
   * Counts {@code bytes} of dataset {@code name}, before they are allocated.
   *
   * @throws CheckpointException naming the file and the budget when the datasets read so far and
   *     this one hold more than it
   */
  void take(String name, long bytes) throws CheckpointException {
    long total;
    try {
      total = Math.addExact(used, bytes);
    } catch (ArithmeticException e) {
      total = Long.MAX_VALUE;
    }
    if (total > limit) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "its datasets hold more than the "
              + Messages.bytes(limit)
              + " this reader accepts from one file with a heap of "
              + Messages.bytes(Runtime.getRuntime().maxMemory())
              + " (-Xmx): "
              + Messages.bytes(used)
              + " read before dataset "
              + name
              + " ("
              + Messages.bytes(bytes)
              + "; a dataset hard-linked under several names counts once per name)");
    }
    used = total;
  }
}
