package org.dnnlessons.format;

/**
 * The numpy print options that decide when and how an array is summarized with {@code ...}:
 * Python's {@code np.set_printoptions(threshold=..., edgeitems=...)}, passed to {@link NumpyFormat}
 * with each call instead of set for a whole program.
 *
 * <pre>{@code
 * NumpyFormat.format(values, shape, NumpyPrintOptions.DEFAULT.withThreshold(0)); // always summarize
 * }</pre>
 *
 * @param threshold arrays with more elements than this are summarized (numpy's default 1000; 0
 *     summarizes every non-empty array); {@code >= 0}
 * @param edgeItems items kept at each edge of a summarized axis (numpy's default 3); {@code >= 1}
 */
public record NumpyPrintOptions(int threshold, int edgeItems) {

  /** numpy's defaults: {@code threshold=1000}, {@code edgeitems=3}. */
  public static final NumpyPrintOptions DEFAULT =
      new NumpyPrintOptions(NumpyFormat.THRESHOLD, NumpyFormat.EDGE_ITEMS);

  /**
   * Checks the options.
   *
   * @param threshold arrays with more elements than this are summarized; {@code >= 0}
   * @param edgeItems items kept at each edge of a summarized axis; {@code >= 1}
   * @throws IllegalArgumentException for a negative threshold or fewer than 1 edge item
   */
  public NumpyPrintOptions {
    if (threshold < 0) {
      throw new IllegalArgumentException("threshold must be 0 or more, found " + threshold);
    }
    if (edgeItems < 1) {
      throw new IllegalArgumentException("edgeItems must be 1 or more, found " + edgeItems);
    }
  }

  /**
   * These options with another threshold.
   *
   * @param value arrays with more elements than this are summarized; {@code >= 0}
   * @return new options
   * @throws IllegalArgumentException for a negative value
   */
  public NumpyPrintOptions withThreshold(int value) {
    return new NumpyPrintOptions(value, edgeItems);
  }

  /**
   * Whether an array of {@code size} elements is summarized.
   *
   * @param size the array's element count
   * @return {@code size > threshold}, as numpy decides
   */
  public boolean summarizes(long size) {
    return size > threshold;
  }

  /**
   * Whether an axis of {@code length} items of a summarized array is cut.
   *
   * @param length the axis' length
   * @return {@code length > 2 * edgeItems}: only then are items left out
   */
  public boolean cuts(long length) {
    return 2L * edgeItems < length;
  }
}
