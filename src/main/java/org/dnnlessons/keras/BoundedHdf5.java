package org.dnnlessons.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.Filter;
import io.jhdf.filter.FilterManager;
import io.jhdf.filter.PipelineFilterWithData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.dnnlessons.checkpoint.CheckpointException;

/**
 * Reading HDF5 through jHDF with every size bounded before jHDF allocates it: static helpers that
 * {@link KerasFiles} calls.
 *
 * <p>jHDF trusts the file: it follows hard links without end, allocates a dataset's declared size
 * before reading it, inflates a deflated chunk however large it grows, and maps whatever address
 * and length a header names. This layer stands in front of it:
 *
 * <ul>
 *   <li>the file is read into memory first (at most {@link ReadLimits#fileBytes()}), and jHDF reads
 *       it from there, so every address and length in the file is checked against the file's real
 *       size: a header that claims 6.5 GB becomes an error, not an allocation;
 *   <li>groups are walked with a visited set (a hard link back to a parent is walked once), at most
 *       {@link #MAX_DEPTH} deep, with at most {@link #MAX_CHILDREN} members per group;
 *   <li>a dataset's size (product of its dimensions times its element size, exact) is checked
 *       against {@link ReadLimits#datasetBytes()}, what the file can hold ({@link
 *       #MAX_DEFLATE_RATIO} times its size when deflated, its size otherwise) before jHDF reads it;
 *   <li>deflated chunks are inflated by a filter that stops at {@link #MAX_CHUNK_INFLATED} (a
 *       chunk's own size is checked against the dataset limit first); datasets with filters other
 *       than deflate, shuffle and fletcher32 (what h5py writes) are refused, as are datasets
 *       created but never written.
 * </ul>
 *
 * <p>Every failure is a {@link CheckpointException} naming the file and the dataset or group.
 */
final class BoundedHdf5 {

  /** Groups nested deeper than this are refused (Keras nests four: layers/NAME/vars/0). */
  static final int MAX_DEPTH = 32;

  /** Groups with more members than this are refused (a Keras model's layers, a layer's vars). */
  static final int MAX_CHILDREN = 4096;

  /** Datasets with more dimensions than this are refused. */
  static final int MAX_RANK = 8;

  /** Deflate's largest compression ratio: no deflated data inflates to more than this times. */
  static final long MAX_DEFLATE_RATIO = 1032;

  private static final int DEFLATE = 1;
  private static final Set<Integer> KNOWN_FILTERS = Set.of(DEFLATE, 2, 3);

  /** The most one deflated chunk may inflate to (a chunk's own size is checked before). */
  static final long MAX_CHUNK_INFLATED = 64L << 20;

  static {
    FilterManager.addFilter(new BoundedDeflate());
  }

  private BoundedHdf5() {}

