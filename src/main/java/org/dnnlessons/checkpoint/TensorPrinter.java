package org.dnnlessons.checkpoint;

import java.util.List;
import org.dnnlessons.format.NumpyFormat;
import org.dnnlessons.format.NumpyPrintOptions;

/**
 * A checkpoint's tensor printed as numpy prints it ({@code
 * print(tf.train.load_checkpoint(path).get_tensor(name))}, as {@code inspect_checkpoint
 * --tensor_name} does), in bounded memory whatever the tensor's size.
 *
 * <pre>{@code
 * CheckpointReader reader = CheckpointReader.open(Path.of("run/model.ckpt-540"));
 * System.out.println(TensorPrinter.format(reader, "hidden_layer/biases", NumpyPrintOptions.DEFAULT));
 * }</pre>
 *
 * <p>A tensor of up to 64 MiB is read whole and formatted. A larger one is streamed ({@link
 * CheckpointReader#stream}) and only the elements numpy shows of it are kept: its edge view ({@link
 * NumpyFormat#edgeViewShape}), printed summarized as numpy summarizes the full array.
 */
public final class TensorPrinter {

  /** Tensors up to this many bytes are read whole by {@link #format}; larger ones are streamed. */
  static final long FORMAT_WHOLE_BYTES = 64L << 20;

  /** The most elements an edge view holds (every axis of at most 6 is printed whole). */
  static final long MAX_VIEW_ELEMENTS = 1L << 20;

  private TensorPrinter() {}

  /**
   * The tensor's values as numpy prints them under {@code options} (numpy's {@code threshold} and
   * {@code edgeitems}; {@link NumpyPrintOptions#DEFAULT} for numpy's defaults).
   *
   * @param reader the open checkpoint
   * @param name a checkpoint key
   * @param options numpy's print options
   * @return what {@code print(reader.get_tensor(name))} prints in Python under those options
   * @throws CheckpointException when the tensor is missing, unreadable, of a dtype the reader does
   *     not decode, or fails its checksum; or when it is over 64 MiB and {@code options} would
   *     print it whole, or its summary would hold over 2^20 elements
   */
  public static String format(CheckpointReader reader, String name, NumpyPrintOptions options)
      throws CheckpointException {
    TensorInfo info = reader.info(name);
    int elementSize = Dtypes.elementSize(info.dtype());
    long[] shape = info.shape();
    if (elementSize <= 0 || info.numElements() * elementSize <= FORMAT_WHOLE_BYTES) {
      return reader.read(name).format(options);
    }
    if (!options.summarizes(info.numElements())) {
      throw tooLong(
          reader,
          info,
          "all its " + info.numElements() + " elements (threshold " + options.threshold() + ")");
    }
    long[] view = NumpyFormat.edgeViewShape(shape, options);
    long viewCount = new TensorInfo(name, info.dtype(), view).numElements();
    if (viewCount > MAX_VIEW_ELEMENTS) {
      throw tooLong(reader, info, viewCount + " elements even summarized");
    }
    byte[] picked = pick(reader, name, edgeIndices(shape, view, (int) viewCount, options));
    CheckpointTensor edges =
        new CheckpointTensor(new TensorInfo(name, info.dtype(), view), picked, List.of());
    return edges.format(options.withThreshold(0)); // summarized, as numpy prints the full tensor
  }

  /** "tensor 'w' of shape [..] would print WHAT; read it with stream(name)". */
  private static CheckpointException tooLong(
      CheckpointReader reader, TensorInfo info, String what) {
    return new CheckpointException(
        reader.prefix(),
        CheckpointException.NO_OFFSET,
        "tensor '"
            + info.name()
            + "' of shape "
            + info.compactShape()
            + " would print "
            + what
            + "; read it with stream(name)");
  }

  /** The elements at {@code wanted} (non-decreasing flat indices), streamed from the checkpoint. */
  private static byte[] pick(CheckpointReader reader, String name, long[] wanted)
      throws CheckpointException {
    int elementSize = Dtypes.elementSize(reader.info(name).dtype());
    byte[] picked = new byte[wanted.length * elementSize];
    long[] next = {0, 0}; // {element position of the next chunk, index into wanted}
    reader.stream(
        name,
        chunk -> {
          long first = next[0];
          long count = chunk.remaining() / elementSize;
          while (next[1] < wanted.length && wanted[(int) next[1]] < first + count) {
            int k = (int) next[1]++;
            chunk.get(
                chunk.position() + (int) (wanted[k] - first) * elementSize,
                picked,
                k * elementSize,
                elementSize);
          }
          next[0] = first + count;
        });
    return picked;
  }

  /**
   * For each element of the edge view (row-major), the flat index in the full tensor it shows; the
   * unprinted middle element of a cut axis repeats its neighbour. Non-decreasing.
   */
  private static long[] edgeIndices(
      long[] shape, long[] view, int count, NumpyPrintOptions options) {
    long[] strides = new long[shape.length];
    long stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= shape[d];
    }
    long[] out = new long[count];
    int[] index = new int[shape.length];
    int edge = options.edgeItems();
    for (int i = 0; i < count; i++) {
      long flat = 0;
      for (int d = 0; d < shape.length; d++) {
        long full =
            view[d] == shape[d]
                ? index[d]
                : index[d] < edge ? index[d] : shape[d] - (view[d] - Math.max(index[d], edge + 1));
        flat += full * strides[d];
      }
      out[i] = flat;
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++index[d] < view[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return out;
  }
}
