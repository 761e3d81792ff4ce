package org.dnnlessons.checkpoint;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Counts the messages a serialized protobuf would become, without building them, and refuses one
 * that would take more of the heap than a stated limit allows ({@link #forHeap()}).
 *
 * <p>An empty message costs two bytes on disk and ~50 bytes of heap once parsed: a 240 MB {@code
 * saved_model.pb} of empty {@code NodeDef}s became 6.7 GB of Java objects. The walk here follows
 * the schema (the {@link Descriptor}) through the wire format, one message at a time, in constant
 * memory and time linear in the bytes; it stops at the first message past the limit or a nesting
 * deeper than protobuf's own limit of {@value #MAX_DEPTH}.
 */
public final class ProtoLimits {

  /** Protobuf-java's default recursion limit. */
  static final int MAX_DEPTH = 100;

  /** The heap one parsed message is taken to cost, in bytes. */
  static final long HEAP_BYTES_PER_MESSAGE = 128;

  private ProtoLimits() {}

  /**
   * The most messages one protobuf may hold in this JVM: an eighth of the maximum heap at {@value
   * #HEAP_BYTES_PER_MESSAGE} bytes each.
   *
   * @return the message limit for {@link #check}
   */
  public static long forHeap() {
    return Runtime.getRuntime().maxMemory() / 8 / HEAP_BYTES_PER_MESSAGE;
  }

  /**
   * Checks that {@code bytes}, parsed as {@code type}, holds at most {@code maxMessages} messages.
   *
   * @param file the file the bytes came from, named in the message
   * @param what the proto's name in messages, e.g. "saved_model.pb"
   * @param bytes the serialized message, as read from {@code file}
   * @param type the message type the bytes are to be parsed as, e.g. {@code
   *     SavedModel.getDescriptor()}
   * @param maxMessages the most messages (the top one and every nested one) accepted; {@link
   *     #forHeap()} is the usual limit
   * @throws CheckpointException when it holds more, nests deeper than {@link #MAX_DEPTH}, or is not
   *     valid wire format
   */
  public static void check(Path file, String what, byte[] bytes, Descriptor type, long maxMessages)
      throws CheckpointException {
    long[] count = {1};
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      walk(file, what, in, type, 0, count, maxMessages);
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          what + " is not a " + type.getName() + ": " + e.getMessage(),
          e);
    }
  }

  private static void walk(
      Path file,
      String what,
      CodedInputStream in,
      Descriptor type,
      int depth,
      long[] count,
      long maxMessages)
      throws IOException, CheckpointException {
    if (depth > MAX_DEPTH) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          what + " nests messages more than " + MAX_DEPTH + " deep");
    }
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return;
      }
      FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      if (field != null
          && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        if (++count[0] > maxMessages) {
          throw new CheckpointException(
              file,
              CheckpointException.NO_OFFSET,
              what
                  + " holds more than "
                  + maxMessages
                  + " messages, more than this reader accepts with a heap of "
                  + (Runtime.getRuntime().maxMemory() >> 20)
                  + " MiB"
                  + " (-Xmx): ~"
                  + HEAP_BYTES_PER_MESSAGE
                  + " bytes of heap each once parsed");
        }
        int length = in.readRawVarint32();
        if (length < 0) {
          throw new IOException("a negative length");
        }
        int old = in.pushLimit(length);
        walk(file, what, in, field.getMessageType(), depth + 1, count, maxMessages);
        in.checkLastTagWas(0);
        in.popLimit(old);
      } else if (!in.skipField(tag)) {
        return; // an end-group tag
      }
    }
  }
}
