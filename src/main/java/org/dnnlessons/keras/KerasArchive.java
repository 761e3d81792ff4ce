package org.dnnlessons.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.files.Messages;

/**
 * A {@code .keras} archive's entries read as Python's {@code zipfile} reads them: the inflated
 * bytes counted with a limit as they stream (the size an entry declares is never trusted) and their
 * CRC-32 checked against the central directory's, so an entry with two changed bytes is refused as
 * Python refuses it ({@code BadZipFile: Bad CRC-32}). Entries are read into memory, never into a
 * temporary file: nothing is left on disk whatever happens.
 */
final class KerasArchive implements AutoCloseable {

  private final Path file;
  private final ZipFile zip;

  private KerasArchive(Path file, ZipFile zip) {
    this.file = file;
    this.zip = zip;
  }

  /** Opens {@code file}, a regular file holding a zip archive. */
  static KerasArchive open(Path file) throws CheckpointException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "not a regular file (a directory, device or FIFO)");
    }
    try {
      return new KerasArchive(file, new ZipFile(file.toFile()));
    } catch (ZipException e) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "not a readable zip archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
  }

  /** True when the archive has an entry {@code name}. */
  boolean has(String name) {
    return zip.getEntry(name) != null;
  }

  /**
   * The inflated bytes of entry {@code name}, at most {@code limit}, their CRC-32 checked.
   *
   * @param missing the reason given when there is no such entry
   */
  byte[] entry(String name, long limit, String missing) throws CheckpointException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new CheckpointException(file, CheckpointException.NO_OFFSET, missing);
    }
    long max = Math.min(limit, ReadLimits.MAX_IN_MEMORY_FILE - 1);
    int cap = (int) (max + 1);
    // the declared size only sizes the first buffer (within the limit); the count decides
    long declared = entry.getSize() < 0 ? 0 : entry.getSize();
    byte[] out = new byte[(int) Math.min(cap, Math.max(8192, declared + 1))];
    int n = 0;
    CRC32 crc = new CRC32();
    try (InputStream in = zip.getInputStream(entry)) {
      while (true) {
        if (n == out.length) {
          if (n >= cap) {
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(cap, out.length * 2L));
        }
        int read = in.read(out, n, out.length - n);
        if (read < 0) {
          break;
        }
        crc.update(out, n, read);
        n += read;
      }
    } catch (ZipException e) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, name + " in the archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "cannot read " + name + " in the archive: " + e.getMessage(),
          e);
    }
    if (n > max) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          name
              + " in the archive is larger than the "
              + max
              + " bytes this reader accepts"
              + (max < limit
                  ? " with a heap of " + Messages.bytes(Runtime.getRuntime().maxMemory())
                  : "")
              + " (inflated; the size it declares is not trusted)");
    }
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          String.format(
              Locale.ROOT,
              "%s in the archive fails its CRC-32 check (stored %08x, computed %08x): the archive is"
                  + " corrupt",
              name,
              entry.getCrc(),
              crc.getValue()));
    }
    if (entry.getSize() != -1 && entry.getSize() != n) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          name + " in the archive declares " + entry.getSize() + " bytes but holds " + n);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      // nothing was written; closing a read-only archive has nothing to lose
    }
  }
}
