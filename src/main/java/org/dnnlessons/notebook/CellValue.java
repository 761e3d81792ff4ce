package org.dnnlessons.notebook;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.dnnlessons.format.NumpyFormat;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * How a cell's value (its last expression) is shown, in Jupyter and by {@code notebook run}: a
 * tensor as numpy prints the array ({@code t} shows {@code [[1. 2.]\n [3. 4.]]}, as {@code
 * print(sess.run(t))} does in Python), an image as a picture, anything else as its {@code
 * toString()}.
 */
final class CellValue {

  private CellValue() {}

  /**
   * The value as text: numpy's format for float32, float64, int32, int64 and bool tensors (the
   * tensor stays open), {@link Display#PNG_PLACEHOLDER} for an image, {@code String.valueOf}
   * otherwise.
   */
  static String text(Object value) {
    if (value instanceof TFloat32 t) {
      return NumpyFormat.format(t);
    }
    if (value instanceof TFloat64 t) {
      double[] v = new double[size(t)];
      t.copyTo(DataBuffers.of(v, false, false));
      return NumpyFormat.format(v, t.shape().asArray());
    }
    if (value instanceof TInt32 t) {
      int[] v = new int[size(t)];
      t.copyTo(DataBuffers.of(v, false, false));
      long[] widened = new long[v.length];
      for (int i = 0; i < v.length; i++) {
        widened[i] = v[i];
      }
      return NumpyFormat.format(widened, t.shape().asArray());
    }
    if (value instanceof TInt64 t) {
      long[] v = new long[size(t)];
      t.copyTo(DataBuffers.of(v, false, false));
      return NumpyFormat.format(v, t.shape().asArray());
    }
    if (value instanceof TBool t) {
      boolean[] v = new boolean[size(t)];
      t.copyTo(DataBuffers.of(v, false, false));
      return NumpyFormat.format(v, t.shape().asArray());
    }
    if (value instanceof RenderedImage) {
      return Display.PNG_PLACEHOLDER;
    }
    return String.valueOf(value);
  }

  /** The value as a PNG picture when it is an image ({@code BufferedImage}), else {@code null}. */
  static byte[] png(Object value) {
    if (!(value instanceof RenderedImage image)) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the image as PNG", e);
    }
    return out.toByteArray();
  }

  private static int size(Tensor t) {
    return Math.toIntExact(t.shape().size());
  }
}
