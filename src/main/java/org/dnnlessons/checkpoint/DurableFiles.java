package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.dnnlessons.files.FilePublisher;

/**
 * The file-system steps of a checkpoint save, each made durable: files created under temporary
 * names and fsynced, renamed atomically, the directory fsynced after renames and deletions. Files
 * are created with the default mode (0666 less the umask, 0644 under umask 022), as Python writes
 * them.
 *
 * <p>Every step first calls {@link #listener}, which tests set to stop a save (inject an {@code
 * IOException}) or to copy the directory as a process killed at that step would leave it.
 */
final class DurableFiles {

  /** One file-system step of a save; tests enumerate them. */
  enum Step {
    /** Create a file and write its bytes (data, index, meta or state file). */
    WRITE,
    /** fsync a file. */
    FSYNC,
    /** Rename a file into place. */
    RENAME,
    /** Delete a file. */
    UNLINK,
    /** Hard-link a file to its recovery name (an overwritten checkpoint kept restorable). */
    LINK,
    /** fsync a directory after renames or deletions. */
    FSYNC_DIR
  }

  /** Called before every step; tests only. */
  interface Listener {
    void before(Step step, Path file) throws IOException;
  }

  /** The test hook; {@code null} in normal use. */
  static volatile Listener listener;

  private DurableFiles() {}

  /**
   * A fresh temporary name for {@code base} in {@code dir}: {@code .base.tmp-PID-N}, the names
   * {@link FilePublisher} uses.
   */
  static Path temporary(Path dir, String base) {
    return FilePublisher.temporary(dir, base);
  }

  /** True for a name {@link #temporary} makes, with any suffix. */
  static boolean isTemporary(String fileName) {
    return FilePublisher.isTemporary(fileName);
  }

  /**
   * An {@code IOException} as one line for a user: what failed, on which file, without the
   * exception's class name ("permission denied", "No space left on device", ...).
   */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException f) {
      return f.getFile() + ": no such file or directory";
    }
    if (e instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + ": already exists";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return (f.getFile() != null ? f.getFile() + ": " : "") + f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  static void step(Step step, Path file) throws IOException {
    Listener l = listener;
    if (l != null) {
      l.before(step, file);
    }
  }

  /** Creates {@code file} (which must not exist), writes {@code bytes} and fsyncs it. */
  static void write(Path file, byte[] bytes) throws IOException {
    step(Step.WRITE, file);
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.write(b);
      }
      step(Step.FSYNC, file);
      out.force(true);
    }
  }

  /** fsyncs a file written by someone else (TensorFlow's {@code SaveV2}). */
  static void force(Path file) throws IOException {
    step(Step.FSYNC, file);
    try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
      f.force(true);
    }
  }

  /**
   * Renames {@code from} to {@code to} atomically, replacing {@code to}, which must be a regular
   * file when it exists: a directory, device or FIFO is refused, never replaced.
   */
  static void move(Path from, Path to) throws IOException {
    step(Step.RENAME, to);
    FilePublisher.checkTarget(to);
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + from.getFileName() + " to " + to + " atomically: " + e.getReason(), e);
    }
  }

  /** Deletes {@code file} when it exists; true when it did. */
  static boolean delete(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    step(Step.UNLINK, file);
    return Files.deleteIfExists(file);
  }

  /**
   * fsyncs {@code dir}, so that renames and deletions in it survive a power loss. A file system
   * that cannot sync a directory (Windows) is skipped: there the rename itself is durable.
   */
  static void forceDirectory(Path dir) throws IOException {
    step(Step.FSYNC_DIR, dir);
    FilePublisher.forceDirectory(dir);
  }

  /**
   * Deletes the temporary files a dead writer left in {@code dir} (names {@link #temporary} makes,
   * and TensorFlow's {@code .tempstate} files under them). Call it only while holding the
   * directory's {@link CheckpointDirectoryLock}: then no live writer owns them.
   *
   * @return how many files were deleted
   */
  static int deleteStale(Path dir) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (isTemporary(f.getFileName().toString())
            && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
            && delete(f)) {
          n++;
        }
      }
    }
    return n;
  }
}
