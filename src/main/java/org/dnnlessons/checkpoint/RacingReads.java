package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Reads racing a save that replaces the same prefix (another process or thread): a reader that
 * opened the old index and then read the new data sees a checksum mismatch that is not damage. A
 * failed read is done once more; then again, a few milliseconds apart, for up to {@link #WAIT},
 * while the prefix's {@code .index} (or its recovery set's) changed or vanished meanwhile (inode,
 * modification time and size), or a save's temporary files are there, which gives the old or the
 * new checkpoint whole. {@link Saver#restore} and {@code inspect} read this way.
 */
final class RacingReads {

  /** How long a read waits for a save that is replacing the checkpoint to finish. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** One read of a checkpoint. */
  @FunctionalInterface
  interface Read<T> {
    T run() throws CheckpointException;
  }

  private RacingReads() {}

  /**
   * Runs {@code read}, again while it fails because a save is replacing {@code prefix}.
   *
   * @param prefix the checkpoint prefix read (a recovery prefix counts as its own prefix)
   * @throws CheckpointException the last failure, when it is not explained by a racing save or the
   *     wait is over
   */
  static <T> T retry(Path prefix, Read<T> read) throws CheckpointException {
    Path own = ownPrefix(prefix);
    long deadline = System.nanoTime() + WAIT.toNanos();
    boolean seen = false; // an index existed at some moment of this call
    for (int attempt = 1; ; attempt++) {
      List<Object> before = identity(own);
      seen |= before.get(0) != null || before.get(1) != null;
      try {
        return read.run();
      } catch (CheckpointException e) {
        boolean underWay = saveUnderWay(own); // before the index: a save's last rename removes
        List<Object> now = identity(own); // its temporary index, then adds the index
        boolean vanished = now.get(0) == null && now.get(1) == null && seen;
        boolean replaced = underWay || !now.equals(before) || vanished;
        // one more read in any case: a file system may give the new index the inode number the
        // old one freed (seen under load), so an unchanged identity does not prove no save ran
        if (System.nanoTime() > deadline || (!replaced && attempt > 1)) {
          throw e;
        }
      }
      try {
        Thread.sleep(Math.min(50, 1L << Math.min(attempt, 6)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CheckpointException(
            prefix, CheckpointException.NO_OFFSET, "interrupted while reading");
      }
    }
  }

  /** {@code .NAME.previous} is read for {@code NAME}. */
  private static Path ownPrefix(Path prefix) {
    String name = String.valueOf(prefix.getFileName());
    if (name.startsWith(".") && name.endsWith(Recovery.SUFFIX)) {
      return prefix.resolveSibling(name.substring(1, name.length() - Recovery.SUFFIX.length()));
    }
    return prefix;
  }

  /** The identities (inodes) of the prefix's index and its recovery set's index. */
  private static List<Object> identity(Path prefix) {
    return Arrays.asList(
        fileKey(Path.of(prefix + ".index")),
        fileKey(Path.of(Recovery.prefixOf(prefix) + ".index")));
  }

  /** The file's identity (inode and modification time), or null when it is missing. */
  private static Object fileKey(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
    } catch (IOException e) {
      return null;
    }
  }

  /** True when a save's temporary files for the checkpoint at {@code prefix} exist. */
  private static boolean saveUnderWay(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String tmp = "." + prefix.getFileName() + ".tmp-";
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(tmp))) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
