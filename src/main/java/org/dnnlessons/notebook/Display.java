package org.dnnlessons.notebook;

import java.util.Base64;

/**
 * Shows a picture in the notebook a cell runs in: {@code Display.png(bytes)}. In Jupyter (the
 * project's kernel) it becomes an image output; under {@code notebook run}/{@code verify} it is
 * recorded as one; elsewhere (a plain JShell) it prints a one-line placeholder.
 */
public final class Display {

  /** What a displayed PNG turns into. */
  interface Sink {
    void png(byte[] png);
  }

  /** The text that stands for an image in text comparisons and plain consoles. */
  public static final String PNG_PLACEHOLDER = "<image/png>";

  private static volatile Sink sink = png -> System.out.println(PNG_PLACEHOLDER);

  private Display() {}

  /**
   * Displays a PNG image.
   *
   * @param png the bytes of a PNG file; shown in Jupyter as {@code image/png}, or as a placeholder
   *     line by {@code notebook run}
   */
  public static void png(byte[] png) {
    sink.png(png);
  }

  static void sink(Sink value) {
    sink = value;
  }

  static String base64(byte[] png) {
    return Base64.getEncoder().encodeToString(png);
  }
}
