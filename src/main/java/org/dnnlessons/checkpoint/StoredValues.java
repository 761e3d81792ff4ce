package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import java.util.List;

/** Where the values of one stored tensor, or one slice of it, are, in whichever format. */
interface StoredValues {

  /** The element bytes of a fixed-size dtype (little-endian, row-major), verified. */
  byte[] bytes(String name) throws CheckpointException;

  /** The same bytes into {@code target}, which has exactly their length remaining. */
  default void readInto(String name, ByteBuffer target) throws CheckpointException {
    target.put(bytes(name));
  }

  /**
   * Checks the stored bytes (their checksum) without keeping them, so that {@link #stream} can give
   * them out knowing they are sound.
   */
  default void verify(String name) throws CheckpointException {}

  /**
   * Gives the element bytes of a fixed-size dtype to {@code out} in order, a chunk at a time (each
   * chunk a whole number of elements), without checking them: call {@link #verify} first.
   */
  default void stream(String name, Chunks out) throws CheckpointException {
    out.accept(ByteBuffer.wrap(bytes(name)));
  }

  /** Receives a tensor's element bytes, little-endian, in order. */
  interface Chunks {
    /** {@code chunk}'s bytes from its position to its limit are the next elements. */
    void accept(ByteBuffer chunk) throws CheckpointException;
  }

  /** The {@code n} elements of a string tensor, verified. */
  List<byte[]> strings(String name, long n) throws CheckpointException;
}