  /** A regular file's bytes, at most {@code limit}: read with the limit, its size never trusted. */
  static byte[] readFile(Path path, long limit) throws CheckpointException {
    if (!Files.isRegularFile(path)) {
      throw new CheckpointException(
          path,
          CheckpointException.NO_OFFSET,
          Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.exists(path)
              ? "not a regular file (a directory, device or FIFO)"
              : "no such file");
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes((int) Math.min(limit + 1, ReadLimits.MAX_IN_MEMORY_FILE));
      if (bytes.length > limit) {
        throw ReadLimits.tooLarge(path, "the file", Files.size(path), limit);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new CheckpointException(path, CheckpointException.NO_OFFSET, "no such file");
    } catch (IOException e) {
      throw new CheckpointException(
          path, CheckpointException.NO_OFFSET, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Opens an HDF5 file held in memory, its sizes bounded by the bytes there are. */
  static HdfFile fromBytes(Path file, byte[] bytes) throws CheckpointException {
    try {
      return HdfFile.fromBytes(bytes);
    } catch (RuntimeException | StackOverflowError e) {
      throw error(file, e);
    }
  }

  /**
   * Every dataset under {@code root}, each object once however many hard links lead to it, groups
   * at most {@link #MAX_DEPTH} deep with at most {@link #MAX_CHILDREN} members each.
   */
  static List<Found> datasets(Path file, Group root) throws CheckpointException {
    List<Found> out = new ArrayList<>();
    walk(file, root, "", 0, new HashSet<>(), out);
    return out;
  }

  /** The members of {@code group}, at most {@link #MAX_CHILDREN}; {@code path} for messages. */
  static Map<String, Node> children(Path file, Group group, String path)
      throws CheckpointException {
    Map<String, Node> children;
    try {
      children = group.getChildren();
    } catch (RuntimeException | StackOverflowError e) {
      throw error(file, e);
    }
    if (children.size() > MAX_CHILDREN) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "group /"
              + elided(path)
              + " has "
              + children.size()
              + " members, more than the "
              + MAX_CHILDREN
              + " this reader accepts");
    }
    return children;
  }

  /** A dataset and its path from the root, without the leading slash. */
  record Found(String path, Dataset dataset) {}

  private static void walk(
      Path file, Group group, String path, int depth, Set<Long> visited, List<Found> out)
      throws CheckpointException {
    if (depth > MAX_DEPTH) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "groups nest more than " + MAX_DEPTH + " deep (at /" + elided(path) + ")");
    }
    for (Map.Entry<String, Node> e : children(file, group, path).entrySet()) {
      Node node = e.getValue();
      String childPath = path.isEmpty() ? e.getKey() : path + "/" + e.getKey();
      long address;
      try {
        address = node.getAddress();
      } catch (RuntimeException | StackOverflowError x) {
        throw error(file, x);
      }
      if (!visited.add(address)) {
        continue; // a hard link to an object already walked (a loop, or a second name)
      }
      if (node instanceof Dataset d) {
        out.add(new Found(childPath, d));
      } else if (node instanceof Group g) {
        walk(file, g, childPath, depth + 1, visited, out);
      }
    }
  }

  private static String elided(String path) {
    return path.length() <= 120 ? path : path.substring(0, 60) + "…(" + path.length() + " chars)";
  }

  /**
   * Checks {@code d}'s size before anything of it is read: rank, the exact product of its
   * dimensions and element size against {@link ReadLimits#datasetBytes()} and what a file of {@code
   * fileSize} bytes can hold, its filters, its storage (written, within the file), its chunks.
   *
   * @return the dataset's size in bytes
   */
  static long checkSize(Path file, Dataset d, String name, long fileSize, ReadLimits limits)
      throws CheckpointException {
    try {
      return size(file, fileSize, limits, d, name);
    } catch (RuntimeException | StackOverflowError e) {
      throw error(file, e);
    }
  }

  private static long size(Path file, long fileSize, ReadLimits limits, Dataset d, String name)
      throws CheckpointException {
    int[] dims = d.getDimensions();
    if (dims.length > MAX_RANK) {
      throw refuse(
          file, name, "has " + dims.length + " dimensions, at most " + MAX_RANK + " accepted");
    }
    int elementSize = d.getDataType().getSize();
    if (elementSize < 1 || elementSize > 16) {
      throw refuse(file, name, "has " + elementSize + "-byte elements, not numbers Keras saves");
    }
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    long elements =
        ReadLimits.product(file, "dataset " + name + "'s shape " + Arrays.toString(dims), shape);
    long size = ReadLimits.product(file, "dataset " + name + "'s size", elements, elementSize);
    if (d instanceof ContiguousDataset && d.isEmpty() && elements > 0) {
      throw refuse(file, name, "was created but never written (it has no storage in the file)");
    }
    List<PipelineFilterWithData> filters = d.getFilters();
    boolean deflated = false;
    for (PipelineFilterWithData f : filters) {
      if (!KNOWN_FILTERS.contains(f.getId())) {
        throw refuse(
            file,
            name,
            "is compressed with filter "
                + f.getId()
                + " ("
                + f.getName()
                + "), which h5py's"
                + " Keras files never use; only deflate, shuffle and fletcher32 are read");
      }
      deflated |= f.getId() == DEFLATE;
    }
    if (size > limits.datasetBytes()) {
      throw ReadLimits.tooLarge(file, "dataset " + name, size, limits.datasetBytes());
    }
    long holdable = deflated ? Math.multiplyExact(fileSize, MAX_DEFLATE_RATIO) : fileSize;
    if (size > holdable) {
      throw refuse(
          file,
          name,
          "claims "
              + size
              + " bytes of data, more than a "
              + fileSize
              + "-byte file can hold"
              + (deflated ? " deflated" : ""));
    }
    if (d instanceof ContiguousDataset c) {
      long start = c.getDataAddress();
      if (elements > 0 && (start < 0 || start > fileSize - size)) {
        throw refuse(
            file,
            name,
            "lies at bytes "
                + start
                + " to "
                + (start + size)
                + ", past the end of the "
                + fileSize
                + "-byte HDF5 file (truncated?)");
      }
    }
    if (d instanceof ChunkedDataset c) {
      chunkBytes(file, c, name, elementSize);
    }
    return size;
  }

