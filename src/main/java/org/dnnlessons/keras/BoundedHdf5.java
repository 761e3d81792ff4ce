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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.tensorflow.proto.DataType;

/**
 * An HDF5 file read through jHDF with every size bounded before jHDF allocates it.
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
 *       #MAX_DEFLATE_RATIO} times its size when deflated, its size otherwise) and what is left of
 *       {@link ReadLimits#totalBytes()} before jHDF reads it; a dataset reached again through a
 *       hard link is not read again;
 *   <li>deflated chunks are inflated by a filter that stops at the chunk's size; datasets with
 *       filters other than deflate, shuffle and fletcher32 (what h5py writes) are refused, as are
 *       datasets created but never written.
 * </ul>
 *
 * <p>Every failure is a {@link CheckpointException} naming the file and the dataset or group.
 */
final class BoundedHdf5 implements AutoCloseable {

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

  /** jHDF inflates chunks in parallel; they share one bound, set while a dataset is read. */
  private static final Object READ_LOCK = new Object();

  private static volatile long chunkLimit = 64L << 20;

  static {
    FilterManager.addFilter(new BoundedDeflate());
  }

  private final Path file;
  private final HdfFile hdf;
  private final long fileSize;
  private final ReadLimits limits;
  private final Map<Long, CheckpointTensor> readByAddress = new HashMap<>();
  private long bytesRead;

  private BoundedHdf5(Path file, byte[] bytes, ReadLimits limits) throws CheckpointException {
    this.file = file;
    this.fileSize = bytes.length;
    this.limits = limits;
    try {
      this.hdf = HdfFile.fromBytes(bytes);
    } catch (RuntimeException | StackOverflowError e) {
      throw error(file, e);
    }
  }

  /** Opens {@code h5}, a regular file of at most {@link ReadLimits#fileBytes()}. */
  static BoundedHdf5 open(Path h5, ReadLimits limits) throws CheckpointException {
    return new BoundedHdf5(h5, readFile(h5, limits.fileBytes()), limits);
  }

  /** Opens an HDF5 file held in memory (a {@code .keras} archive's weights), named {@code file}. */
  static BoundedHdf5 of(Path file, byte[] bytes, ReadLimits limits) throws CheckpointException {
    return new BoundedHdf5(file, bytes, limits);
  }

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

  /** The root group. */
  Group root() {
    return hdf;
  }

  /**
   * The members of {@code group}, at most {@link #MAX_CHILDREN}.
   *
   * @param path the group's path, for messages
   */
  Map<String, Node> children(Group group, String path) throws CheckpointException {
    return children(file, group, path);
  }

  /** A dataset and its path from the root, without the leading slash. */
  record Found(String path, Dataset dataset) {}

  /**
   * Every dataset under the root, each object once however many hard links lead to it, in the order
   * the groups list them.
   */
  List<Found> datasets() throws CheckpointException {
    return datasets(file, hdf);
  }

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
   * One dataset as a little-endian tensor named {@code name}; its type and size checked before
   * anything is read. A dataset read before (another hard link to it) is returned again, renamed,
   * without reading it twice.
   */
  CheckpointTensor read(Dataset d, String name) throws CheckpointException {
    try {
      return readChecked(d, name);
    } catch (RuntimeException | StackOverflowError e) {
      throw error(file, e);
    }
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

  private CheckpointTensor readChecked(Dataset d, String name) throws CheckpointException {
    long address = d.getAddress();
    CheckpointTensor known = readByAddress.get(address);
    if (known != null) {
      return new CheckpointTensor(
          new TensorInfo(name, known.info().dtype(), known.info().shape()),
          known.data(),
          known.strings());
    }
    Class<?> type = d.getJavaType();
    DataType dtype = dtypeOf(type);
    if (dtype == null || d.getDataType().getSize() != elementSize(dtype)) {
      throw refuse(
          file,
          name,
          "holds "
              + type.getSimpleName()
              + " values, expected float32, float64, int32 or int64 (what Keras saves)");
    }
    long size = size(file, fileSize, limits, d, name);
    if (bytesRead + size > limits.totalBytes()) {
      throw ReadLimits.tooLarge(
          file, "the datasets read so far with " + name, bytesRead + size, limits.totalBytes());
    }
    int[] dims = d.getDimensions();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    long elements = size / elementSize(dtype);
    long chunkBytes =
        d instanceof ChunkedDataset c ? chunkBytes(file, c, name, elementSize(dtype)) : 0;
    CheckpointTensor t;
    if (elements == 0) {
      t = new CheckpointTensor(new TensorInfo(name, dtype, shape), new byte[0], List.of());
    } else {
      Object values;
      synchronized (READ_LOCK) {
        chunkLimit = Math.max(chunkBytes, 1);
        try {
          values = d.isScalar() ? d.getData() : d.getDataFlat();
        } finally {
          chunkLimit = 64L << 20;
        }
      }
      t =
          new CheckpointTensor(
              new TensorInfo(name, dtype, shape), littleEndian(name, values, size), List.of());
    }
    bytesRead += size;
    readByAddress.put(address, t);
    return t;
  }

  private byte[] littleEndian(String name, Object values, long size) throws CheckpointException {
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    if (values instanceof float[] f && f.length * 4L == size) {
      bytes.asFloatBuffer().put(f);
    } else if (values instanceof double[] v && v.length * 8L == size) {
      bytes.asDoubleBuffer().put(v);
    } else if (values instanceof long[] v && v.length * 8L == size) {
      bytes.asLongBuffer().put(v);
    } else if (values instanceof int[] v && v.length * 4L == size) {
      bytes.asIntBuffer().put(v);
    } else if (values instanceof Float v && size == 4) {
      bytes.putFloat(0, v);
    } else if (values instanceof Double v && size == 8) {
      bytes.putDouble(0, v);
    } else if (values instanceof Long v && size == 8) {
      bytes.putLong(0, v);
    } else if (values instanceof Integer v && size == 4) {
      bytes.putInt(0, v);
    } else {
      throw refuse(
          file,
          name,
          "holds "
              + values.getClass().getSimpleName()
              + ", expected "
              + size
              + " bytes of numbers");
    }
    return bytes.array();
  }

  static int elementSize(DataType dtype) {
    return dtype == DataType.DT_FLOAT || dtype == DataType.DT_INT32 ? 4 : 8;
  }

  /** The dtype of the numbers jHDF reads as {@code type}, or {@code null} for other data. */
  static DataType dtypeOf(Class<?> type) {
    if (type == float.class || type == Float.class) {
      return DataType.DT_FLOAT;
    }
    if (type == double.class || type == Double.class) {
      return DataType.DT_DOUBLE;
    }
    if (type == long.class || type == Long.class) {
      return DataType.DT_INT64;
    }
    if (type == int.class || type == Integer.class) {
      return DataType.DT_INT32;
    }
    return null;
  }

  private static CheckpointException refuse(Path file, String dataset, String reason) {
    return new CheckpointException(
        file, CheckpointException.NO_OFFSET, "dataset " + dataset + " " + reason);
  }

  /** jHDF's failures (it throws unchecked exceptions of many kinds) as one line naming the file. */
  static CheckpointException error(Path file, Throwable e) {
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

  /** A jHDF call whose unchecked failures become one {@link CheckpointException}. */
  private <T> T guarded(java.util.function.Supplier<T> call) throws CheckpointException {
    try {
      return call.get();
    } catch (RuntimeException | StackOverflowError e) {
      throw error(file, e);
    }
  }

  @Override
  public void close() {
    hdf.close();
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
      long limit = chunkLimit;
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
