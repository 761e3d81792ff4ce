package org.dnnlessons.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * The one way the product publishes a file it writes ({@code export}, {@code --export-keras},
 * {@code --export}, {@code --plot}, {@code data show --png}, {@code notebook run}, the data
 * downloader and importer, the kernel spec): readers and a process killed at any moment see the old
 * file whole or the new file whole, never a part, never nothing.
 *
 * <ol>
 *   <li>The target is checked <b>before anything is written</b>: when it exists it must be a
 *       regular file (a symbolic link is followed, as Python's {@code open(path, "wb")} follows
 *       it); a directory, a device such as {@code /dev/null}, a FIFO or a socket is refused with
 *       one line naming it. It is checked again just before the rename.
 *   <li>The content is written to a temporary file beside the target, named {@code .NAME.tmp-PID-N}
 *       (a name no reader looks for), created with the default mode (0666 less the umask: {@code
 *       rw-r--r--} under umask 022, as {@code open} in Python or C creates it), then fsynced.
 *   <li>It is renamed over the target atomically ({@code rename(2)}; never delete-then-move), and
 *       the directory is fsynced, so the rename survives a power loss.
 *   <li>On any failure (an exception or an error such as {@code OutOfMemoryError}) the temporary
 *       file is deleted and the target is untouched; on SIGINT or SIGTERM a shutdown hook deletes
 *       the temporaries being written; after a SIGKILL the next publish into the directory deletes
 *       the temporaries of writers that no longer run ({@link #deleteStale}), and the temporaries
 *       earlier versions of the product left, once stale ({@code LegacyTemporaries}).
 * </ol>
 *
 * <p>A full disk is reported as such, naming the target: {@code "out/model.keras: the disk is full
 * (No space left on device) while writing it; the file was not replaced"}.
 *
 * <pre>{@code
 * FilePublisher.publish(Path.of("digit.png"), out -> ImageIO.write(image, "png", out));
 * }</pre>
 */
public final class FilePublisher {

  /** One file-system step of a publish; tests enumerate them. */
  public enum Step {
    /** Create the temporary file (or directory) and write its content. */
    CREATE,
    /** fsync the temporary file (or the files of a temporary directory). */
    FSYNC,
    /** Rename the temporary over the target. */
    RENAME,
    /** fsync the target's directory. */
    FSYNC_DIR
  }

  /** Called before every step; tests only. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called before {@code step} on {@code file} (the temporary for CREATE and FSYNC, the target
     * for RENAME, the directory for FSYNC_DIR); an {@code IOException} thrown here fails the step.
     *
     * @param step the step about to run
     * @param file the file it acts on
     * @throws IOException to fail the step, as a real failure would
     */
    void before(Step step, Path file) throws IOException;
  }

  /** The test hook; {@code null} in normal use. */
  public static volatile Listener listener;

  /**
   * Writes a file's content to a stream (buffered; closing it is allowed and does nothing).
   *
   * @param <E> the checked exception the content itself may throw
   */
  @FunctionalInterface
  public interface Content<E extends Exception> {
    /**
     * Writes the whole content to {@code out}.
     *
     * @param out the temporary file's stream, buffered; closing it does nothing
     * @throws IOException when writing fails; the publish fails with it
     * @throws E the content's own error; the publish fails with it
     */
    void writeTo(OutputStream out) throws IOException, E;
  }

  /**
   * Writes a directory's content into an empty directory.
   *
   * @param <E> the checked exception the content itself may throw
   */
  @FunctionalInterface
  public interface DirectoryContent<E extends Exception> {
    /**
     * Writes every file of the content under {@code dir}.
     *
     * @param dir the temporary directory (or file path, for {@link FilePublisher#publishFile})
     * @throws IOException when writing fails; the publish fails with it
     * @throws E the content's own error; the publish fails with it
     */
    void writeInto(Path dir) throws IOException, E;
  }

  /** Marks temporary names: {@code .NAME.tmp-PID-N}, with any suffix. */
  static final String TMP_MARK = ".tmp-";

  private static final Pattern TMP_NAME = Pattern.compile("\\..+\\.tmp-(\\d+)-\\d+(\\..*)?");

  private static final String REFUSED = "; refused before writing anything";

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** Whether this JVM has tidied {@code java.io.tmpdir} of earlier versions' temporaries. */
  private static final AtomicBoolean SYSTEM_TEMPORARIES_CHECKED = new AtomicBoolean();

  /** Temporaries being written now; the shutdown hook deletes them. */
  private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

  static {
    try {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (Path p : List.copyOf(IN_FLIGHT)) {
                      deleteQuietly(p);
                    }
                  },
                  "dnn-lessons-temporaries"));
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }

  private FilePublisher() {}

  /**
   * Publishes {@code content} as the file {@code target}, replacing an existing regular file
   * atomically; its directory is created when missing.
   *
   * @param <E> the exception {@code content} may throw besides {@code IOException}
   * @param target the file to write; a regular file, a link to one, or nothing
   * @param content writes the whole content to the temporary file's stream
   * @throws IOException one line naming the file: the target is not a regular file, the disk is
   *     full, permission denied...; the target is then untouched and no temporary file is left
   * @throws E what {@code content} throws, after the same cleanup
   */
  public static <E extends Exception> void publish(Path target, Content<E> content)
      throws IOException, E {
    publishWritten(
        target,
        tmp -> {
          try (FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            content.writeTo(CloseShieldOutputStream.wrap(out));
            out.flush();
          }
        });
  }

  /**
   * Publishes {@code bytes} as the file {@code target}; see {@link #publish}.
   *
   * @param target the file to write; a regular file, a link to one, or nothing
   * @param bytes the whole content
   * @throws IOException as {@link #publish}: one line naming the file; the target is then untouched
   */
  public static void publishBytes(Path target, byte[] bytes) throws IOException {
    publish(target, out -> out.write(bytes));
  }

  /**
   * Publishes a directory: {@code content} writes into a temporary directory beside {@code target},
   * every file in it is fsynced, and it is renamed to {@code target}, which must not exist (a
   * directory is never replaced, so nothing of an earlier one is lost).
   *
   * @param <E> the exception {@code content} may throw besides {@code IOException}
   * @param target the directory to create; must not exist
   * @param content writes every file under the temporary directory it is given
   * @throws IOException one line naming the directory; no temporary directory is left
   * @throws E what {@code content} throws, after the temporary directory is deleted
   */
  public static <E extends Exception> void publishDirectory(
      Path target, DirectoryContent<E> content) throws IOException, E {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(
          Messages.path(target), null, "already exists; nothing was written");
    }
    publishThrough(
        absolute,
        tmp -> {
          Files.createDirectory(tmp);
          content.writeInto(tmp);
        },
        FilePublisher::forceTree,
        () -> {
          if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(
                Messages.path(target), null, "already exists; nothing was written");
          }
        },
        // checked just before: rename(2) itself would replace an empty directory
        (tmp, to) -> Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE));
  }

  /**
   * Publishes a file that {@code content} writes by path (a library that opens the file itself,
   * such as jHDF's writer): the temporary file exists, empty, with the default mode, when {@code
   * content} is called; see {@link #publish}.
   *
   * @param <E> the exception {@code content} may throw besides {@code IOException}
   * @param target the file to write; a regular file, a link to one, or nothing
   * @param content writes the file at the temporary path it is given
   * @throws IOException as {@link #publish}: one line naming the file; the target is then untouched
   *     and no temporary file is left
   * @throws E what {@code content} throws, after the same cleanup
   */
  public static <E extends Exception> void publishFile(Path target, DirectoryContent<E> content)
      throws IOException, E {
    publishWritten(
        target,
        tmp -> {
          Files.createFile(tmp);
          content.writeInto(tmp);
        });
  }

  /** A file published by {@code write} (which creates the temporary it is given). */
  private static <E extends Exception> void publishWritten(Path target, DirectoryContent<E> write)
      throws IOException, E {
    publishThrough(
        checkTarget(target),
        write,
        tmp -> {
          try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
          }
        },
        () -> checkTarget(target),
        FilePublisher::rename);
  }

  /** An I/O step of {@link #publishThrough} on a path. */
  @FunctionalInterface
  private interface PathStep {
    void run(Path path) throws IOException;
  }

  /** A check of {@link #publishThrough}, made just before the rename. */
  @FunctionalInterface
  private interface Check {
    void run() throws IOException;
  }

  /** The rename of {@link #publishThrough}. */
  @FunctionalInterface
  private interface Move {
    void run(Path from, Path to) throws IOException;
  }

  /**
   * The one body of every publish: a temporary beside {@code absolute}, created and written by
   * {@code write}, fsynced by {@code force}, {@code check}ed again, renamed over {@code absolute}
   * by {@code move}, the directory fsynced; on any failure the temporary is deleted and the failure
   * named in one line.
   */
  private static <E extends Exception> void publishThrough(
      Path absolute, DirectoryContent<E> write, PathStep force, Check check, Move move)
      throws IOException, E {
    Path dir = createParent(absolute);
    Path tmp = temporary(dir, absolute.getFileName().toString());
    IN_FLIGHT.add(tmp);
    boolean renamed = false;
    try {
      step(Step.CREATE, tmp);
      write.writeInto(tmp);
      step(Step.FSYNC, tmp);
      force.run(tmp);
      check.run();
      step(Step.RENAME, absolute);
      move.run(tmp, absolute);
      renamed = true;
      step(Step.FSYNC_DIR, dir);
      forceDirectory(dir);
    } catch (IOException e) {
      throw failure(absolute, e, renamed);
    } finally {
      IN_FLIGHT.remove(tmp);
      if (!renamed) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * A scratch file beside {@code target} for a writer that needs one (the HDF5 weights inside a
   * {@code .keras} archive): a {@link #temporary} name, so that it is deleted on close, on SIGINT
   * or SIGTERM, and by a later {@link #deleteStale} after a SIGKILL. It is never a name a reader
   * looks for, and it lies on the target's file system, never in {@code /tmp}.
   *
   * @param target the file the scratch file serves; its directory is created when missing
   * @param suffix appended to the temporary name, e.g. {@code .h5}
   * @return a handle whose {@link Scratch#path()} is not created yet; close it to delete the file
   * @throws IOException when {@code target} may not be replaced by a regular file (see {@link
   *     #checkTarget}) or its directory cannot be created
   */
  public static Scratch scratch(Path target, String suffix) throws IOException {
    Path file = checkTarget(target);
    Path dir = createParent(file);
    Path p = temporary(dir, file.getFileName() + suffix);
    IN_FLIGHT.add(p);
    return new Scratch(p);
  }

  /** A scratch file; see {@link FilePublisher#scratch}. */
  public static final class Scratch implements AutoCloseable {
    private final Path path;

    private Scratch(Path path) {
      this.path = path;
    }

    /**
     * Where the scratch file is (not yet created).
     *
     * @return the scratch file's path, beside the target; the writer creates the file
     */
    public Path path() {
      return path;
    }

    /** Deletes the scratch file. */
    @Override
    public void close() {
      deleteQuietly(path);
      IN_FLIGHT.remove(path);
    }
  }

  /**
   * Checks that {@code target} may be replaced by a regular file: it does not exist, or it is a
   * regular file or a symbolic link to one.
   *
   * @param target the file about to be published
   * @return the file to replace: {@code target} made absolute, or the file its link points to
   * @throws IOException naming the target and what it is (a directory, a FIFO, a character device,
   *     ...) when it is anything else
   */
  public static Path checkTarget(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (absolute.getFileName() == null) {
      throw new FileSystemException(
          Messages.path(target), null, "is a directory; expected a file name" + REFUSED);
    }
    BasicFileAttributes link;
    try {
      link = Files.readAttributes(absolute, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return absolute;
    }
    if (link.isRegularFile()) {
      return absolute;
    }
    String kind = kind(absolute);
    if (kind != null) {
      throw new FileSystemException(
          Messages.path(target), null, kind + ", not a regular file" + REFUSED);
    }
    return absolute.toRealPath(); // a link to a regular file: write where it points
  }

  /**
   * What a path that is not a regular file is ("is a directory", "is a FIFO", "is a character
   * device", ...), following links; {@code null} for a regular file or a link to one.
   */
  static String kind(Path path) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return "is a symbolic link to a missing file";
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "is a directory";
    }
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode");
      switch (mode & 0170000) {
        case 0010000:
          return "is a FIFO";
        case 0020000:
          return "is a character device";
        case 0060000:
          return "is a block device";
        case 0140000:
          return "is a socket";
        default:
          break;
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // no unix view (Windows): the generic words below
    }
    return "is a device or other special file";
  }

  /**
   * A fresh temporary name for {@code base} in {@code dir}: {@code .base.tmp-PID-N}, which {@link
   * #isTemporary} recognises and {@link #deleteStale} deletes once process PID has ended.
   *
   * @param dir the directory the temporary lies in (the target's)
   * @param base the target's file name
   * @return {@code dir/.base.tmp-PID-N}, unique within this process; not created
   */
  public static Path temporary(Path dir, String base) {
    return dir.resolve(
        "." + base + TMP_MARK + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
  }

  /**
   * True for a name {@link #temporary} makes, with any suffix.
   *
   * @param fileName a file name, without directory
   * @return true when {@code fileName} has the {@code .NAME.tmp-PID-N} form
   */
  public static boolean isTemporary(String fileName) {
    return TMP_NAME.matcher(fileName).matches();
  }

  /**
   * Deletes the temporaries ({@link #temporary} names: files and directories) in {@code dir} whose
   * writer process no longer runs: what a writer killed with SIGKILL left. A temporary of a live
   * process is never touched. Errors are ignored (this is tidying, not publishing).
   *
   * @param dir the directory to tidy; a missing one is no error
   * @return how many were deleted
   */
  public static int deleteStale(Path dir) {
    int n = 0;
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(dir, p -> isTemporary(p.getFileName().toString()))) {
      for (Path p : entries) {
        Matcher m = TMP_NAME.matcher(p.getFileName().toString());
        if (m.matches() && !alive(m.group(1)) && deleteQuietly(p)) {
          n++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable directory: the publish itself says what is wrong
    }
    return n;
  }

  private static boolean alive(String pid) {
    try {
      Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid));
      return p.map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not a name we made: leave it
    }
  }

  /**
   * An {@code IOException} as one line for a user, naming the file, without the exception's class
   * name; a full disk says so.
   *
   * @param e the exception, with or without a file name
   * @return one line, e.g. {@code /data/out.ckpt: No space left on device} or {@code ...:
   *     permission denied}
   */
  public static String describe(IOException e) {
    String reason =
        e instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : e.getMessage();
    if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof FileAlreadyExistsException && reason == null) {
      reason = "already exists";
    }
    if (reason == null) {
      reason = e.getClass().getSimpleName();
    }
    String file = e instanceof FileSystemException f ? f.getFile() : null;
    return Messages.oneLine(file != null ? Messages.value(file) + ": " + reason : reason);
  }

  /**
   * True when {@code e} (or a cause) is a full disk or an exceeded quota.
   *
   * @param e any throwable; its causes are followed
   * @return true when the message of {@code e} or a cause contains {@code No space left on device}
   *     (ENOSPC) or {@code quota exceeded} (EDQUOT)
   */
  public static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code e}, met while writing what becomes {@code target}, as the one line {@link #publish}
   * throws: naming the target, and saying when the disk is full.
   *
   * @param target the file being published
   * @param e what the write threw
   * @return a new {@code IOException} with the one-line message and {@code e} as its cause
   */
  public static IOException failed(Path target, IOException e) {
    return failure(target.toAbsolutePath().normalize(), e, false);
  }

  private static IOException failure(Path file, IOException e, boolean renamed) {
    if (renamed) {
      // the new file is in place; only the directory fsync failed
      return new IOException(
          Messages.path(file)
              + ": written, but its directory could not be synced: "
              + describeReason(e),
          e);
    }
    if (diskFull(e)) {
      return new IOException(
          Messages.path(file)
              + ": the disk is full (No space left on device) while writing it;"
              + " the file was not replaced",
          e);
    }
    String message = e.getMessage();
    if (message != null && message.endsWith(REFUSED)) {
      return e; // checkTarget's line, naming the target
    }
    return new IOException(
        Messages.path(file)
            + ": cannot write: "
            + describeReason(e)
            + "; the file was not replaced",
        e);
  }

  private static String describeReason(IOException e) {
    return describe(e);
  }

  private static Path createParent(Path absolute) throws IOException {
    Path dir = absolute.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    deleteStale(dir);
    LegacyTemporaries.deleteStale(dir, Instant.now());
    if (SYSTEM_TEMPORARIES_CHECKED.compareAndSet(false, true)) {
      LegacyTemporaries.deleteStaleSystemTemporaries(
          Path.of(System.getProperty("java.io.tmpdir")), Instant.now());
    }
    return dir;
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + from.getFileName() + " to " + to + " atomically: " + e.getReason(), e);
    }
  }

  /**
   * fsyncs {@code dir}, so that renames in it survive a power loss. A file system that cannot sync
   * a directory (Windows) is skipped: there the rename itself is durable.
   *
   * @param dir the directory whose entries were renamed
   * @throws IOException when the sync fails on a file system that supports it
   */
  public static void forceDirectory(Path dir) throws IOException {
    FileChannel d;
    try {
      d = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      return; // a directory cannot be opened for reading here (Windows)
    }
    try (d) {
      d.force(true);
    }
  }

  /** fsyncs every regular file under {@code root}, then every directory, deepest first. */
  private static void forceTree(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        try (FileChannel f = FileChannel.open(p, StandardOpenOption.WRITE)) {
          f.force(true);
        }
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        forceDirectory(p);
      }
    }
  }

  private static void step(Step step, Path file) throws IOException {
    Listener l = listener;
    if (l != null) {
      l.before(step, file);
    }
  }

  /** Deletes a file, link or directory tree (never following links); true when it did. */
  static boolean deleteQuietly(Path p) {
    try {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        PathUtils.deleteDirectory(p);
        return true;
      }
      return Files.deleteIfExists(p);
    } catch (IOException | RuntimeException e) {
      return false; // a leftover temporary; the next publish here deletes it
    }
  }
}
