package org.dnnlessons.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** Finishing touches before a temporary file is renamed into place. */
final class Publish {

  private Publish() {}

  /**
   * Gives a temporary file the usual {@code rw-r--r--}: {@link Files#createTempFile} makes it
   * private to its owner, which a finished data file should not be.
   */
  static void readableByAll(Path tmp) throws IOException {
    if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
