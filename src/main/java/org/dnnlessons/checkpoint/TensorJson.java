package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.tensorflow.proto.DataType;

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

  /**
   * Writes the tensors (and their values when {@code values}) of {@code reader} as JSON.
   *
   * @param reader the checkpoint the tensors are read from
   * @param tensors the entries to write, in order (from {@link CheckpointReader#tensors()})
   * @param values true to write each tensor's values, false for names, dtypes and shapes only
   * @return the JSON text
   * @throws CheckpointException when a tensor cannot be read or fails its checksum
   */
  public static String write(CheckpointReader reader, List<TensorInfo> tensors, boolean values)
      throws CheckpointException {
    StringBuilder s = new StringBuilder();
    try {
      write(reader, tensors, values, s);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringBuilder does not throw
    }
    return s.toString();
  }

  /** Tensors above this many bytes are streamed to the output, a chunk at a time. */
  static final long STREAM_BYTES = 16L << 20;

  /**
   * Writes the JSON to {@code out} as it goes: a tensor larger than 16 MiB is streamed ({@link
   * CheckpointReader#stream}), so memory stays bounded whatever the tensors' sizes; its checksums
   * are verified before its first value is written.
   *
   * @param reader the checkpoint the tensors are read from
   * @param tensors the entries to write, in order (from {@link CheckpointReader#tensors()})
   * @param values true to write each tensor's values, false for names, dtypes and shapes only
   * @param out receives the JSON text
   * @throws CheckpointException when a tensor cannot be read or fails its checksum; what was
   *     written is then incomplete
   * @throws IOException when {@code out} fails
   */
  public static void write(
      CheckpointReader reader, List<TensorInfo> tensors, boolean values, Appendable out)
      throws CheckpointException, IOException {
    out.append("{\"tensors\":[");
    for (int i = 0; i < tensors.size(); i++) {
      TensorInfo t = tensors.get(i);
      StringBuilder s = new StringBuilder();
      appendEntryStart(s, t, i == 0);
      if (values) {
        s.append(",\"values\":");
        int size = Dtypes.elementSize(t.dtype());
        if (size > 0 && t.numElements() * size > STREAM_BYTES) {
          out.append(s);
          s.setLength(0);
          stream(reader, t, out);
        } else {
          appendValues(s, reader.read(t.name()));
        }
      }
      s.append('}');
      out.append(s);
    }
    out.append("],\"total_params\":").append(Long.toString(reader.totalParameters())).append("}");
  }

  private static void stream(CheckpointReader reader, TensorInfo t, Appendable out)
      throws CheckpointException, IOException {
    int size = Dtypes.elementSize(t.dtype());
    boolean[] first = {true};
    IOException[] failed = {null};
    out.append('[');
    reader.stream(
        t.name(),
        chunk -> {
          ByteBuffer b = chunk.slice().order(ByteOrder.LITTLE_ENDIAN);
          StringBuilder s = new StringBuilder();
          for (int k = 0; k < b.remaining() && failed[0] == null; k += size) {
            s.append(first[0] ? "" : ",");
            first[0] = false;
            element(s, t.dtype(), b, k);
            if (s.length() >= 1 << 16 || k + size >= b.remaining()) {
              try {
                out.append(s);
              } catch (IOException e) {
                failed[0] = e;
              }
              s.setLength(0);
            }
          }
        });
    if (failed[0] != null) {
      throw failed[0];
    }
    out.append(']');
  }

  /** Appends the element at byte {@code at} of {@code b}. */
  private static void element(StringBuilder s, DataType dtype, ByteBuffer b, int at) {
    switch (dtype) {
      case DT_FLOAT -> {
        float v = b.getFloat(at);
        s.append(number(v, Float.toString(v)));
      }
      case DT_DOUBLE -> {
        double v = b.getDouble(at);
        s.append(number(v, Double.toString(v)));
      }
      case DT_HALF -> {
        float v = CheckpointTensor.halfToFloat(b.getShort(at));
        s.append(number(v, Float.toString(v)));
      }
      case DT_BFLOAT16 -> {
        float v = Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
        s.append(number(v, Float.toString(v)));
      }
      case DT_BOOL -> s.append(b.get(at) != 0);
      case DT_INT8 -> s.append(b.get(at));
      case DT_UINT8 -> s.append(b.get(at) & 0xFF);
      case DT_INT16 -> s.append(b.getShort(at));
      case DT_UINT16 -> s.append(b.getShort(at) & 0xFFFF);
      case DT_INT32 -> s.append(b.getInt(at));
      case DT_UINT32 -> s.append(b.getInt(at) & 0xFFFFFFFFL);
      case DT_INT64 -> s.append(b.getLong(at));
      case DT_UINT64 -> s.append(Long.toUnsignedString(b.getLong(at)));
      default -> throw new IllegalStateException("not a fixed-size dtype: " + dtype);
    }
  }

  /**
   * {@code ,{"name":...,"dtype":...,"shape":[...]}} up to the shape (no comma before the first).
   */
  private static void appendEntryStart(StringBuilder s, TensorInfo t, boolean first) {
    s.append(first ? "" : ",")
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
  }

  /**
   * Writes tensors already read (a Keras weights file's, for example) as {@link
   * #write(CheckpointReader, List, boolean)} does.
   *
   * @param tensors tensors already read, in order
   * @param values true to write each tensor's values
   * @return the JSON text
   */
  public static String write(List<CheckpointTensor> tensors, boolean values) {
    StringBuilder s = new StringBuilder("{\"tensors\":[");
    long total = 0;
    for (int i = 0; i < tensors.size(); i++) {
      TensorInfo t = tensors.get(i).info();
      total += t.numElements();
      appendEntryStart(s, t, i == 0);
      if (values) {
        s.append(",\"values\":");
        appendValues(s, tensors.get(i));
      }
      s.append('}');
    }
    return s.append("],\"total_params\":").append(total).append('}').toString();
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
                  t.info().dtype() == DataType.DT_UINT64
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
    var decoder = StandardCharsets.UTF_8.newDecoder();
    try {
      return quote(decoder.decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return "{\"base64\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
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
