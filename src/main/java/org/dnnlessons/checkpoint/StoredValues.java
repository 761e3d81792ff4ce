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

  /** The {@code n} elements of a string tensor, verified. */
  List<byte[]> strings(String name, long n) throws CheckpointException;
}
