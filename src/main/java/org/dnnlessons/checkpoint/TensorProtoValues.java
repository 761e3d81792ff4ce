package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * The values of one slice in a V1 checkpoint: a {@code TensorProto} inside the file's table, whose
 * blocks' CRC32C the reader checked when it opened. TensorFlow's V1 writer keeps values in the
 * typed repeated fields ({@code float_val}, {@code int_val}, ...), packed or not; {@code
 * tensor_content} is read too.
 *
 * @param file the V1 file
 * @param bytes the whole file
 * @param from where the {@code TensorProto} starts
 * @param to where it ends
 * @param dtype the slice's dtype
 * @param count how many elements it must hold
 */
record TensorProtoValues(Path file, byte[] bytes, int from, int to, DataType dtype, long count)
    implements StoredValues {

  @Override
  public byte[] bytes(String name) throws CheckpointException {
    int size = Dtypes.elementSize(dtype);
    BundleEntry.Wire w = wire(name);
    // every value takes at least one byte of the message
    if (count > to - from || count * size > CheckpointReader.MAX_ARRAY_BYTES) {
      throw new CheckpointException(
          file,
          from,
          "tensor '"
              + name
              + "' needs "
              + count
              + " values, more than its "
              + (to - from)
              + "-byte TensorProto holds");
    }
    ByteBuffer out = ByteBuffer.allocate((int) (count * size)).order(ByteOrder.LITTLE_ENDIAN);
    int field = valueField();
    long n = 0;
    boolean content = false;
    while (w.more()) {
      int start = w.pos;
      long tag = w.varint();
      int number = (int) (tag >>> 3);
      if (number == 4) { // tensor_content: the elements as they lie in memory
        byte[] c = w.message(tag).rest();
        if (c.length != out.capacity() || n > 0) {
          throw new CheckpointException(
              file,
              start,
              "tensor '"
                  + name
                  + "' has "
                  + c.length
                  + " bytes of tensor_content, expected "
                  + out.capacity());
        }
        out.put(c);
        content = true;
      } else if (number == field) {
        BundleEntry.Wire values = (tag & 7) == 2 ? w.message(tag) : null;
        do {
          if (n >= count || content) {
            throw new CheckpointException(
                file, start, "tensor '" + name + "' holds more than its " + count + " values");
          }
          long wireType = values != null ? packedType() : tag & 7;
          BundleEntry.Wire src = values != null ? values : w;
          long fieldTag = ((long) number << 3) | wireType;
          put(
              out,
              wireType == 5
                  ? src.fixed32Field(fieldTag)
                  : wireType == 1 ? src.fixed64Field(fieldTag) : src.varintField(fieldTag),
              size);
          n++;
        } while (values != null && values.more());
      } else {
        w.skip(tag);
      }
    }
    if (!content && n != count) {
      throw new CheckpointException(
          file, from, "tensor '" + name + "' holds " + n + " values, expected " + count);
    }
    return out.array();
  }

  @Override
  public List<byte[]> strings(String name, long n) throws CheckpointException {
    BundleEntry.Wire w = wire(name);
    if (n > to - from) {
      throw new CheckpointException(
          file,
          from,
          "string tensor '" + name + "' claims " + n + " values in " + (to - from) + " bytes");
    }
    List<byte[]> out = new ArrayList<>();
    while (w.more()) {
      long tag = w.varint();
      if ((tag >>> 3) == 8) {
        if (out.size() >= n) {
          throw new CheckpointException(
              file, w.pos, "string tensor '" + name + "' holds more than its " + n + " values");
        }
        out.add(w.message(tag).rest());
      } else {
        w.skip(tag);
      }
    }
    if (out.size() != n) {
      throw new CheckpointException(
          file,
          from,
          "string tensor '" + name + "' holds " + out.size() + " values, expected " + n);
    }
    return List.copyOf(out);
  }

  private BundleEntry.Wire wire(String name) {
    return new BundleEntry.Wire(file, bytes, from, to, "values of '" + name + "'");
  }

  /** The {@code TensorProto} field TensorFlow's V1 writer puts this dtype's values in. */
  private int valueField() {
    return switch (dtype) {
      case DT_FLOAT -> 5;
      case DT_DOUBLE -> 6;
      case DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16 -> 7;
      case DT_INT64 -> 10;
      case DT_BOOL -> 11;
      case DT_HALF, DT_BFLOAT16 -> 13;
      case DT_UINT32 -> 16;
      case DT_UINT64 -> 17;
      default -> -1;
    };
  }

  /** The wire type of one value inside a packed field. */
  private long packedType() {
    return switch (dtype) {
      case DT_FLOAT -> 5;
      case DT_DOUBLE -> 1;
      default -> 0;
    };
  }

  private static void put(ByteBuffer out, long v, int size) {
    switch (size) {
      case 1 -> out.put((byte) v);
      case 2 -> out.putShort((short) v);
      case 4 -> out.putInt((int) v);
      default -> out.putLong(v);
    }
  }
}
