package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;

/**
 * A tensor's own native memory seen as a direct {@link ByteBuffer}, so that a file channel reads
 * checkpoint bytes straight into the tensor and {@link java.util.zip.CRC32C} checks them there: no
 * copy through the Java heap. TensorFlow Java exposes the memory's address to a {@link
 * DataStorageVisitor}; JavaCPP, which TensorFlow Java itself uses to reach native memory, turns the
 * address into a buffer.
 *
 * <p>The buffer does not own the memory: use it only while the tensor is open.
 */
final class TensorMemory {

  private TensorMemory() {}

  /**
   * The tensor's bytes as a direct buffer (position 0, limit its size in bytes; an empty buffer for
   * an empty tensor), or {@code null} when the tensor's storage is not native memory or too large
   * for one buffer.
   */
  static ByteBuffer of(Tensor tensor) {
    if (tensor.numBytes() == 0) {
      return ByteBuffer.allocate(0);
    }
    return tensor
        .asRawTensor()
        .data()
        .accept(
            new DataStorageVisitor<ByteBuffer>() {
              @Override
              public ByteBuffer visit(long address, long length, long scale) {
                long bytes = length * scale;
                if (address == 0 || bytes != tensor.numBytes() || bytes > Integer.MAX_VALUE) {
                  return null;
                }
                return new AddressView(address, bytes).asBuffer();
              }

              @Override
              public ByteBuffer fallback() {
                return null;
              }
            });
  }

  /** A pointer to memory owned elsewhere (it frees nothing). */
  private static final class AddressView extends BytePointer {
    AddressView(long address, long bytes) {
      this.address = address;
      this.capacity = bytes;
      this.limit = bytes;
    }
  }
}
