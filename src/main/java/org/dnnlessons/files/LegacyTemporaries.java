package org.dnnlessons.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporaries that earlier versions of the product left when killed, and that {@link
 * FilePublisher#deleteStale} does not know, since their names hold no process id: {@code
 * Files.createTempFile} and {@code createTempDirectory} names with a random number.
 *
 * <ul>
 *   <li>beside a target: {@code .NAME<digits>.tmp}, {@code .png} or {@code .part} files, and {@code
 *       .NAME.tmp<digits>} directories (a SavedModel export);
 *   <li>in {@code java.io.tmpdir}: {@code dnn-lessons-export<digits>.weights.h5} (the weights of a
 *       {@code .keras} export) and {@code dnn-lessons-keras<digits>.weights.h5} (a {@code .keras}
 *       archive's weights being read).
 * </ul>
 *
 * <p>One is deleted only when nothing can be using it: last modified more than {@link #STALE_AFTER}
 * ago (newest file of a directory), and open in no process this user can see ({@code
 * /proc/PID/fd}). Links are never followed, and a name of the right form but the wrong kind (a
 * link, a directory named like a file) is left alone.
 */
final class LegacyTemporaries {

  /** How long a legacy temporary must have been left untouched before it is deleted. */
  static final Duration STALE_AFTER = Duration.ofMinutes(10);

  private static final Pattern FILE = Pattern.compile("\\..+\\d{6,20}\\.(tmp|png|part)");
  private static final Pattern DIRECTORY = Pattern.compile("\\..+\\.tmp\\d{6,20}");
  private static final Pattern SYSTEM_TEMPORARY =
      Pattern.compile("dnn-lessons-(export|keras)\\d{6,20}\\.weights\\.h5");

  private LegacyTemporaries() {}

  /**
   * Deletes the legacy temporaries beside targets in {@code dir} that nothing uses.
   *
   * @param dir a directory files are published into
   * @param now the time staleness is measured from
   * @return how many were deleted
   */
  static int deleteStale(Path dir, Instant now) {
    return delete(dir, now, false);
  }

  /**
   * Deletes the legacy weights files in {@code tmpdir} ({@code java.io.tmpdir}) that nothing uses.
   *
   * @param tmpdir the system's temporary directory
   * @param now the time staleness is measured from
   * @return how many were deleted
   */
  static int deleteStaleSystemTemporaries(Path tmpdir, Instant now) {
    return delete(tmpdir, now, true);
  }

  private static int delete(Path dir, Instant now, boolean system) {
    int n = 0;
    Set<Path> open = null;
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(dir, p -> kind(p.getFileName().toString(), system) != null)) {
      for (Path p : entries) {
        String kind = kind(p.getFileName().toString(), system);
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean fits = kind.equals("file") ? a.isRegularFile() : a.isDirectory();
        if (!fits || newest(p, a).toInstant().isAfter(now.minus(STALE_AFTER))) {
          continue;
        }
        if (open == null) {
          open = openFiles();
        }
        if (!inUse(p, open) && FilePublisher.deleteQuietly(p)) {
          n++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // tidying only: an unreadable directory or entry is left as it is
    }
    return n;
  }

  /** "file", "directory" or null: which legacy temporary {@code name} is. */
  private static String kind(String name, boolean system) {
    if (system) {
      return SYSTEM_TEMPORARY.matcher(name).matches() ? "file" : null;
    }
    if (FILE.matcher(name).matches()) {
      return "file";
    }
    return DIRECTORY.matcher(name).matches() ? "directory" : null;
  }

  /** The last modification of {@code p}, or of the newest entry under it for a directory. */
  private static FileTime newest(Path p, BasicFileAttributes a) throws IOException {
    if (!a.isDirectory()) {
      return a.lastModifiedTime();
    }
    FileTime newest = a.lastModifiedTime();
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk::iterator) {
        FileTime t = Files.getLastModifiedTime(q, LinkOption.NOFOLLOW_LINKS);
        if (t.compareTo(newest) > 0) {
          newest = t;
        }
      }
    }
    return newest;
  }

  /** Whether {@code p}, or a file under it, is one of {@code open}. */
  private static boolean inUse(Path p, Set<Path> open) {
    Path absolute = p.toAbsolutePath().normalize();
    for (Path o : open) {
      if (o.startsWith(absolute)) {
        return true;
      }
    }
    return false;
  }

  /** The files open in the processes whose {@code /proc/PID/fd} this user can read. */
  static Set<Path> openFiles() {
    Set<Path> open = new HashSet<>();
    try (DirectoryStream<Path> processes =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path process : processes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
          for (Path fd : fds) {
            try {
              open.add(Files.readSymbolicLink(fd).normalize());
            } catch (IOException | RuntimeException e) {
              // closed meanwhile
            }
          }
        } catch (IOException | RuntimeException e) {
          // another user's process, or ended
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux): staleness by age alone
    }
    return open;
  }
}
