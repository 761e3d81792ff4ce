package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recovery set that keeps an overwritten checkpoint restorable until its replacement is
 * complete. Before a save replaces the checkpoint at {@code dir/NAME}, its files are hard-linked
 * (copied where links are not supported) to {@code dir/.NAME.previous.data-…}, {@code .meta} and,
 * last, {@code .index}; only then is {@code NAME.index} deleted and the new files renamed in; once
 * the new {@code NAME.index} is in place the recovery set is deleted, its index first.
 *
 * <p>So at every moment a reader finds the old checkpoint or the new one whole: {@code NAME.index}
 * present means {@code NAME} is complete; absent, {@code .NAME.previous} is (readers of this
 * package fall back to it: {@link CheckpointState#resolve}, {@link CheckpointReader#open}, {@link
 * Saver#restore}). A save killed in between leaves the recovery set; the next save into the
 * directory, holding its lock, {@linkplain #recoverAll puts it back} (when {@code NAME.index} is
 * missing) or deletes it (when the new index made it). Python's readers do not know the recovery
 * name: for them the prefix is absent during that window, as it was before.
 */
final class Recovery {

  /** Appended to {@code .NAME}: the recovery prefix of {@code NAME}. */
  static final String SUFFIX = ".previous";

  private static final Pattern RECOVERY_INDEX =
      Pattern.compile("\\.(.+)" + Pattern.quote(SUFFIX) + "\\.index");

  private Recovery() {}

  /** The recovery prefix of {@code prefix}: {@code dir/.NAME.previous}. */
  static Path prefixOf(Path prefix) {
    return prefix.resolveSibling("." + prefix.getFileName() + SUFFIX);
  }

  /**
   * The prefix a reader should open for {@code prefix}: {@code prefix} itself when its index
   * exists, its recovery prefix when only that one's index does (an overwrite is under way or was
   * killed), otherwise {@code null}.
   */
  static Path readable(Path prefix) {
    if (prefix.getFileName() == null) {
      return null;
    }
    if (Files.isRegularFile(Path.of(prefix + ".index"))) {
      return prefix;
    }
    Path r = prefixOf(prefix);
    return Files.isRegularFile(Path.of(r + ".index")) ? r : null;
  }

  /**
   * Links the checkpoint at {@code prefix} ({@code data} and its {@code .meta}, then its index) to
   * its recovery name and fsyncs the directory; a stale recovery set is replaced.
   *
   * @return true when there was a complete checkpoint to keep (its {@code .index} exists)
   */
  static boolean keep(Path prefix, List<Path> data) throws IOException {
    Path index = Path.of(prefix + ".index");
    if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    discard(prefix);
    Path r = prefixOf(prefix);
    String name = prefix.getFileName().toString();
    List<Path> files = new ArrayList<>(data);
    Path meta = Path.of(prefix + ".meta");
    if (Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) {
      files.add(meta);
    }
    files.add(index); // last: a recovery set whose index exists is complete
    for (Path f : files) {
      String suffix = f.getFileName().toString().substring(name.length());
      link(f, Path.of(r + suffix));
    }
    DurableFiles.forceDirectory(prefix.toAbsolutePath().getParent());
    return true;
  }

  /** Deletes the recovery set of {@code prefix}, its index first. */
  static void discard(Path prefix) throws IOException {
    Path r = prefixOf(prefix);
    DurableFiles.delete(Path.of(r + ".index"));
    for (Path f : files(r)) {
      DurableFiles.delete(f);
    }
  }

  /**
   * Settles every recovery set in {@code dir} a killed save left: put back where its prefix has no
   * index (the overwrite did not finish), deleted where it has (it did), deleted when it has no
   * index itself (the save was killed while making it). Call it only while holding the directory's
   * {@link CheckpointDirectoryLock}.
   *
   * @return how many were put back
   */
  static int recoverAll(Path dir) throws IOException {
    List<Path> prefixes = new ArrayList<>();
    List<Path> orphans = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, f -> isRecoveryFile(f))) {
      for (Path f : all) {
        Matcher m = RECOVERY_INDEX.matcher(f.getFileName().toString());
        if (m.matches()) {
          prefixes.add(dir.resolve(m.group(1)));
        } else {
          orphans.add(f);
        }
      }
    }
    int restored = 0;
    for (Path prefix : prefixes) {
      if (!Files.isRegularFile(Path.of(prefix + ".index"), LinkOption.NOFOLLOW_LINKS)) {
        rollBack(prefix);
        restored++;
      }
      discard(prefix);
    }
    for (Path f : orphans) {
      Path r = recoveryPrefixOfFile(f);
      if (r != null && !Files.exists(Path.of(r + ".index"), LinkOption.NOFOLLOW_LINKS)) {
        DurableFiles.delete(f);
      }
    }
    return restored;
  }

  /**
   * Puts the recovery set of {@code prefix} back under {@code prefix}: each file linked to a
   * temporary name and renamed over the prefix's file, the index last, so the recovery set stays
   * whole until the prefix is; then the directory is fsynced.
   */
  private static void rollBack(Path prefix) throws IOException {
    Path r = prefixOf(prefix);
    String rName = r.getFileName().toString();
    Path dir = prefix.toAbsolutePath().getParent();
    List<String> suffixes = new ArrayList<>();
    for (Path f : files(r)) {
      suffixes.add(f.getFileName().toString().substring(rName.length()));
    }
    // shards of the unfinished new checkpoint that the old one does not have
    String name = prefix.getFileName().toString();
    for (Path f : files(prefix)) {
      String suffix = f.getFileName().toString().substring(name.length());
      if (!suffixes.contains(suffix) && !suffix.equals(".index")) {
        DurableFiles.delete(f);
      }
    }
    suffixes.add(".index");
    for (String suffix : suffixes) {
      Path from = Path.of(r + suffix);
      Path to = Path.of(prefix + suffix);
      if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(from, to)) {
        continue; // still the old file (a rename onto its own link would do nothing)
      }
      Path tmp = DurableFiles.temporary(dir, name + suffix);
      try {
        link(from, tmp);
        DurableFiles.move(tmp, to);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    DurableFiles.forceDirectory(dir);
  }

  /** A hard link {@code to} → {@code from}; a durable copy where links are not supported. */
  private static void link(Path from, Path to) throws IOException {
    DurableFiles.step(DurableFiles.Step.LINK, to);
    try {
      Files.createLink(to, from);
      return;
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (e instanceof FileAlreadyExistsException) {
        throw (IOException) e;
      }
      // a file system without hard links: copy below
    }
    Path tmp = DurableFiles.temporary(to.toAbsolutePath().getParent(), to.getFileName().toString());
    try {
      Files.copy(from, tmp);
      DurableFiles.force(tmp);
      DurableFiles.move(tmp, to);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The data, meta (not index) files of the checkpoint at {@code prefix}. */
  private static List<Path> files(Path prefix) throws IOException {
    Path dir = prefix.toAbsolutePath().getParent();
    Pattern own =
        Pattern.compile(
            Pattern.quote(prefix.getFileName().toString()) + "\\.(meta|data-\\d{5}-of-\\d{5})");
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all =
        Files.newDirectoryStream(dir, f -> own.matcher(f.getFileName().toString()).matches())) {
      all.forEach(files::add);
    }
    return files;
  }

  private static final Pattern RECOVERY_FILE =
      Pattern.compile("(\\..+" + Pattern.quote(SUFFIX) + ")\\.(index|meta|data-\\d{5}-of-\\d{5})");

  /** True for a file of a recovery set. */
  static boolean isRecoveryFile(Path f) {
    return RECOVERY_FILE.matcher(f.getFileName().toString()).matches();
  }

  private static Path recoveryPrefixOfFile(Path f) {
    Matcher m = RECOVERY_FILE.matcher(f.getFileName().toString());
    return m.matches() ? f.resolveSibling(m.group(1)) : null;
  }
}
