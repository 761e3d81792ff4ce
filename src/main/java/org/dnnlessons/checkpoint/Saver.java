package org.dnnlessons.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;

/**
 * Saves and restores graph variables in TensorFlow's checkpoint format (the V2 bundle that Python's
 * {@code tf.train.Saver} writes: {@code prefix.index} and {@code prefix.data-00000-of-00001}),
 * keyed by variable name.
 *
 * <p>Like Python's Saver, it adds its ops to the graph when built, in a {@code save} name scope
 * ({@code save/SaveV2}, {@code save/restore_all}, ..., named in its {@link #saverDef} for Python's
 * {@code import_meta_graph}). Build it after the last variable it covers. Java writes and reads the
 * files itself ({@link BundleWriter}, {@link CheckpointReader#readInto}, about twice as fast as
 * TensorFlow 2.18's kernels) unless a variable is a string, int8, int16, uint32 or uint64: then it
 * runs {@code SaveV2} and {@code RestoreV2}.
 *
 * <pre>{@code
 * Saver saver = Saver.builder(graph).build();          // every variable, keyed by op name
 * saver.save(session, "model.ckpt");
 * saver.restore(otherSession, "model.ckpt");           // no initializer needed
 * }</pre>
 */
public final class Saver implements AutoCloseable {

  /** Python's default {@code max_to_keep}. */
  public static final int MAX_TO_KEEP_DEFAULT = 5;

  /** The {@code maxToKeep} that keeps every checkpoint (Python's 0 or {@code None}). */
  public static final int KEEP_ALL = 0;

  private final SaverOps ops;
  private final AtomicBundleWrite files;
  private final CheckpointHistory history;
  private final CheckpointDirectoryLock.Holds locks = new CheckpointDirectoryLock.Holds();

  private Saver(Builder b, Map<String, Output<?>> varList) {
    this.ops = new SaverOps(b.graph, varList, b.maxToKeep);
    this.files = new AtomicBundleWrite(ops, b.numShards, b.writeMetaGraph);
    this.history = new CheckpointHistory(b.maxToKeep);
  }

  /**
   * Starts a builder for a saver over {@code graph}.
   *
   * @param graph the graph holding the variables to save
   * @return a builder with Python's defaults: all variables, {@code max_to_keep=5}, a {@code .meta}
   */
  public static Builder builder(Graph graph) {
    return new Builder(graph);
  }

  /**
   * The names of this saver's ops, as Python's {@code SaverDef} records them.
   *
   * @return the {@code SaverDef} written into the {@code .meta}: filename, save and restore ops
   */
  public SaverDef saverDef() {
    return ops.saverDef();
  }

  /**
   * The checkpoint keys this saver writes and reads, sorted.
   *
   * @return an unmodifiable, sorted list of keys, e.g. {@code [hidden_layer/biases, ...]}
   */
  public List<String> keys() {
    return ops.keys();
  }

  /**
   * Saves every variable to {@code prefix.index} and {@code prefix.data-00000-of-00001} (and the
   * graph to {@code prefix.meta}) and records {@code prefix} as the latest checkpoint in the
   * directory's {@code checkpoint} state file, creating the directory when missing.
   *
   * <p><b>A save is atomic as a set, and nothing is lost when it is killed.</b> Files are written
   * under temporary names ({@code .model.ckpt.tmp-PID-N.*}), fsynced and renamed into place, the
   * {@code .index} last; then the state file, the same way; only then are checkpoints beyond {@code
   * maxToKeep} deleted, as in Python. An overwritten prefix is kept as a recovery set ({@code
   * .model.ckpt.previous.*}) that readers fall back to until the new index is in place: a killed
   * save leaves the old checkpoint or the new one, never a mix, never neither.
   *
   * <p><b>One writing process per directory.</b> The first save into a directory takes a lock
   * ({@code .checkpoint.lock}, holding the process id) until {@link #close} or the process ends; a
   * saver of another process then fails naming it. Savers of one process share the lock and save
   * one at a time. Python has no such lock.
   *
   * @param session the session whose variables are saved; they must be initialized
   * @param prefix the checkpoint prefix, e.g. {@code runs/model.ckpt}; no control characters
   * @return the prefix written, as Python's {@code Saver.save} returns it
   * @throws CheckpointException when the files cannot be written
   */
  public String save(Session session, String prefix) throws CheckpointException {
    Path path = checkPrefix(prefix);
    Path dir = AtomicBundleWrite.createDirectory(path);
    CheckpointDirectoryLock lock = locks.take(path, dir);
    lock.serial().lock();
    try {
      files.save(session, path, dir, () -> history.forget(path.getFileName().toString()));
      history.record(dir, path);
    } finally {
      lock.serial().unlock();
    }
    return prefix;
  }

  /**
   * Saves to {@code prefix-globalStep}, as Python's {@code saver.save(sess, prefix, global_step=n)}
   * does; the oldest checkpoints this saver wrote beyond {@code maxToKeep} are deleted.
   *
   * @param session the session whose variables are saved; they must be initialized
   * @param prefix the checkpoint prefix, e.g. {@code runs/model.ckpt}; no control characters
   * @param globalStep the step appended to the prefix, {@code >= 0}
   * @return the prefix written, e.g. {@code model.ckpt-100}
   * @throws CheckpointException when the files cannot be written, the prefix is not valid, or
   *     another process holds the directory's lock
   */
  public String save(Session session, String prefix, long globalStep) throws CheckpointException {
    return save(session, prefix + "-" + globalStep);
  }

