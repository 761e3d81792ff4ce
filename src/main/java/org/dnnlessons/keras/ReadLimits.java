package org.dnnlessons.keras;

import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.ProtoLimits;
import org.dnnlessons.files.Messages;

/**
 * The one place where the keras package bounds what a file may make it allocate, and does
 * arithmetic on sizes read from a file: every product is exact ({@link Math#multiplyExact}), and
 * every size is held against a limit stated here before anything of that size is allocated.
 *
 * <p>The limits follow the heap ({@link Runtime#maxMemory()}, {@code -Xmx}) so that a file that
 * passes them cannot run the JVM out of memory: the whole HDF5 file (read into memory so that no
 * size in it can make jHDF read past its end) takes at most a quarter of the heap, one dataset at
 * most an eighth (jHDF's buffer, its Java array and the tensor copy are three at once), all
 * datasets of a file together at most a quarter. A Keras MLP's weights are a few megabytes; a file
 * near the limits is refused with a message that names the limit and {@code -Xmx}.
 *
 * @param fileBytes the largest HDF5 file or zip entry read into memory
 * @param datasetBytes the largest dataset read
 * @param totalBytes the most bytes all datasets of one file may hold together
 * @param protoMessages the most messages one protobuf ({@code saved_model.pb}, an object graph) may
 *     hold; an empty message costs ~2 bytes on disk and ~50 bytes of heap parsed
 */
record ReadLimits(long fileBytes, long datasetBytes, long totalBytes, long protoMessages) {

  /** jHDF reads a file held in memory through one {@link java.nio.ByteBuffer}. */
  static final long MAX_IN_MEMORY_FILE = Integer.MAX_VALUE - 8;

  /** Heap bytes one parsed protobuf message is counted as (an empty NodeDef takes ~56). */
  static final long HEAP_BYTES_PER_MESSAGE = 128;

  /**
   * The largest dataset read whatever the heap: 64 Mi float32 values, five times a 784x4096 kernel.
   */
  static final long MAX_DATASET_BYTES = 256L << 20;

  /**
   * The limits for this JVM's heap: file and total a quarter of it, one dataset an eighth (at most
   * {@link #MAX_DATASET_BYTES}), protobuf messages an eighth of it at {@link
   * #HEAP_BYTES_PER_MESSAGE} each.
   */
  static ReadLimits forHeap() {
    long heap = Runtime.getRuntime().maxMemory();
    return new ReadLimits(
        Math.min(MAX_IN_MEMORY_FILE, heap / 4),
        Math.min(MAX_DATASET_BYTES, heap / 8),
        heap / 4,
        ProtoLimits.forHeap());
  }

  /** The product of {@code factors}, exactly, or a one-line refusal naming {@code what}. */
  static long product(Path file, String what, long... factors) throws CheckpointException {
    long p = 1;
    for (long f : factors) {
      if (f < 0) {
        throw new CheckpointException(
            file, CheckpointException.NO_OFFSET, what + " has a negative factor " + f);
      }
      try {
        p = Math.multiplyExact(p, f);
      } catch (ArithmeticException e) {
        throw new CheckpointException(
            file, CheckpointException.NO_OFFSET, what + ": the product overflows 64 bits");
      }
    }
    return p;
  }

  /** A refusal: {@code what} is {@code size} bytes, more than {@code limit}. */
  static CheckpointException tooLarge(Path file, String what, long size, long limit) {
    return new CheckpointException(
        file,
        CheckpointException.NO_OFFSET,
        what
            + " is "
            + Messages.bytes(size)
            + ", more than the "
            + Messages.bytes(limit)
            + " this reader accepts with a heap of "
            + Messages.bytes(Runtime.getRuntime().maxMemory())
            + " (-Xmx)");
  }
}
