package org.dnnlessons.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A person's picture of a digit made into a 28×28 MNIST image, as the MNIST data set was made from
 * NIST's scans: the digit's bounding box is scaled to fit a 20×20 box preserving its aspect ratio,
 * anti-aliased (each pixel the area average of what it covers), then placed in the 28×28 field so
 * that its centre of mass is at the field's centre. {@code predict --image}, {@code predict
 * --images} and the drawing page of {@code serve} all go through {@link #preprocess}.
 *
 * <p>Before that, the picture becomes ink: luminance {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R
 * BT.601, Pillow's {@code convert("L")}), transparent pixels composited over white; dark-on-light
 * is told from light-on-dark by the mean of the border pixels (light border: ink is dark); the
 * border's mean ink is taken as background and subtracted, and the ink is stretched so its darkest
 * pixel is 1, as MNIST's digits reach 255. The result is float32 pixels from 0 (background) to 1
 * (ink), row-major, the scale of {@code input_data.read_data_sets}.
 *
 * <p>Python counterpart: the usual recipe with Pillow and {@code scipy.ndimage.center_of_mass};
 * this class is the one truth for the project (there is no Python copy).
 */
public final class DigitImage {

  /** Side of the MNIST field, in pixels. */
  public static final int SIDE = 28;

  /** Side of the box the digit's bounding box is scaled to fit, as MNIST's 20×20. */
  public static final int BOX = 20;

  /** Ink above this (after background removal and stretching) belongs to the bounding box. */
  public static final float INK_THRESHOLD = 0.1f;

  /** Largest picture side read, in pixels; larger ones are refused before decoding. */
  public static final int MAX_SIDE = 8192;

  /** Largest picture read, in pixels (a 4096×4096 image); larger ones are refused. */
  public static final long MAX_PIXELS = 4096L * 4096L;

  private DigitImage() {}

  /**
   * Reads a picture file (PNG, JPEG, GIF, BMP: what {@link ImageIO} decodes) and preprocesses it.
   *
   * @param file the picture file; at most the size limit this class states
   * @return 784 pixels from 0 to 1, row-major 28×28
   * @throws DatasetException when the file is not a picture, too large, or blank
   */
  public static float[] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return preprocess(decode(in, file.toString()), file.toString());
    }
  }

  /**
   * As {@link #read(Path)}, for a picture's bytes (the drawing page sends its canvas as PNG).
   *
   * @param source names the bytes in messages
   * @param picture the picture file's bytes (PNG, JPEG, GIF or BMP)
   * @return 784 pixels from 0 to 1, row-major 28×28, as the lesson's test images
   * @throws IOException a {@link DatasetException} naming {@code source} when the bytes are not a
   *     picture, too large, or blank
   */
  public static float[] read(byte[] picture, String source) throws IOException {
    return preprocess(decode(new ByteArrayInputStream(picture), source), source);
  }

  /** Decodes a picture, refusing one larger than {@link #MAX_SIDE} or {@link #MAX_PIXELS}. */
  static BufferedImage decode(InputStream in, String source) throws IOException {
    try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
      if (readers == null || !readers.hasNext()) {
        throw new DatasetException(source, "not a picture ImageIO can read (PNG, JPEG, GIF, BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1
            || height < 1
            || width > MAX_SIDE
            || height > MAX_SIDE
            || (long) width * height > MAX_PIXELS) {
          throw new DatasetException(
              source,
              String.format(
                  Locale.ROOT,
                  "picture is %dx%d pixels; expected at most %d pixels a side and %d in all",
                  width,
                  height,
                  MAX_SIDE,
                  MAX_PIXELS));
        }
        return reader.read(0);
      } catch (IOException | RuntimeException e) {
        if (e instanceof DatasetException d) {
          throw d;
        }
        throw new DatasetException(source, "damaged picture: " + e.getMessage(), e);
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * Makes {@code image} an MNIST digit (see the class description).
   *
   * @param image any decoded picture; colour is reduced to grey
   * @param source names the picture in messages
   * @return 784 pixels from 0 to 1, row-major 28×28
   * @throws DatasetException when no ink stands out from the background
   */
  public static float[] preprocess(BufferedImage image, String source) throws DatasetException {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] ink = luminance(image);
    // dark-on-light or light-on-dark: the border is background
    double border = 0;
    int borderCount = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
          border += ink[y * w + x];
          borderCount++;
        }
      }
    }
    border /= borderCount;
    boolean darkInk = border > 0.5;
    float background = (float) (darkInk ? 1 - border : border);
    float max = 0;
    for (int i = 0; i < ink.length; i++) {
      float v = darkInk ? 1 - ink[i] : ink[i];
      v = Math.max(0, v - background);
      ink[i] = v;
      max = Math.max(max, v);
    }
    if (max < INK_THRESHOLD) {
      throw new DatasetException(
          source, "no digit found: the picture is blank (no pixel stands out from its border)");
    }
    int left = w;
    int right = -1;
    int top = h;
    int bottom = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = ink[y * w + x] / max;
        ink[y * w + x] = v;
        if (v > INK_THRESHOLD) {
          left = Math.min(left, x);
          right = Math.max(right, x);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    int bw = right - left + 1;
    int bh = bottom - top + 1;
    // fit the bounding box into 20x20, aspect ratio kept
    double scale = (double) BOX / Math.max(bw, bh);
    int nw = Math.max(1, Math.min(BOX, (int) Math.round(bw * scale)));
    int nh = Math.max(1, Math.min(BOX, (int) Math.round(bh * scale)));
    float[] box = resizeArea(ink, w, left, top, bw, bh, nw, nh);
    // centre of mass, in pixel indices of the box
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < nh; y++) {
      for (int x = 0; x < nw; x++) {
        float v = box[y * nw + x];
        mass += v;
        mx += v * x;
        my += v * y;
      }
    }
    // the centre of mass goes to 14 in pixel indices, round(14 - mass centre) the offset: MNIST's
    // test digits drawn 10x larger come back pixel for pixel this way, one pixel off with 13.5
    double centre = SIDE / 2.0;
    int offsetX = clamp((int) Math.round(centre - mx / mass), 0, SIDE - nw);
    int offsetY = clamp((int) Math.round(centre - my / mass), 0, SIDE - nh);
    float[] out = new float[SIDE * SIDE];
    for (int y = 0; y < nh; y++) {
      for (int x = 0; x < nw; x++) {
        out[(y + offsetY) * SIDE + x + offsetX] = Math.min(1f, box[y * nw + x]);
      }
    }
    return out;
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /**
   * Luminance from 0 (black) to 1 (white) of each pixel, transparent pixels over white. Grey
   * pictures are read from their samples (not {@code getRGB}, which gamma-encodes a linear grey).
   */
  static float[] luminance(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] lum = new float[w * h];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    boolean grey =
        cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && raster.getNumBands() <= 2;
    if (grey) {
      float greyMax = (1 << cm.getComponentSize(0)) - 1;
      boolean alpha = cm.hasAlpha() && raster.getNumBands() == 2;
      float alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float g = raster.getSample(x, y, 0) / greyMax;
          float a = alpha ? raster.getSample(x, y, 1) / alphaMax : 1;
          lum[y * w + x] = g * a + (1 - a);
        }
      }
      return lum;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = image.getRGB(x, y);
        float a = ((argb >>> 24) & 0xff) / 255f;
        float r = ((argb >> 16) & 0xff) / 255f;
        float g = ((argb >> 8) & 0xff) / 255f;
        float b = (argb & 0xff) / 255f;
        float l = 0.299f * r + 0.587f * g + 0.114f * b;
        lum[y * w + x] = l * a + (1 - a);
      }
    }
    return lum;
  }

  /**
   * Resamples the {@code bw×bh} region at ({@code left}, {@code top}) of a {@code w}-wide image to
   * {@code nw×nh}, each output pixel the area-weighted mean of the input it covers (anti-aliased).
   */
  static float[] resizeArea(float[] in, int w, int left, int top, int bw, int bh, int nw, int nh) {
    // separable: columns first, then rows
    float[] cols = new float[bh * nw];
    for (int y = 0; y < bh; y++) {
      for (int x = 0; x < nw; x++) {
        cols[y * nw + x] = average(in, (top + y) * w + left, 1, bw, nw, x);
      }
    }
    float[] out = new float[nh * nw];
    for (int x = 0; x < nw; x++) {
      for (int y = 0; y < nh; y++) {
        out[y * nw + x] = average(cols, x, nw, bh, nh, y);
      }
    }
    return out;
  }

  /**
   * The mean of input cells [i * n / m, (i + 1) * n / m) of a line of {@code n} cells starting at
   * {@code start} with {@code stride}, weighting the cells at the ends by how much they overlap.
   */
  private static float average(float[] a, int start, int stride, int n, int m, int i) {
    double from = (double) i * n / m;
    double to = (double) (i + 1) * n / m;
    double sum = 0;
    for (int k = (int) Math.floor(from); k < Math.min(n, (int) Math.ceil(to)); k++) {
      double overlap = Math.min(to, k + 1) - Math.max(from, k);
      if (overlap > 0) {
        sum += overlap * a[start + k * stride];
      }
    }
    return (float) (sum / (to - from));
  }
}
