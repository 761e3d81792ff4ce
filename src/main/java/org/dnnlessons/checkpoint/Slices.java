package org.dnnlessons.checkpoint;

/** Places the elements of a stored slice where they belong in the full tensor. */
final class Slices {

  private Slices() {}

  /** Receives one run of elements that lie next to each other in both slice and tensor. */
  interface Run {
    /**
     * @param from the run's start in the slice, in units ({@code unit} bytes per element)
     * @param to its start in the full tensor, in units
     * @param count its length, in units
     */
    void copy(long from, long to, long count) throws CheckpointException;
  }

  /**
   * Calls {@code run} for every row of {@code slice} (its last dimension, contiguous in both the
   * slice and the row-major tensor of shape {@code full}), in the slice's row-major order. Offsets
   * are in elements times {@code unit}. The slice must fit in {@code full} ({@link
   * TensorSlice#fitsIn}).
   */
  static void copy(long[] full, TensorSlice slice, int unit, Run run) throws CheckpointException {
    int rank = full.length;
    if (rank == 0) { // a scalar's one slice is the scalar
      run.copy(0, 0, unit);
      return;
    }
    long[] shape = slice.shape(full);
    long[] strides = new long[rank];
    long stride = 1;
    for (int d = rank - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= full[d];
    }
    long rowLength = shape[rank - 1];
    long rows = 1;
    for (int d = 0; d < rank - 1; d++) {
      rows *= shape[d];
    }
    if (rowLength == 0 || rows == 0) {
      return;
    }
    long[] index = new long[rank];
    for (long r = 0; r < rows; r++) {
      long to = 0;
      for (int d = 0; d < rank; d++) {
        to += (slice.start(d) + index[d]) * strides[d];
      }
      run.copy(r * rowLength * unit, to * unit, rowLength * unit);
      for (int d = rank - 2; d >= 0; d--) { // next row: odometer over the leading dimensions
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
  }
}
