package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Saves and restores graph variables in TensorFlow's checkpoint format (the V2 bundle that Python's
 * {@code tf.train.Saver} writes: {@code prefix.index} and {@code prefix.data-00000-of-00001}),
 * keyed by variable name.
 *
 * <p>Like Python's Saver, it adds its ops to the graph when built, in a {@code save} name scope:
 * {@code save/Const} (the file name), {@code save/SaveV2}, {@code save/control_dependency}, {@code
 * save/RestoreV2}, {@code save/Assign_N} and {@code save/restore_all}, which Python's {@code
 * import_meta_graph} uses; and, for its own faster restore, {@code save/restore_fed/value_N} and
 * {@code save/restore_fed/Assign_N}. Build it after the last variable it must cover.
 *
 * <p>Java writes and reads the files itself when every variable has a fixed-size dtype that
 * TensorFlow Java knows (all but strings, int8, int16, uint32 and uint64): {@link BundleWriter}
 * writes what {@code SaveV2} would, {@link CheckpointReader#readInto} reads into tensor memory,
 * both about twice as fast as TensorFlow 2.18's kernels. Otherwise it runs {@code SaveV2} and
 * {@code RestoreV2}.
 *
 * <pre>{@code
 * Saver saver = Saver.builder(graph).build();          // every variable, keyed by op name
 * saver.save(session, "model.ckpt");
 * saver.restore(otherSession, "model.ckpt");           // no initializer needed
 * }</pre>
 *
 * <p><b>Restores are checked before anything is assigned.</b> {@link #restore} reads every saved
 * tensor first and compares its dtype and shape with the variable it is meant for; on any mismatch
 * it throws a {@link CheckpointException} naming the variable and both shapes, and no variable has
 * been changed: the session is in the state it was before the call.
 */
public final class Saver implements AutoCloseable {

  private final Graph graph;
  private final List<String> keys;
  private final List<Output<?>> variables;
  private final Operand<TString> filename;
  private final Operation saveOp;
  private final GraphOperation restoreOp;
  private final List<Operation> assignOps;
  private final List<Output<?>> fedValues;
  private final List<Operation> fedAssignOps;
  private final int maxToKeep;
  private final SaverDef saverDef;
  private final boolean writeMetaGraph;
  private final int numShards;
  private final List<String> recent = new ArrayList<>();
  private final Map<Path, CheckpointDirectoryLock> locks = new HashMap<>();

  /** The data file of a one-shard checkpoint. */
  static final String DATA_SUFFIX = ".data-00000-of-00001";

  private Saver(
      Graph graph,
      Map<String, Output<?>> varList,
      int maxToKeep,
      boolean writeMetaGraph,
      int numShards) {
    this.graph = graph;
    this.numShards = numShards;
    this.maxToKeep = maxToKeep;
    this.writeMetaGraph = writeMetaGraph;
    this.keys = List.copyOf(varList.keySet());
    this.variables = List.copyOf(varList.values());
    Ops save = Ops.create(graph).withSubScope("save");
    Operand<TString> defaultName =
        save.withSubScope("filename").withName("input").constant("model");
    Operand<TString> filenameInput =
        save.withName("filename").placeholderWithDefault(defaultName, Shape.scalar());
    this.filename = save.withName("Const").placeholderWithDefault(filenameInput, Shape.scalar());
    // "save", or "save_1", "save_2", ... for a graph's second, third, ... Saver, as in Python
    String filenameOp = filename.op().name();
    String scopeName = filenameOp.substring(0, filenameOp.lastIndexOf('/'));

    String[] keyArray = keys.toArray(new String[0]);
    String[] slices = new String[keyArray.length];
    Arrays.fill(slices, "");
    DataType[] dtypes = new DataType[keyArray.length];
    Output<?>[] tensors = new Output<?>[keyArray.length];
    for (int i = 0; i < keyArray.length; i++) {
      tensors[i] = variables.get(i);
      dtypes[i] = baseType(tensors[i].dataType());
    }
    Ops saveV2 = save.withSubScope("SaveV2");
    this.saveOp =
        graph
            .opBuilder("SaveV2", scopeName + "/SaveV2", save.scope())
            .addInput(filename.asOutput())
            .addInput(
                saveV2
                    .withName("tensor_names")
                    .constant(NdArrays.vectorOfObjects(keyArray))
                    .asOutput())
            .addInput(
                saveV2
                    .withName("shape_and_slices")
                    .constant(NdArrays.vectorOfObjects(slices))
                    .asOutput())
            .addInputList(tensors)
            .build();
    Operand<TString> saveTensor =
        save.withName("control_dependency")
            .withControlDependencies(List.of(saveOpAsOp()))
            .identity(filename);

    Ops restoreV2 = save.withSubScope("RestoreV2");
    this.restoreOp =
        (GraphOperation)
            graph
                .opBuilder("RestoreV2", scopeName + "/RestoreV2", save.scope())
                .addInput(filename.asOutput())
                .addInput(
                    restoreV2
                        .withName("tensor_names")
                        .constant(NdArrays.vectorOfObjects(keyArray))
                        .asOutput())
                .addInput(
                    restoreV2
                        .withName("shape_and_slices")
                        .constant(NdArrays.vectorOfObjects(slices))
                        .asOutput())
                .setAttr("dtypes", dtypes)
                .build();
    List<Operation> assigns = new ArrayList<>();
    for (int i = 0; i < keyArray.length; i++) {
      assigns.add(
          graph
              .opBuilder("Assign", save.scope().makeOpName("Assign"), save.scope())
              .addInput(tensors[i])
              .addInput(restoreOp.output(i))
              .setAttr("validate_shape", true)
              .setAttr("use_locking", true)
              .build());
    }
    this.assignOps = List.copyOf(assigns);
    List<org.tensorflow.op.Op> assignAsOps = new ArrayList<>();
    for (Operation a : assignOps) {
      assignAsOps.add(() -> a);
    }
    Operation restoreAll =
        save.withName("restore_all").withControlDependencies(assignAsOps).noOp().op();
    // Java's own restore path (see restore): a placeholder and an Assign per variable, fed tensors
    // the pure-Java reader filled; Python never runs these.
    Ops fed = save.withSubScope("restore_fed");
    List<Output<?>> values = new ArrayList<>();
    List<Operation> fedAssigns = new ArrayList<>();
    for (int i = 0; i < keyArray.length; i++) {
      Output<?> value =
          graph
              .opBuilder("Placeholder", fed.scope().makeOpName("value"), fed.scope())
              .setAttr("dtype", dtypes[i])
              .build()
              .output(0);
      values.add(value);
      fedAssigns.add(
          graph
              .opBuilder("Assign", fed.scope().makeOpName("Assign"), fed.scope())
              .addInput(tensors[i])
              .addInput(value)
              .setAttr("validate_shape", true)
              .setAttr("use_locking", true)
              .build());
    }
    this.fedValues = List.copyOf(values);
    this.fedAssignOps = List.copyOf(fedAssigns);
    this.saverDef =
        SaverDef.newBuilder()
            .setFilenameTensorName(filename.asOutput().op().name() + ":0")
            .setSaveTensorName(saveTensor.asOutput().op().name() + ":0")
            .setRestoreOpName(restoreAll.name())
            .setMaxToKeep(maxToKeep)
            .setSharded(false)
            .setKeepCheckpointEveryNHours(10000.0f)
            .setVersion(SaverDef.CheckpointFormatVersion.V2)
            .build();
  }

  private org.tensorflow.op.Op saveOpAsOp() {
    return () -> saveOp;
  }

  /** Python's default {@code max_to_keep}. */
  public static final int MAX_TO_KEEP_DEFAULT = 5;

  /** The {@code maxToKeep} that keeps every checkpoint (Python's 0 or {@code None}). */
  public static final int KEEP_ALL = 0;

  /**
   * Starts a builder for a saver over {@code graph}.
   *
   * @param graph the graph holding the variables to save
   * @return a builder with Python's defaults: every variable, {@code max_to_keep=5}, a {@code
   *     .meta} file, one shard
   */
  public static Builder builder(Graph graph) {
    return new Builder(graph);
  }

  /**
   * The names of this saver's ops, as Python's {@code SaverDef} records them.
   *
   * @return the {@code SaverDef}: filename, save and restore ops, {@code max_to_keep}, {@code
   *     sharded}, written into the {@code .meta}
   */
  public SaverDef saverDef() {
    return saverDef;
  }

  /**
   * The checkpoint keys this saver writes and reads, sorted.
   *
   * @return an unmodifiable, sorted list of keys, e.g. {@code [hidden_layer/biases,
   *     hidden_layer/weights, ...]}
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * Saves every variable to {@code prefix.index} and {@code prefix.data-00000-of-00001} (and the
   * graph to {@code prefix.meta}) and records {@code prefix} as the latest checkpoint in the
   * directory's {@code checkpoint} state file, creating the directory when missing.
   *
   * <p><b>A save is atomic as a set, and nothing is lost when it is killed.</b> The files are
   * written under temporary names ({@code .model.ckpt.tmp-PID-N.*}) and fsynced, then renamed into
   * place, the {@code .index} last, and the directory fsynced; the state file is replaced the same
   * way (temporary file, fsync, rename, directory fsync); only then are checkpoints beyond {@code
   * maxToKeep} deleted, as Python does. Overwriting an existing prefix first hard-links its files
   * to a recovery set ({@code .model.ckpt.previous.*}, index last), then deletes its {@code .index}
   * and renames the new files in, the index last, and only then deletes the recovery set: a save
   * killed at any point leaves the old checkpoint or the new one restorable, never a mix, never
   * neither (readers of this package fall back to the recovery set while the prefix has no index;
   * see {@link Recovery}). Temporary files and recovery sets of a killed save are settled by the
   * next save into the directory.
   *
   * <p><b>One writing process per directory.</b> The first save into a directory takes a lock
   * ({@code .checkpoint.lock}, holding the process id) that this saver keeps until {@link #close}
   * or the end of the process; a saver of another process then fails with a {@link
   * CheckpointException} naming that process, instead of interleaving its checkpoints with this
   * one's. Savers of one process share the lock and save one at a time. Python has no such lock.
   *
   * @param session the session whose variables are saved; they must be initialized
   * @param prefix the checkpoint prefix, e.g. {@code runs/model.ckpt}; no control characters
   * @return the prefix written, as Python's {@code Saver.save} returns it
   * @throws CheckpointException when the files cannot be written
   */
  public String save(Session session, String prefix) throws CheckpointException {
    return saveAs(session, prefix);
  }

  /**
   * Saves to {@code prefix-globalStep}, as Python's {@code saver.save(sess, prefix, global_step=n)}
   * does, and deletes the oldest checkpoints this saver wrote beyond {@code maxToKeep}, with all
   * their files.
   *
   * @param session the session whose variables are saved; they must be initialized
   * @param prefix the checkpoint prefix, e.g. {@code runs/model.ckpt}; no control characters
   * @param globalStep the step appended to the prefix, {@code >= 0}
   * @return the prefix written, e.g. {@code model.ckpt-100}
   * @throws CheckpointException when the files cannot be written, the prefix is not valid, or
   *     another process holds the directory's lock
   */
  public String save(Session session, String prefix, long globalStep) throws CheckpointException {
    return saveAs(session, prefix + "-" + globalStep);
  }

  private String saveAs(Session session, String prefix) throws CheckpointException {
    Path path = checkPrefix(prefix);
    Path dir = createDirectory(path);
    CheckpointDirectoryLock lock = lock(path, dir);
    lock.serial().lock();
    try {
      try {
        DurableFiles.deleteStale(dir);
        Recovery.recoverAll(dir);
      } catch (IOException e) {
        throw new CheckpointException(
            dir,
            CheckpointException.NO_OFFSET,
            "cannot clean up a dead writer's temporary files: " + DurableFiles.describe(e),
            e);
      }
      checkTargets(path, dir);
      writeFiles(session, path, dir, writeMetaGraph, true);
      recordInState(dir, path);
    } finally {
      lock.serial().unlock();
    }
    return prefix;
  }

  /**
   * Checks that {@code prefix} can be saved to and recorded in the {@code checkpoint} state file so
   * that it reads back: no line break or other control character (TensorFlow would write it, and
   * every tool reading the state file line by line, Python's included, would then misread it).
   *
   * @param prefix the checkpoint prefix as given
   * @return the prefix as a path
   * @throws CheckpointException one line naming the prefix (its control characters escaped)
   */
  public static Path checkPrefix(String prefix) throws CheckpointException {
    Objects.requireNonNull(prefix, "prefix");
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new CheckpointException(
            Path.of(org.dnnlessons.files.Messages.value(prefix)),
            CheckpointException.NO_OFFSET,
            "a checkpoint prefix cannot hold a line break or other control character"
                + String.format(java.util.Locale.ROOT, " (U+%04X at %d)", (int) c, i)
                + "; the checkpoint state file names checkpoints one per line");
      }
    }
    if (prefix.isBlank()) {
      throw new CheckpointException(
          Path.of(prefix), CheckpointException.NO_OFFSET, "the checkpoint prefix is empty");
    }
    try {
      return Path.of(prefix);
    } catch (java.nio.file.InvalidPathException e) {
      throw new CheckpointException(
          Path.of("."),
          CheckpointException.NO_OFFSET,
          "'" + org.dnnlessons.files.Messages.value(prefix) + "' is not a path: " + e.getReason());
    }
  }

  /**
   * Takes the lock of the directory {@code prefix} will be saved in now (creating the directory),
   * rather than at the first {@link #save}: a command that trains before it saves calls it first,
   * so that a second writer is refused before any training. The lock is held until {@link #close}
   * or the end of the process; see {@link #save} for what it guards.
   *
   * @param prefix the checkpoint prefix whose directory is locked
   * @throws CheckpointException when another process writes checkpoints in that directory, naming
   *     its process id, or the directory cannot be created
   */
  public void lockDirectory(String prefix) throws CheckpointException {
    Path path = checkPrefix(prefix);
    lock(path, createDirectory(path));
  }

  /**
   * Releases the directory locks this saver took (see {@link #save}); a later save takes them
   * again. The files written are complete whether or not it is called.
   */
  @Override
  public void close() {
    synchronized (locks) {
      locks.values().forEach(CheckpointDirectoryLock::release);
      locks.clear();
    }
  }

  private CheckpointDirectoryLock lock(Path path, Path dir) throws CheckpointException {
    synchronized (locks) {
      Path key;
      try {
        key = dir.toRealPath();
      } catch (IOException e) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "cannot open the checkpoint directory: " + DurableFiles.describe(e),
            e);
      }
      CheckpointDirectoryLock held = locks.get(key);
      if (held == null) {
        held = CheckpointDirectoryLock.acquire(key);
        locks.put(key, held);
      }
      return held;
    }
  }

  private static Path createDirectory(Path path) throws CheckpointException {
    Path dir = path.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CheckpointException(
          path,
          CheckpointException.NO_OFFSET,
          "cannot create the checkpoint directory: " + DurableFiles.describe(e),
          e);
    }
    return dir;
  }

  /**
   * Writes only the tensor bundle, {@code prefix.index} and {@code prefix.data-00000-of-00001}
   * (atomically, as {@link #save} does), without a {@code .meta} file, without touching the {@code
   * checkpoint} state file and without the directory lock: the variables of a SavedModel, for
   * example, written into a directory nobody else knows yet.
   *
   * @param session the session whose variables are saved; they must be initialized
   * @param prefix the bundle's prefix, e.g. {@code savedmodel/variables/variables}
   * @throws CheckpointException when the files cannot be written; no partial bundle is left
   */
  public void writeBundle(Session session, String prefix) throws CheckpointException {
    Path path = Path.of(Objects.requireNonNull(prefix, "prefix"));
    writeFiles(session, path, createDirectory(path), false, false);
  }

  /**
   * The {@code MetaGraphDef} that {@code save} writes as {@code prefix.meta}: the whole graph, this
   * saver's {@code SaverDef} and the variable collections.
   *
   * @return the meta graph: the graph, this saver's {@code SaverDef} and the variable collections
   */
  public MetaGraphDef metaGraph() {
    return MetaGraphs.export(graph, saverDef, variables, assignOps);
  }

  /**
   * Writes the checkpoint's files under temporary names, fsyncs them, then switches them in: an
   * existing checkpoint at {@code path} is first kept as its recovery set ({@link Recovery#keep})
   * and its {@code .index} deleted, so that in between the prefix has no index and readers use the
   * recovery set, never a mix of two saves; then the data file, the meta file and the index, last,
   * are renamed into place, the directory is fsynced and the recovery set deleted.
   */
  private void writeFiles(
      Session session, Path path, Path dir, boolean withMeta, boolean retireFromState)
      throws CheckpointException {
    String name = path.getFileName().toString();
    String tmpPrefix = DurableFiles.temporary(dir, name).toString();
    String prefix = path.toString();
    boolean moved = false;
    try {
      boolean written;
      try {
        written = writeFromJava(session, tmpPrefix);
      } catch (IOException e) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "cannot write the checkpoint: " + DurableFiles.describe(e),
            e);
      }
      if (!written) {
        try (TString file = TString.scalarOf(tmpPrefix)) {
          session.runner().feed(filename, file).addTarget(saveOp).run().close();
        }
        DurableFiles.force(Path.of(tmpPrefix + DATA_SUFFIX));
        DurableFiles.force(Path.of(tmpPrefix + ".index"));
      }
      List<String> suffixes = new ArrayList<>();
      int shards = written ? numShards : 1; // SaveV2 here writes one shard
      for (int shard = 0; shard < shards; shard++) {
        suffixes.add(BundleWriter.dataSuffix(shard, shards));
      }
      if (withMeta) {
        DurableFiles.write(Path.of(tmpPrefix + ".meta"), metaGraph().toByteArray());
        suffixes.add(".meta");
      }
      suffixes.add(".index"); // last: a prefix whose .index exists is complete
      List<Path> oldData = dataFiles(path);
      boolean kept = false;
      if (Files.exists(Path.of(prefix + ".index")) || !oldData.isEmpty()) {
        if (retireFromState) {
          recent.remove(name); // it moves to the end of the list when recorded again
        }
        // The old set is kept restorable under the recovery name (hard links, index last) until
        // the new index is in place: readers fall back to it while the prefix has no index.
        kept = Recovery.keep(path, oldData);
        // The old index goes next: from here until the new one is renamed in, the prefix has no
        // index (readers use the recovery set), never the new data with the old index.
        DurableFiles.delete(Path.of(prefix + ".index"));
        DurableFiles.forceDirectory(dir);
        if (!withMeta) {
          DurableFiles.delete(Path.of(prefix + ".meta")); // the old graph would not match
        }
        for (Path old : oldData) {
          if (!suffixes.contains(old.getFileName().toString().substring(name.length()))) {
            DurableFiles.delete(old); // a shard of another shard count
          }
        }
      }
      moved = true;
      for (String suffix : suffixes) {
        DurableFiles.move(Path.of(tmpPrefix + suffix), Path.of(prefix + suffix));
      }
      DurableFiles.forceDirectory(dir);
      if (kept) {
        Recovery.discard(path);
      }
    } catch (RuntimeException e) {
      // TensorFlow reports run failures as TensorFlowException or IllegalArgumentException
      throw new CheckpointException(
          path,
          CheckpointException.NO_OFFSET,
          "cannot write the checkpoint: " + firstLine(e.getMessage()),
          e);
    } catch (IOException e) {
      throw new CheckpointException(
          path,
          CheckpointException.NO_OFFSET,
          (moved ? "cannot move the checkpoint into place: " : "cannot write the checkpoint: ")
              + DurableFiles.describe(e),
          e);
    } finally {
      deleteTemporary(dir, Path.of(tmpPrefix).getFileName().toString());
    }
  }

  /**
   * Refuses, before anything is written, a save whose files or state file would replace something
   * that is not a regular file (a directory, a FIFO, a device or a link to one).
   */
  private void checkTargets(Path path, Path dir) throws CheckpointException {
    List<Path> targets = new ArrayList<>();
    targets.add(dir.resolve(CheckpointState.FILE_NAME));
    targets.add(Path.of(path + ".index"));
    targets.add(Path.of(path + ".meta"));
    for (int shard = 0; shard < numShards; shard++) {
      targets.add(Path.of(path + BundleWriter.dataSuffix(shard, numShards)));
    }
    for (Path t : targets) {
      try {
        org.dnnlessons.files.FilePublisher.checkTarget(t);
      } catch (IOException e) {
        throw new CheckpointException(
            t,
            CheckpointException.NO_OFFSET,
            e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getReason()
                : e.getMessage(),
            e);
      }
    }
  }

  /** Deletes what remains of this save's temporary files (all of them after a failure). */
  private static void deleteTemporary(Path dir, String tmpName) {
    try (java.nio.file.DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(tmpName + "."))) {
      for (Path f : files) {
        DurableFiles.delete(f);
      }
    } catch (IOException e) {
      // the next save in this directory deletes them (DurableFiles.deleteStale)
    }
  }

  /**
   * Takes over checkpoints an earlier saver wrote, oldest first, as if this saver had written them,
   * so that {@code maxToKeep} counts them and deletes the oldest in turn: Python's {@code
   * saver.recover_last_checkpoints(checkpoint_state.all_model_checkpoint_paths)}, which a resumed
   * run calls. Prefixes whose {@code .index} is gone are skipped; all must lie in the directory
   * this saver saves into.
   *
   * @param prefixes checkpoint prefixes, oldest first ({@link CheckpointState#all()})
   */
  public void recoverLastCheckpoints(List<Path> prefixes) {
    for (Path p : prefixes) {
      if (Files.isRegularFile(Path.of(p + ".index"))) {
        String name = p.getFileName().toString();
        recent.remove(name);
        recent.add(name);
      }
    }
  }

  // Python keeps the list of its own recent checkpoints in memory; so does this saver. The state
  // file names the new checkpoint before any old one is deleted, as in Python.
  private void recordInState(Path dir, Path path) throws CheckpointException {
    String relative = dir.relativize(path.toAbsolutePath()).toString();
    recent.remove(relative);
    recent.add(relative);
    List<String> expired = new ArrayList<>();
    while (maxToKeep > 0 && recent.size() > maxToKeep) {
      expired.add(recent.remove(0));
    }
    new CheckpointState(relative, recent).write(dir);
    for (String old : expired) {
      deleteCheckpoint(dir.resolve(old));
    }
    if (!expired.isEmpty()) {
      try {
        DurableFiles.forceDirectory(dir);
      } catch (IOException e) {
        // the deletions are not needed for the new checkpoint to be safe
      }
    }
  }

  /** Deletes a checkpoint's files, the index first (so that it is absent, never partial). */
  private static void deleteCheckpoint(Path prefix) {
    try {
      DurableFiles.delete(Path.of(prefix + ".index"));
      for (Path data : dataFiles(prefix)) {
        DurableFiles.delete(data);
      }
      DurableFiles.delete(Path.of(prefix + ".meta"));
    } catch (IOException e) {
      // a leftover old checkpoint file is harmless; the state file no longer names it
    }
  }

  /** The data shards of the checkpoint at {@code prefix}: {@code prefix.data-NNNNN-of-NNNNN}. */
  private static List<Path> dataFiles(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String name = prefix.getFileName().toString();
    java.util.regex.Pattern shard =
        java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(name) + "\\.data-\\d{5}-of-\\d{5}");
    List<Path> files = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> all =
        Files.newDirectoryStream(dir, f -> shard.matcher(f.getFileName().toString()).matches())) {
      all.forEach(f -> files.add(prefix.resolveSibling(f.getFileName())));
    } catch (IOException e) {
      // an unreadable directory: the save itself will say so
    }
    return files;
  }

  /**
   * Restores every variable from the checkpoint at {@code prefix}. Nothing is assigned unless every
   * saved tensor exists and matches its variable's dtype and shape, so after a failed restore the
   * session's variables are exactly as they were before the call.
   *
   * <p>A restore racing a save that replaces the same prefix (another process or thread) never
   * fails with a checksum mismatch: when a read fails and the {@code .index} changed or vanished
   * meanwhile, or a save is under way, it reads again, a few milliseconds apart, for up to {@link
   * #RESTORE_WAIT} (10 s), which gives the old or the new checkpoint whole.
   *
   * @param session the session whose variables are assigned
   * @param prefix a checkpoint prefix, one of its files, or its directory, as Python's {@code
   *     saver.restore(sess, path)}
   * @throws CheckpointException when the checkpoint is missing or unreadable, a key is missing, or
   *     a saved tensor's dtype or shape differs from its variable's
   */
  public void restore(Session session, String prefix) throws CheckpointException {
    Objects.requireNonNull(prefix, "prefix");
    RacingReads.retry(
        Path.of(prefix),
        () -> {
          restoreOnce(session, prefix);
          return null;
        });
  }

  /** How long {@link #restore} waits for a save that is replacing the checkpoint to finish. */
  static final java.time.Duration RESTORE_WAIT = RacingReads.WAIT;

  private void restoreOnce(Session session, String prefix) throws CheckpointException {
    Path path = Path.of(prefix);
    // Check every key, dtype and shape against the index first, without touching the session.
    CheckpointReader reader = CheckpointReader.open(path);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (!reader.contains(key)) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "no tensor named '"
                + key
                + "' in the checkpoint"
                + reader.closestNames(key)
                + " (variables are matched by name)");
      }
      TensorInfo saved = reader.info(key);
      DataType wanted = baseType(variables.get(i).dataType());
      if (saved.dtype() != wanted) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "dtype mismatch for variable '"
                + key
                + "': the checkpoint holds "
                + saved.numpyType()
                + ", the graph's variable is "
                + new TensorInfo(key, wanted, new long[0]).numpyType());
      }
      Shape graphShape = variables.get(i).shape();
      if (!graphShape.isCompatibleWith(Shape.of(saved.shape()))) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "shape mismatch for variable '"
                + key
                + "': the checkpoint holds "
                + describe(Shape.of(saved.shape()))
                + ", the graph's variable has "
                + describe(graphShape));
      }
    }
    if (restoreFromJava(session, reader)) {
      return;
    }
    // One run: RestoreV2 reads everything before any Assign runs, so a data error assigns nothing.
    // The reader's prefix: the recovery set's while the prefix is being overwritten.
    try (TString name = TString.scalarOf(reader.prefix().toString())) {
      Session.Runner restore = session.runner().feed(filename, name);
      assignOps.forEach(restore::addTarget);
      restore.run().close();
    } catch (RuntimeException e) {
      // TensorFlow reports run failures as TensorFlowException or IllegalArgumentException
      throw new CheckpointException(
          path, CheckpointException.NO_OFFSET, explainRestoreFailure(e.getMessage()), e);
    }
  }

  /**
   * Restores through the pure-Java reader: every saved tensor is read straight into the memory of a
   * new tensor and its checksum verified there ({@link CheckpointReader#readInto}), then one run
   * assigns them all. It does what {@code RestoreV2} does, about twice as fast: TensorFlow's own
   * reader copies every byte once more and checks it with a slower CRC32C. All tensors are read and
   * checked before the run, so a corrupt file assigns nothing.
   *
   * @return false, having changed nothing, when a variable's dtype has no fixed element size
   *     (strings) or no TensorFlow Java type (int8, int16, uint32, uint64), or a tensor's memory is
   *     not native: the caller then uses {@code RestoreV2}
   */
  private boolean restoreFromJava(Session session, CheckpointReader reader)
      throws CheckpointException {
    List<Class<? extends TType>> types = fixedSizeTypes();
    if (types == null) {
      return false;
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < keys.size(); i++) {
        TensorInfo saved = reader.info(keys.get(i));
        Tensor t = Tensor.of(types.get(i), Shape.of(saved.shape()));
        tensors.add(t);
        ByteBuffer memory = TensorMemory.of(t);
        if (memory == null) {
          return false;
        }
        reader.readInto(keys.get(i), memory);
      }
      Session.Runner run = session.runner();
      for (int i = 0; i < keys.size(); i++) {
        run.feed(fedValues.get(i), tensors.get(i));
      }
      fedAssignOps.forEach(run::addTarget);
      run.run().close();
      return true;
    } catch (RuntimeException e) {
      // TensorFlow reports run failures as TensorFlowException or IllegalArgumentException
      throw new CheckpointException(
          reader.prefix(), CheckpointException.NO_OFFSET, explainRestoreFailure(e.getMessage()), e);
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /**
   * Writes the bundle in Java ({@link BundleWriter}): one run fetches every variable, and each
   * value goes from TensorFlow's memory to the data file with its CRC32C computed on the way. The
   * files are those {@code SaveV2} writes, about twice as fast (TensorFlow 2.18's writer copies the
   * bytes once more and checks them with a slower CRC32C).
   *
   * @return false, having written nothing, when a variable's dtype has no fixed element size or no
   *     TensorFlow Java type: the caller then runs {@code SaveV2}
   */
  private boolean writeFromJava(Session session, String tmpPrefix) throws IOException {
    if (fixedSizeTypes() == null) {
      return false;
    }
    Session.Runner fetch = session.runner();
    variables.forEach(fetch::fetch);
    try (Result values = fetch.run()) {
      Map<String, Tensor> byKey = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        byKey.put(keys.get(i), values.get(i));
      }
      BundleWriter.write(tmpPrefix, byKey, numShards);
    }
    return true;
  }

  /**
   * Every variable's TensorFlow Java class, in order; {@code null} when a dtype has no fixed
   * element size (strings) or no class (int8, int16, uint32, uint64).
   */
  private List<Class<? extends TType>> fixedSizeTypes() {
    List<Class<? extends TType>> types = new ArrayList<>();
    for (Output<?> v : variables) {
      DataType dtype = baseType(v.dataType());
      Class<? extends TType> type = javaType(dtype);
      if (Dtypes.elementSize(dtype) <= 0 || type == null) {
        return null;
      }
      types.add(type);
    }
    return types;
  }

  /** TensorFlow Java's tensor class for {@code dtype}, or {@code null} when it has none. */
  private static Class<? extends TType> javaType(DataType dtype) {
    try {
      return TensorTypeRegistry.find(dtype).type();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String explainRestoreFailure(String tfMessage) {
    String first = firstLine(tfMessage);
    java.util.regex.Matcher missing =
        java.util.regex.Pattern.compile("Key (\\S+) not found in checkpoint").matcher(first);
    if (missing.find()) {
      return "no tensor named '"
          + missing.group(1)
          + "' in the checkpoint (variables are matched"
          + " by name; name the variable as it was named when saved)";
    }
    java.util.regex.Matcher dtype =
        java.util.regex.Pattern.compile(
                "tensor_name = (\\S+); expected dtype (\\S+) does not equal original dtype (\\S+)")
            .matcher(first);
    if (dtype.find()) {
      return "dtype mismatch for variable '"
          + dtype.group(1)
          + "': the checkpoint holds "
          + dtype.group(3)
          + ", the graph's variable is "
          + dtype.group(2);
    }
    return "cannot read the checkpoint: " + first;
  }

  // A VariableV2 output is a reference (DT_FLOAT_REF = DT_FLOAT + 100); checkpoints hold values.
  static DataType baseType(DataType type) {
    int n = type.getNumber();
    return n > 100 ? DataType.forNumber(n - 100) : type;
  }

  /** "shape [2, 3]" or "a scalar". */
  static String describe(Shape shape) {
    return shape.numDimensions() == 0 ? "a scalar" : "shape " + Arrays.toString(shape.asArray());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** Chooses the variables a {@link Saver} covers. */
  public static final class Builder {
    private final Graph graph;
    private Map<String, Output<?>> varList;
    private int maxToKeep = MAX_TO_KEEP_DEFAULT;
    private boolean writeMetaGraph = true;
    private int numShards = 1;

    /**
     * Spreads each checkpoint's tensors over {@code numShards} data files, {@code
     * prefix.data-00000-of-0000N} to {@code prefix.data-0000(N-1)-of-0000N}, each tensor whole in
     * one of them, about equal bytes in each. Default 1. Python's and TensorFlow's readers (and
     * {@link CheckpointReader}) read any shard count; Python's {@code Saver(sharded=True)} writes
     * one shard per device. Graphs saved through {@code SaveV2} (string, int8, int16, uint32,
     * uint64 variables) are written as one shard whatever this says.
     *
     * @param numShards data files per checkpoint, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException for fewer than 1 shard
     */
    public Builder sharded(int numShards) {
      if (numShards < 1) {
        throw new IllegalArgumentException("sharded needs 1 shard or more, found " + numShards);
      }
      this.numShards = numShards;
      return this;
    }

    /**
     * Whether {@code save} also writes {@code prefix.meta}, the graph as a {@code MetaGraphDef}
     * (default true, as in Python).
     *
     * @param value false to write no {@code .meta}, Python's {@code write_meta_graph=False}
     * @return this builder
     */
    public Builder writeMetaGraph(boolean value) {
      this.writeMetaGraph = value;
      return this;
    }

    /**
     * How many recent checkpoints {@link Saver#save(Session, String, long)} keeps; older ones are
     * deleted with all their files, after the state file names the new one. Default 5, as in
     * Python; 0 keeps every checkpoint, as Python's {@code max_to_keep=0} or {@code None} does.
     *
     * @param value checkpoints kept, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException for a negative value
     */
    public Builder maxToKeep(int value) {
      if (value < 0) {
        throw new IllegalArgumentException(
            "maxToKeep must be 0 (keep every checkpoint) or more, found " + value);
      }
      this.maxToKeep = value;
      return this;
    }

    /**
     * As {@link #maxToKeep(int)}; {@code null} keeps every checkpoint, as Python's {@code
     * max_to_keep=None} does.
     *
     * @param value checkpoints kept, {@code >= 0}, or {@code null} for all
     * @return this builder
     */
    public Builder maxToKeep(Integer value) {
      return maxToKeep(value == null ? KEEP_ALL : value.intValue());
    }

    private Builder(Graph graph) {
      this.graph = Objects.requireNonNull(graph, "graph");
    }

    /**
     * Covers exactly these variables, saved under the given checkpoint keys; Python's {@code
     * tf.train.Saver(var_list={...})}. Use it to load weights into a modified model whose variables
     * are named differently from the saved ones.
     *
     * @param varList checkpoint key to variable ({@code VariableV2} output, or its {@code
     *     NAME/read} as {@code nn.NamedVariable} is)
     * @return this builder
     */
    public Builder variables(Map<String, ? extends Operand<?>> varList) {
      Map<String, Output<?>> copy = new TreeMap<>();
      for (Map.Entry<String, ? extends Operand<?>> e : varList.entrySet()) {
        Output<?> v = variableOutput(e.getValue());
        copy.put(Objects.requireNonNull(e.getKey(), "key"), v);
      }
      this.varList = copy;
      return this;
    }

    /**
     * Builds the saver and adds its ops to the graph.
     *
     * @return a saver whose save and restore ops are now in the graph
     * @throws IllegalArgumentException for an empty {@link #variables} map, and {@link
     *     IllegalStateException} for a graph without variables: "No variables to save", Python's
     *     {@code ValueError}
     */
    public Saver build() {
      Map<String, Output<?>> vars = varList != null ? varList : allVariables(graph);
      if (vars.isEmpty()) {
        if (varList != null) {
          throw new IllegalArgumentException("No variables to save: the variable map is empty");
        }
        throw new IllegalStateException(
            "No variables to save: the graph has no variables (build the Saver after them)");
      }
      return new Saver(graph, vars, maxToKeep, writeMetaGraph, numShards);
    }

    private static Output<?> variableOutput(Operand<?> operand) {
      Operand<?> o = operand;
      if (o.op() instanceof GraphOperation read && isVariableRead(read)) {
        o = read.input(0); // a tf.Variable's NAME/read stands for it (nn.NamedVariable is one)
      }
      Operation op = o.op();
      if (!op.type().equals(Variable.OP_NAME)) {
        throw new IllegalArgumentException(
            "Saver covers VariableV2 ops, found '" + op.name() + "' of type " + op.type());
      }
      return o.asOutput();
    }

    /** An {@code Identity} named {@code NAME/read} of the {@code VariableV2} named {@code NAME}. */
    private static boolean isVariableRead(GraphOperation op) {
      if (!op.type().equals("Identity") || op.numInputs() != 1) {
        return false;
      }
      Operation input = op.input(0).op();
      return input.type().equals(Variable.OP_NAME) && op.name().equals(input.name() + "/read");
    }

    private static Map<String, Output<?>> allVariables(Graph graph) {
      Map<String, Output<?>> vars = new TreeMap<>();
      Iterator<GraphOperation> it = graph.operations();
      while (it.hasNext()) {
        GraphOperation op = it.next();
        if (op.type().equals(Variable.OP_NAME)) {
          vars.put(op.name(), op.output(0));
        }
      }
      return new LinkedHashMap<>(vars);
    }
  }
}