  /**
   * Checks that {@code prefix} reads back once recorded in the {@code checkpoint} state file: no
   * line break or other control character (Python too reads the file line by line).
   *
   * @param prefix the checkpoint prefix as given
   * @return the prefix as a path
   * @throws CheckpointException one line naming the prefix (its control characters escaped)
   */
  public static Path checkPrefix(String prefix) throws CheckpointException {
    return CheckpointHistory.checkPrefix(prefix);
  }

  /**
   * Takes the lock of the directory of {@code prefix} (see {@link #save}) now, creating the
   * directory, rather than at the first save: a second writer is refused before any training.
   *
   * @param prefix the checkpoint prefix whose directory is locked
   * @throws CheckpointException when another process writes checkpoints in that directory, naming
   *     its process id, or the directory cannot be created
   */
  public void lockDirectory(String prefix) throws CheckpointException {
    Path path = checkPrefix(prefix);
    locks.take(path, AtomicBundleWrite.createDirectory(path));
  }

  /**
   * Releases the directory locks this saver took ({@link #save}); a later save takes them again.
   */
  @Override
  public void close() {
    locks.releaseAll();
  }

  /**
   * Writes only the tensor bundle ({@code .index} and data, atomically as {@link #save} does): no
   * {@code .meta}, no state file, no lock; a SavedModel's variables, for example.
   *
   * @param session the session whose variables are saved; they must be initialized
   * @param prefix the bundle's prefix, e.g. {@code savedmodel/variables/variables}
   * @throws CheckpointException when the files cannot be written; no partial bundle is left
   */
  public void writeBundle(Session session, String prefix) throws CheckpointException {
    files.writeBundle(session, Path.of(Objects.requireNonNull(prefix, "prefix")));
  }

  /**
   * The {@code MetaGraphDef} that {@code save} writes as {@code prefix.meta}.
   *
   * @return the graph, this saver's {@code SaverDef} and the variable collections
   */
  public MetaGraphDef metaGraph() {
    return ops.metaGraph();
  }

  /**
   * Takes over checkpoints an earlier saver wrote in this saver's directory, oldest first, so that
   * {@code maxToKeep} counts them (skipping those whose {@code .index} is gone): Python's {@code
   * saver.recover_last_checkpoints(state.all_model_checkpoint_paths)}, as a resumed run calls it.
   *
   * @param prefixes checkpoint prefixes, oldest first ({@link CheckpointState#all()})
   */
  public void recoverLastCheckpoints(List<Path> prefixes) {
    history.recover(prefixes);
  }

  /**
   * Restores every variable from the checkpoint at {@code prefix}. Every key, dtype and shape is
   * checked first: after a failed restore the session's variables are as they were before the call.
   *
   * <p>A restore racing a save that replaces the prefix never fails with a checksum mismatch: it
   * reads again, for up to 10 s, and gets the old or the new checkpoint whole.
   *
   * @param session the session whose variables are assigned
   * @param prefix a checkpoint prefix, one of its files, or its directory, as in Python
   * @throws CheckpointException when the checkpoint is missing or unreadable, a key is missing, or
   *     a saved tensor's dtype or shape differs from its variable's
   */
  public void restore(Session session, String prefix) throws CheckpointException {
    new CheckedRestore(ops).restore(session, Objects.requireNonNull(prefix, "prefix"));
  }

  /** Chooses the variables a {@link Saver} covers and how it saves them. */
  public static final class Builder {
    private final Graph graph;
    private Map<String, Output<?>> varList;
    private int maxToKeep = MAX_TO_KEEP_DEFAULT;
    private boolean writeMetaGraph = true;
    private int numShards = 1;

    private Builder(Graph graph) {
      this.graph = Objects.requireNonNull(graph, "graph");
    }

    /**
     * Covers exactly these variables, saved under the given checkpoint keys (Python's {@code
     * tf.train.Saver(var_list={...})}): weights for a model whose names differ from the saved ones.
     *
     * @param varList checkpoint key to variable ({@code VariableV2} output, or its {@code
     *     NAME/read} as {@code nn.NamedVariable} is)
     * @return this builder
     * @throws IllegalArgumentException for a value that is neither
     */
    public Builder variables(Map<String, ? extends Operand<?>> varList) {
      this.varList = SaverVarList.of(varList);
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
      this.maxToKeep = CheckpointHistory.checkMaxToKeep(value);
      return this;
    }

    /**
     * As {@link #maxToKeep(int)}; {@code null} keeps all, as Python's {@code max_to_keep=None}.
     *
     * @param value checkpoints kept, {@code >= 0}, or {@code null} for all
     * @return this builder
     */
    public Builder maxToKeep(Integer value) {
      return maxToKeep(value == null ? KEEP_ALL : value.intValue());
    }

    /**
     * Whether {@code save} writes {@code prefix.meta}, the graph (default true, as in Python).
     *
     * @param value false to write no {@code .meta}, Python's {@code write_meta_graph=False}
     * @return this builder
     */
    public Builder writeMetaGraph(boolean value) {
      this.writeMetaGraph = value;
      return this;
    }

    /**
     * Spreads each checkpoint's tensors over {@code numShards} data files ({@code
     * prefix.data-0000K-of-0000N}), each tensor whole in one, about equal bytes in each; default 1.
     * Every reader reads any count; Python's {@code Saver(sharded=True)} writes one per device. A
     * graph saved through {@code SaveV2} (see the class) gets one shard whatever this says.
     *
     * @param numShards data files per checkpoint, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException for fewer than 1 shard
     */
    public Builder sharded(int numShards) {
      this.numShards = BundleWriter.checkShards(numShards);
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
      return new Saver(this, SaverVarList.resolve(graph, varList));
    }
  }
}
