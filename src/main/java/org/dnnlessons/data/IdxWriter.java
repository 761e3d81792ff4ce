package org.dnnlessons.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.dnnlessons.files.FilePublisher;

/**
 * Writes gzip-compressed IDX files, the format {@link IdxReader} reads. Each file is written under
 * a temporary name and renamed when complete, so a reader never sees half a file.
 *
 * <p>The gzip header carries no time stamp or file name, so the same data always gives the same
 * bytes (with the same zlib).
 */
public final class IdxWriter {

  private IdxWriter() {}

  /**
   * Writes an idx3 image file.
   *
   * @param file the file to write, gzip-compressed (as MNIST is distributed); replaced atomically
   *     when it exists
   * @param images the images to store
   * @throws IOException one line naming the file when it cannot be written
   */
  public static void writeImages(Path file, IdxImages images) throws IOException {
    write(
        file,
        out -> {
          out.writeInt(IdxReader.IMAGES_MAGIC);
          out.writeInt(images.count());
          out.writeInt(images.rows());
          out.writeInt(images.columns());
          out.write(images.pixels());
        });
  }

  /**
   * Writes an idx1 label file.
   *
   * @param file the file to write, gzip-compressed (as MNIST is distributed); replaced atomically
   *     when it exists
   * @param labels class ids, one byte per example
   * @throws IOException one line naming the file when it cannot be written
   */
  public static void writeLabels(Path file, byte[] labels) throws IOException {
    write(
        file,
        out -> {
          out.writeInt(IdxReader.LABELS_MAGIC);
          out.writeInt(labels.length);
          out.write(labels);
        });
  }

  private interface Body {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private static void write(Path file, Body body) throws IOException {
    FilePublisher.publish(
        file,
        raw -> {
          try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw, 1 << 16))) {
            body.writeTo(out);
          }
        });
  }
}
