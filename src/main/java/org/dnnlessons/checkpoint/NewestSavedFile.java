package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The newest model file in a directory that has no {@code checkpoint} state file: what Keras's
 * {@code ModelCheckpoint("dir/epoch_{epoch:02d}.keras")} leaves (one {@code .keras}, {@code
 * .weights.h5} or {@code .h5} file per epoch, no state file), or checkpoints saved without one.
 * Python has no "latest" for such a directory either ({@code tf.train.latest_checkpoint} returns
 * {@code None}); the refusal names the file to pass instead.
 *
 * <p>Newest is by modification time (as {@code ls -t}), the later name on a tie. The directory is
 * read one entry at a time: its size bounds nothing held.
 */
final class NewestSavedFile {

  private NewestSavedFile() {}

  /**
   * A clause for the refusal of {@code dir}: {@code "; it holds 2 Keras files, the newest
   * epoch_02.keras: pass that file (DIR/epoch_02.keras)"}, or for checkpoints {@code "; it holds 3
   * checkpoints, the newest model.ckpt-300: pass that prefix (DIR/model.ckpt-300)"}; empty when it
   * holds neither (or cannot be listed).
   */
  static String hint(Path dir) {
    Path kerasNewest = null;
    FileTime kerasTime = null;
    long kerasCount = 0;
    Path prefixNewest = null;
    FileTime prefixTime = null;
    long prefixCount = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = String.valueOf(p.getFileName());
        boolean keras = name.endsWith(".keras") || name.endsWith(".h5");
        boolean index = name.endsWith(".index") && name.length() > ".index".length();
        if (!keras && !index) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue; // gone meanwhile
        }
        if (!a.isRegularFile()) {
          continue;
        }
        FileTime t = a.lastModifiedTime();
        if (keras) {
          kerasCount++;
          if (newer(t, p, kerasTime, kerasNewest)) {
            kerasNewest = p;
            kerasTime = t;
          }
        } else {
          Path prefix = p.resolveSibling(name.substring(0, name.length() - ".index".length()));
          prefixCount++;
          if (newer(t, prefix, prefixTime, prefixNewest)) {
            prefixNewest = prefix;
            prefixTime = t;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "";
    }
    if (kerasNewest != null) {
      return clause(kerasCount, "Keras file", kerasNewest, "file");
    }
    if (prefixNewest != null) {
      return clause(prefixCount, "checkpoint", prefixNewest, "prefix");
    }
    return "";
  }

  /** "; it holds 3 checkpoints, the newest model.ckpt-300: pass that prefix (DIR/...)". */
  private static String clause(long count, String kind, Path newest, String what) {
    return "; it holds "
        + (count == 1 ? "1 " + kind + ", " : count + " " + kind + "s, the newest ")
        + newest.getFileName()
        + ": pass that "
        + what
        + " ("
        + newest
        + ")";
  }

  private static boolean newer(FileTime t, Path p, FileTime bestTime, Path best) {
    if (best == null) {
      return true;
    }
    int c = t.compareTo(bestTime);
    return c > 0
        || (c == 0 && p.getFileName().toString().compareTo(best.getFileName().toString()) > 0);
  }
}
