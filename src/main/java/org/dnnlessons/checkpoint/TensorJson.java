package org.dnnlessons.checkpoint;

import java.util.List;
import java.util.Locale;

/**
 * The JSON form of {@code inspect --json}: {@code {"tensors":[{"name":...,"dtype":"float32",
 * "shape":[784,256]}],"total_params":N}}, with {@code "values"} (flat, row-major) added to each
 * tensor when asked. Floats are written with the shortest digits that read back exactly; NaN and
 * infinities, which JSON lacks, as the strings {@code "NaN"}, {@code "Infinity"} and {@code
 * "-Infinity"}. A string element is a JSON string when its bytes are valid UTF-8, and otherwise an
 * object {@code {"base64":"..."}} holding the bytes in standard base64: an object is never a
 * string, so the bytes {@code \x00\xff} ({@code {"base64":"AP8="}}) and the text {@code
 * base64:AP8=} ({@code "base64:AP8="}) stay apart.
 */
public final class TensorJson {

  private TensorJson() {}

  /** Writes the tensors (and their values when {@code values}) of {@code reader} as JSON. */
  public static String write(CheckpointReader reader, List<TensorInfo> tensors, boolean values)
      throws CheckpointException {
    StringBuilder s = new StringBuilder("{\"tensors\":[");
    for (int i = 0; i < tensors.size(); i++) {
      TensorInfo t = tensors.get(i);
      s.append(i == 0 ? "" : ",")
          .append("{\"name\":")
          .append(quote(t.name()))
          .append(",\"dtype\":")
          .append(quote(t.numpyType()))
          .append(",\"shape\":[");
      long[] shape = t.shape();
      for (int d = 0; d < shape.length; d++) {
        s.append(d == 0 ? "" : ",").append(shape[d]);
      }
      s.append(']');
      if (values) {
        s.append(",\"values\":");
        appendValues(s, reader.read(t.name()));
      }
      s.append('}');
    }
    return s.append("],\"total_params\":").append(reader.totalParameters()).append('}').toString();
  }

  private static void appendValues(StringBuilder s, CheckpointTensor t) {
    s.append('[');
    switch (t.info().dtype()) {
      case DT_FLOAT -> {
        float[] v = t.floats();
        for (int i = 0; i < v.length; i++) {
          s.append(i == 0 ? "" : ",").append(number(v[i], Float.toString(v[i])));
        }
      }
      case DT_HALF, DT_BFLOAT16 -> {
        float[] v = t.halfFloats();
        for (int i = 0; i < v.length; i++) {
          s.append(i == 0 ? "" : ",").append(number(v[i], Float.toString(v[i])));
        }
      }
      case DT_DOUBLE -> {
        double[] v = t.doubles();
        for (int i = 0; i < v.length; i++) {
          s.append(i == 0 ? "" : ",").append(number(v[i], Double.toString(v[i])));
        }
      }
      case DT_BOOL -> {
        boolean[] v = t.booleans();
        for (int i = 0; i < v.length; i++) {
          s.append(i == 0 ? "" : ",").append(v[i]);
        }
      }
      case DT_STRING -> {
        for (int i = 0; i < t.strings().size(); i++) {
          s.append(i == 0 ? "" : ",").append(string(t.strings().get(i)));
        }
      }
      default -> {
        long[] v = t.longs();
        for (int i = 0; i < v.length; i++) {
          s.append(i == 0 ? "" : ",")
              .append(
                  t.info().dtype() == org.tensorflow.proto.DataType.DT_UINT64
                      ? Long.toUnsignedString(v[i])
                      : Long.toString(v[i]));
        }
      }
    }
    s.append(']');
  }

  private static String number(double v, String shortest) {
    if (Double.isNaN(v)) {
      return "\"NaN\"";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    return shortest.toLowerCase(Locale.ROOT);
  }

  /** A string element: JSON text when valid UTF-8, else {@code {"base64":"..."}}. */
  static String string(byte[] bytes) {
    var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
    try {
      return quote(decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      return "{\"base64\":\"" + java.util.Base64.getEncoder().encodeToString(bytes) + "\"}";
    }
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
