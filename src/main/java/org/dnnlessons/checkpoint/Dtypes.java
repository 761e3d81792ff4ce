package org.dnnlessons.checkpoint;

import java.util.Locale;
import org.tensorflow.proto.DataType;

/** What the pure-Java reader knows about each dtype it supports. */
final class Dtypes {

  private Dtypes() {}

  /** Bytes per element, or -1 for variable-length strings, or 0 when unsupported. */
  static int elementSize(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
      case DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16 -> 2;
      case DT_INT8, DT_UINT8, DT_BOOL -> 1;
      case DT_STRING -> -1;
      default -> 0;
    };
  }

  /** The name Python's TensorFlow gives the dtype: DT_FLOAT is float32, DT_HALF float16. */
  static String numpyName(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT -> "float32";
      case DT_DOUBLE -> "float64";
      case DT_HALF -> "float16";
      case DT_BFLOAT16 -> "bfloat16";
      case DT_BOOL -> "bool";
      case DT_STRING -> "string";
      default -> dtype.name().substring(3).toLowerCase(Locale.ROOT);
    };
  }

  /** The dtypes this reader decodes. */
  static boolean supported(DataType dtype) {
    return elementSize(dtype) != 0;
  }
}
