package org.dnnlessons.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Reads a small input (a {@code checkpoint} state file, a kernel spec, a notebook's JSON) whole,
 * from a regular file only: a FIFO, a device such as {@code /dev/zero} or a directory, or a link to
 * one, is refused at once, before it is opened (opening a FIFO would block until a writer came;
 * reading {@code /dev/zero} would never end, and {@code Files.size} of a device is 0). At most
 * {@code limit} bytes are read, whatever the file's size claims, so memory stays bounded even when
 * the file grows while it is read.
 */
public final class SmallFiles {

  private SmallFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @param limit the most bytes accepted
   * @param file the file to read; links are followed
   * @return all of its bytes, at most {@code limit}
   * @throws NoSuchFileException when it does not exist
   * @throws IOException one line naming the file when it is not a regular file (after following
   *     links) or holds more than {@code limit} bytes
   */
  public static byte[] read(Path file, int limit) throws IOException {
    checkRegular(file);
    long size = Files.size(file);
    if (size > limit) {
      throw tooLarge(file, limit);
    }
    try (InputStream in =
        BoundedInputStream.builder()
            .setInputStream(Files.newInputStream(file))
            .setMaxCount(limit + 1L)
            .get()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length > limit) {
        throw tooLarge(file, limit);
      }
      return bytes;
    }
  }

  /**
   * Checks that {@code file} is a regular file or a link to one.
   *
   * @param file the path to check
   * @throws NoSuchFileException when it does not exist (a dangling link included)
   * @throws IOException naming the file and what it is otherwise
   */
  public static void checkRegular(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new FileSystemException(
          Messages.path(file), null, FilePublisher.kind(file) + ", not a regular file");
    }
  }

  private static IOException tooLarge(Path file, int limit) {
    return new FileSystemException(
        Messages.path(file), null, "larger than the " + limit + " bytes accepted for this file");
  }
}