  /** A chunk's bytes, checked against the dataset limit shared by jHDF's parallel inflaters. */
  private static long chunkBytes(Path file, ChunkedDataset c, String name, int elementSize)
      throws CheckpointException {
    ReadLimits limits = ReadLimits.forHeap();
    long chunkBytes;
    {
      int[] chunk = c.getChunkDimensions();
      long[] chunkShape = new long[chunk.length];
      for (int i = 0; i < chunk.length; i++) {
        chunkShape[i] = chunk[i];
      }
      chunkBytes =
          ReadLimits.product(
              file,
              "dataset " + name + "'s chunk " + Arrays.toString(chunk),
              ReadLimits.product(file, "dataset " + name + "'s chunk", chunkShape),
              elementSize);
      // jHDF inflates chunks on every core of the common pool at once
      long parallel = Math.max(1, ForkJoinPool.getCommonPoolParallelism());
      if (chunkBytes > limits.datasetBytes() / parallel) {
        throw ReadLimits.tooLarge(
            file, "a chunk of dataset " + name, chunkBytes, limits.datasetBytes() / parallel);
      }
    }
    return chunkBytes;
  }

  private static CheckpointException refuse(Path file, String dataset, String reason) {
    return new CheckpointException(
        file, CheckpointException.NO_OFFSET, "dataset " + dataset + " " + reason);
  }

  /** jHDF's failures (it throws unchecked exceptions of many kinds) as one line naming the file. */
  static CheckpointException error(Path file, Throwable e) {
    if (e instanceof RuntimeException r && KerasFiles.failsOnOpaqueType(r)) {
      return KerasFiles.hdfError(file, r); // bfloat16 weights: say so, whichever walk met them
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof StackOverflowError) {
      message = "its structure nests too deep to read";
    }
    if (message.length() > 200) {
      message = message.substring(0, 160) + "…(" + message.length() + " chars)";
    }
    return new CheckpointException(
        file, CheckpointException.NO_OFFSET, "not a readable HDF5 file: " + message, e);
  }

  /**
   * HDF5's deflate filter (id 1) for jHDF, inflating at most the chunk's size: jHDF's own grows its
   * output without bound, so a few kilobytes of deflate could take gigabytes.
   */
  static final class BoundedDeflate implements Filter {
    @Override
    public int getId() {
      return DEFLATE;
    }

    @Override
    public String getName() {
      return "deflate";
    }

    @Override
    public byte[] decode(byte[] encoded, int[] filterData) {
      long limit = MAX_CHUNK_INFLATED;
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(encoded);
        byte[] out = new byte[(int) Math.min(limit, Math.max(4096L, encoded.length * 4L))];
        int n = 0;
        while (!inflater.finished()) {
          if (n == out.length) {
            if (out.length >= limit) {
              throw new HdfFilterException(
                  "a deflated chunk inflates past the chunk's " + limit + " bytes");
            }
            out = Arrays.copyOf(out, (int) Math.min(limit, out.length * 2L));
          }
          int read = inflater.inflate(out, n, out.length - n);
          if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw new HdfFilterException("a deflated chunk ends early");
          }
          n += read;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
      } catch (DataFormatException e) {
        throw new HdfFilterException("Inflating failed", e);
      } finally {
        inflater.end();
      }
    }
  }
}
