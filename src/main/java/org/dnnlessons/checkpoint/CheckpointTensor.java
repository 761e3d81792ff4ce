package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.format.NumpyPrintOptions;
import org.dnnlessons.format.PythonBytes;
import org.tensorflow.proto.DataType;

/**
 * One tensor's values as read from a checkpoint by {@link CheckpointReader}: the raw little-endian
 * bytes of its elements, row-major, or its strings for {@code DT_STRING}.
 *
 * @param info name, dtype and shape
 * @param data the element bytes (empty for strings)
 * @param strings the elements of a string tensor (empty otherwise)
 */
public record CheckpointTensor(TensorInfo info, byte[] data, List<byte[]> strings) {

  private ByteBuffer buffer() {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  private int count() {
    return (int) info.numElements();
  }

  private void expect(DataType... types) {
    for (DataType t : types) {
      if (info.dtype() == t) {
        return;
      }
    }
    throw new IllegalStateException(
        "tensor '" + info.name() + "' is " + info.dtype() + ", expected " + Arrays.toString(types));
  }

  /**
   * The values of a float32 tensor.
   *
   * @return a new {@code float[]}, row-major; {@code IllegalStateException} for another dtype
   */
  public float[] floats() {
    expect(DataType.DT_FLOAT);
    float[] out = new float[count()];
    buffer().asFloatBuffer().get(out);
    return out;
  }

  /**
   * The values of a float64 tensor.
   *
   * @return a new {@code double[]}, row-major; {@code IllegalStateException} for another dtype
   */
  public double[] doubles() {
    expect(DataType.DT_DOUBLE);
    double[] out = new double[count()];
    buffer().asDoubleBuffer().get(out);
    return out;
  }

  /**
   * The values of any integer tensor (int8/16/32/64, uint8/16/32; uint64 above 2^63 wraps), or of a
   * bool tensor as 0/1.
   *
   * @return a new {@code long[]}, row-major; {@code IllegalStateException} for a dtype that is not
   *     an integer or bool
   */
  public long[] longs() {
    int n = count();
    long[] out = new long[n];
    ByteBuffer b = buffer();
    for (int i = 0; i < n; i++) {
      out[i] =
          switch (info.dtype()) {
            case DT_INT8 -> b.get(i);
            case DT_UINT8, DT_BOOL -> b.get(i) & 0xFF;
            case DT_INT16 -> b.getShort(2 * i);
            case DT_UINT16 -> b.getShort(2 * i) & 0xFFFF;
            case DT_INT32 -> b.getInt(4 * i);
            case DT_UINT32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
            case DT_INT64, DT_UINT64 -> b.getLong(8 * i);
            default ->
                throw new IllegalStateException(
                    "tensor '" + info.name() + "' is " + info.dtype() + ", not an integer or bool");
          };
    }
    return out;
  }

  /**
   * The values of a bool tensor.
   *
   * @return a new {@code boolean[]}, row-major; {@code IllegalStateException} for another dtype
   */
  public boolean[] booleans() {
    expect(DataType.DT_BOOL);
    boolean[] out = new boolean[count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[i] != 0;
    }
    return out;
  }

  /**
   * The values of a float16 or bfloat16 tensor, widened exactly to float32.
   *
   * @return a new {@code float[]}, row-major; {@code IllegalStateException} for another dtype
   */
  public float[] halfFloats() {
    expect(DataType.DT_HALF, DataType.DT_BFLOAT16);
    float[] out = new float[count()];
    ByteBuffer b = buffer();
    for (int i = 0; i < out.length; i++) {
      short bits = b.getShort(2 * i);
      out[i] =
          info.dtype() == DataType.DT_BFLOAT16
              ? Float.intBitsToFloat((bits & 0xFFFF) << 16)
              : halfToFloat(bits);
    }
    return out;
  }

  /** IEEE 754 binary16 to float32, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(short half) {
    int h = half & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24, exact in float32
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /**
   * The values as numpy prints them, e.g. {@code [[ 0.1 -0.5]]}.
   *
   * @return what numpy's {@code print} shows for the values, in the tensor's shape
   */
  public String format() {
    return format(NumpyPrintOptions.DEFAULT);
  }

  /**
   * The values as numpy prints them under {@code np.set_printoptions(threshold=.., edgeitems=..)}.
   *
   * @param options when and how numpy summarizes the array
   * @return what numpy's {@code print} shows for the values under those options
   */
  public String format(NumpyPrintOptions options) {
    long[] shape = info.shape();
    return switch (info.dtype()) {
      case DT_FLOAT -> NumpyFormat.format(floats(), shape, options);
      case DT_DOUBLE -> NumpyFormat.format(doubles(), shape, options);
      case DT_HALF -> NumpyFormat.formatHalf(halfFloats(), shape, options);
      case DT_BFLOAT16 -> NumpyFormat.formatBfloat16(halfFloats(), shape, options);
      case DT_BOOL -> NumpyFormat.format(booleans(), shape, options);
      case DT_STRING -> formatStrings(options);
      default -> NumpyFormat.format(longs(), shape, options);
    };
  }

  private String formatStrings(NumpyPrintOptions options) {
    List<String> reprs = new ArrayList<>(strings.size());
    for (byte[] b : strings) {
      reprs.add(PythonBytes.repr(b));
    }
    return NumpyFormat.formatObjects(reprs, info.shape(), options);
  }
}
