package org.dnnlessons.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which part of a tensor a stored slice holds ({@code TensorSliceProto}): a start and a length per
 * dimension, the length -1 meaning the whole dimension (start 0). A variable that Python made with
 * a {@code partitioner} is saved as one slice per partition, each under its own key (see {@link
 * #key(String)}), and its full entry lists the slices.
 *
 * @param starts the first index in each dimension
 * @param lengths how many indices in each dimension, or -1 for all of them
 */
record TensorSlice(long[] starts, long[] lengths) {

  /** Copies the arrays. */
  TensorSlice {
    starts = starts.clone();
    lengths = lengths.clone();
  }

  int rank() {
    return starts.length;
  }

  /** The slice's start in dimension {@code d}. */
  long start(int d) {
    return lengths[d] < 0 ? 0 : starts[d];
  }

  /** The slice's length in dimension {@code d} of a tensor of shape {@code full}. */
  long length(int d, long[] full) {
    return lengths[d] < 0 ? full[d] : lengths[d];
  }

  /** The shape of the slice within a tensor of shape {@code full}. */
  long[] shape(long[] full) {
    long[] s = new long[rank()];
    for (int d = 0; d < s.length; d++) {
      s[d] = length(d, full);
    }
    return s;
  }

  /**
   * Whether the slice lies inside a tensor of shape {@code full}, with the same rank and every
   * extent in range (checked without overflow).
   */
  boolean fitsIn(long[] full) {
    if (full.length != rank()) {
      return false;
    }
    for (int d = 0; d < full.length; d++) {
      if (lengths[d] < 0) {
        if (lengths[d] != -1 || starts[d] != 0) {
          return false;
        }
      } else if (starts[d] < 0 || starts[d] > full[d] || lengths[d] > full[d] - starts[d]) {
        return false;
      }
    }
    return true;
  }

  /** Whether this slice and {@code other} share an element of a tensor of shape {@code full}. */
  boolean overlaps(TensorSlice other, long[] full) {
    for (int d = 0; d < full.length; d++) {
      long a = start(d);
      long b = other.start(d);
      if (a + length(d, full) <= b || b + other.length(d, full) <= a) {
        return false;
      }
    }
    return true;
  }

  /**
   * The key TensorFlow stores this slice of {@code name} under ({@code EncodeTensorNameSlice}): the
   * unsigned number 0, the name, the rank, then each dimension's start and length as signed numbers
   * in {@link OrderedCode}. Being binary, such keys start with a zero byte and sort before names.
   */
  byte[] key(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OrderedCode.writeNumIncreasing(out, 0);
    OrderedCode.writeString(out, name.getBytes(StandardCharsets.UTF_8));
    OrderedCode.writeNumIncreasing(out, rank());
    for (int d = 0; d < rank(); d++) {
      OrderedCode.writeSignedNumIncreasing(out, lengths[d] < 0 ? 0 : starts[d]);
      OrderedCode.writeSignedNumIncreasing(out, lengths[d] < 0 ? -1 : lengths[d]);
    }
    return out.toByteArray();
  }

  /** A decoded slice key: the tensor's name and the slice. */
  record Key(byte[] name, TensorSlice slice) {}

  /**
   * Decodes a key written by {@link #key(String)} ({@code DecodeTensorNameSlice}).
   *
   * @return the name and slice, or {@code null} when {@code key} is not a slice key
   */
  static Key decode(byte[] key) {
    OrderedCode.Reader r = new OrderedCode.Reader(key);
    if (r.readNumIncreasing() != 0) {
      return null;
    }
    byte[] name = r.readString();
    long rank = r.readNumIncreasing();
    if (name == null || rank < 1 || rank > key.length) {
      return null;
    }
    long[] starts = new long[(int) rank];
    long[] lengths = new long[(int) rank];
    boolean[] ok = {false};
    for (int d = 0; d < rank; d++) {
      starts[d] = r.readSignedNumIncreasing(ok);
      if (!ok[0]) {
        return null;
      }
      lengths[d] = r.readSignedNumIncreasing(ok);
      if (!ok[0]) {
        return null;
      }
      if (lengths[d] < 0) {
        starts[d] = 0;
        lengths[d] = -1;
      }
    }
    return r.atEnd() ? new Key(name, new TensorSlice(starts, lengths)) : null;
  }

  /** TensorFlow's text form: {@code 0,4:-} (start,length per dimension, {@code -} for all). */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int d = 0; d < rank(); d++) {
      s.append(d == 0 ? "" : ":").append(lengths[d] < 0 ? "-" : starts[d] + "," + lengths[d]);
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSlice t
        && Arrays.equals(t.starts, starts)
        && Arrays.equals(t.lengths, lengths);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(starts) * 31 + Arrays.hashCode(lengths);
  }
}
