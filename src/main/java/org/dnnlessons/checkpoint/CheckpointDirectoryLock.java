package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer process per checkpoint directory: an exclusive lock ({@link FileChannel#tryLock}) on
 * {@code DIR/.checkpoint.lock}, which holds the owner's process id. A {@link Saver} takes it at its
 * first save into a directory and keeps it until {@link Saver#close()} or the end of the process
 * (the operating system drops the lock of a killed process), so a second training run writing into
 * the same directory fails at once, naming the first, instead of interleaving its checkpoints and
 * state file with the first one's.
 *
 * <p>Within one process several savers may share a directory (a notebook saving twice, a restore
 * saver beside a training saver): they hold the same lock, and their saves run one at a time
 * ({@link #serial}).
 */
final class CheckpointDirectoryLock {

  /** The lock file's name. */
  static final String FILE_NAME = ".checkpoint.lock";

  private static final Map<Path, CheckpointDirectoryLock> HELD = new HashMap<>();

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;
  private final ReentrantLock serial = new ReentrantLock();
  private int holders;

  private CheckpointDirectoryLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes (or shares, within this process) the lock of {@code dir}, which must exist.
   *
   * @throws CheckpointException when another process holds it, naming its process id, or when the
   *     lock file cannot be created
   */
  static CheckpointDirectoryLock acquire(Path dir) throws CheckpointException {
    Path key;
    try {
      key = dir.toRealPath();
    } catch (IOException e) {
      throw new CheckpointException(
          dir, CheckpointException.NO_OFFSET, "cannot open the checkpoint directory: " + e, e);
    }
    synchronized (HELD) {
      CheckpointDirectoryLock held = HELD.get(key);
      if (held != null) {
        held.holders++;
        return held;
      }
      Path file = key.resolve(FILE_NAME);
      FileChannel channel = null;
      try {
        channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // not ours (HELD has no entry), so another part of this JVM: treat as busy
        }
        if (lock == null) {
          String owner = owner(channel);
          channel.close();
          throw new CheckpointException(
              key,
              CheckpointException.NO_OFFSET,
              "another process"
                  + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                  + " is writing checkpoints in this directory (it holds "
                  + FILE_NAME
                  + "); wait for it to end or save elsewhere");
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        CheckpointDirectoryLock taken = new CheckpointDirectoryLock(key, channel, lock);
        taken.holders = 1;
        HELD.put(key, taken);
        return taken;
      } catch (IOException e) {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw new CheckpointException(
            file, CheckpointException.NO_OFFSET, "cannot lock the checkpoint directory: " + e, e);
      }
    }
  }

  /** The process id written in the lock file, or "" when unreadable. */
  private static String owner(FileChannel channel) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      channel.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
      return s.matches("\\d{1,19}") ? s : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The directory locked (its real path). */
  Path dir() {
    return dir;
  }

  /** Runs this process's saves into the directory one at a time. */
  ReentrantLock serial() {
    return serial;
  }

  /** Gives up one hold; the last one releases the lock. The lock file stays (harmless). */
  void release() {
    synchronized (HELD) {
      if (--holders > 0) {
        return;
      }
      HELD.remove(dir);
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // closing releases the lock; an error here leaves nothing held
      }
    }
  }

  /**
   * The locks one {@link Saver} holds, one per directory it saved into, until {@link #releaseAll}.
   */
  static final class Holds {
    private final Map<Path, CheckpointDirectoryLock> held = new HashMap<>();

    /**
     * The lock of {@code dir}, the directory of {@code prefix}, taken at this saver's first call.
     *
     * @throws CheckpointException as {@link #acquire} does, or naming {@code prefix} when the
     *     directory cannot be opened
     */
    CheckpointDirectoryLock take(Path prefix, Path dir) throws CheckpointException {
      synchronized (held) {
        Path key;
        try {
          key = dir.toRealPath();
        } catch (IOException e) {
          throw new CheckpointException(
              prefix,
              CheckpointException.NO_OFFSET,
              "cannot open the checkpoint directory: " + DurableFiles.describe(e),
              e);
        }
        CheckpointDirectoryLock lock = held.get(key);
        if (lock == null) {
          lock = acquire(key);
          held.put(key, lock);
        }
        return lock;
      }
    }

    /** Releases every lock taken; a later {@link #take} takes it again. */
    void releaseAll() {
      synchronized (held) {
        held.values().forEach(CheckpointDirectoryLock::release);
        held.clear();
      }
    }
  }
}
