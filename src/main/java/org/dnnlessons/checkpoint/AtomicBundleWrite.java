package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dnnlessons.files.FilePublisher;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * The atomic write of one checkpoint's files, as {@link Saver#save} promises it: the bundle (and
 * the {@code .meta}) written under temporary names and fsynced; an existing checkpoint at the
 * prefix kept as its recovery set ({@link Recovery#keep}) and its {@code .index} deleted, so that
 * in between the prefix has no index and readers use the recovery set, never a mix of two saves;
 * then the data files, the meta file and the index, last, renamed into place, the directory fsynced
 * and the recovery set deleted. TensorFlow's C++ {@code BundleWriter} writes to a temporary name
 * and renames too, without the recovery set.
 */
final class AtomicBundleWrite {

  private final SaverOps ops;
  private final int numShards;
  private final boolean writeMetaGraph;

  /**
   * Writes the variables of {@code ops}.
   *
   * @param numShards data files per checkpoint (1 when {@code SaveV2} writes)
   * @param writeMetaGraph whether {@link #save} writes a {@code .meta}
   */
  AtomicBundleWrite(SaverOps ops, int numShards, boolean writeMetaGraph) {
    this.ops = ops;
    this.numShards = numShards;
    this.writeMetaGraph = writeMetaGraph;
  }

  /**
   * Saves a checkpoint at {@code path} into {@code dir}, whose lock the caller holds: first settles
   * what killed saves left there and refuses targets that are not regular files.
   *
   * @param onReplace run when a checkpoint at {@code path} is about to be replaced
   * @throws CheckpointException when a file cannot be written or moved; temporary files are gone
   */
  void save(Session session, Path path, Path dir, Runnable onReplace) throws CheckpointException {
    settleDeadWriters(dir);
    checkTargets(path, dir);
    write(session, path, dir, writeMetaGraph, onReplace);
  }

  /**
   * Writes the bundle alone at {@code path}: no {@code .meta} (an old one is deleted), no settling,
   * no lock.
   *
   * @throws CheckpointException when a file cannot be written or moved; temporary files are gone
   */
  void writeBundle(Session session, Path path) throws CheckpointException {
    write(session, path, createDirectory(path), false, () -> {});
  }

  private void write(Session session, Path path, Path dir, boolean withMeta, Runnable onReplace)
      throws CheckpointException {
    String prefix = path.toString();
    String tmpPrefix = DurableFiles.temporary(dir, path.getFileName().toString()).toString();
    boolean moved = false;
    try {
      List<String> suffixes = writeTemporary(session, tmpPrefix, withMeta);
      List<Path> oldData = dataFiles(path);
      boolean kept = false;
      if (Files.exists(Path.of(prefix + ".index")) || !oldData.isEmpty()) {
        onReplace.run();
        kept = retire(path, oldData, suffixes, withMeta);
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
          "cannot write the checkpoint: " + TensorFlowFailures.firstLine(e.getMessage()),
          e);
    } catch (IOException e) {
      throw new CheckpointException(
          path,
          CheckpointException.NO_OFFSET,
          (moved ? "cannot move the checkpoint into place: " : "cannot write the checkpoint: ")
              + DurableFiles.describe(e),
          e);
    } finally {
      deleteTemporary(dir, tmpPrefix);
    }
  }

  /**
   * Writes every file under the temporary prefix, fsynced.
   *
   * @return the suffixes written, in the order they are moved into place: {@code .index} last (a
   *     prefix whose {@code .index} exists is complete)
   */
  private List<String> writeTemporary(Session session, String tmpPrefix, boolean withMeta)
      throws IOException {
    boolean written = writeFromJava(session, tmpPrefix);
    if (!written) {
      ops.runSaveV2(session, tmpPrefix);
      DurableFiles.force(Path.of(tmpPrefix + BundleWriter.dataSuffix(0, 1)));
      DurableFiles.force(Path.of(tmpPrefix + ".index"));
    }
    List<String> suffixes = new ArrayList<>();
    int shards = written ? numShards : 1; // SaveV2 here writes one shard
    for (int shard = 0; shard < shards; shard++) {
      suffixes.add(BundleWriter.dataSuffix(shard, shards));
    }
    if (withMeta) {
      DurableFiles.write(Path.of(tmpPrefix + ".meta"), ops.metaGraph().toByteArray());
      suffixes.add(".meta");
    }
    suffixes.add(".index");
    return suffixes;
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
    if (ops.fixedSizeTypes() == null) {
      return false;
    }
    try (Result values = ops.fetchVariables(session)) {
      Map<String, Tensor> byKey = new LinkedHashMap<>();
      for (int i = 0; i < ops.keys().size(); i++) {
        byKey.put(ops.keys().get(i), values.get(i));
      }
      BundleWriter.write(tmpPrefix, byKey, numShards);
    }
    return true;
  }

  /**
   * Keeps the checkpoint at the prefix restorable under the recovery name (hard links, index last)
   * until the new index is in place, then deletes its index: from here until the new one is renamed
   * in, the prefix has no index (readers use the recovery set), never the new data with the old
   * index. Old files the new set does not replace (a shard of another shard count, a {@code .meta}
   * when none is written) are deleted.
   *
   * @return whether a recovery set was made
   */
  private static boolean retire(
      Path path, List<Path> oldData, List<String> suffixes, boolean withMeta) throws IOException {
    String prefix = path.toString();
    String name = path.getFileName().toString();
    Path dir = path.toAbsolutePath().getParent();
    boolean kept = Recovery.keep(path, oldData);
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
    return kept;
  }

  /** Deletes what remains of this save's temporary files (all of them after a failure). */
  private static void deleteTemporary(Path dir, String tmpPrefix) {
    String tmpName = Path.of(tmpPrefix).getFileName().toString();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(tmpName + "."))) {
      for (Path f : files) {
        DurableFiles.delete(f);
      }
    } catch (IOException e) {
      // the next save in this directory deletes them (DurableFiles.deleteStale)
    }
  }

  /**
   * Settles what a killed save left in {@code dir}: its temporary files are deleted and each
   * recovery set is rolled back or discarded ({@link Recovery#recoverAll}).
   *
   * @throws CheckpointException when that fails
   */
  private static void settleDeadWriters(Path dir) throws CheckpointException {
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
        FilePublisher.checkTarget(t);
      } catch (IOException e) {
        throw new CheckpointException(
            t,
            CheckpointException.NO_OFFSET,
            e instanceof FileSystemException f && f.getReason() != null
                ? f.getReason()
                : e.getMessage(),
            e);
      }
    }
  }

  /**
   * The directory a checkpoint at {@code path} is saved in, created when missing.
   *
   * @throws CheckpointException when it cannot be created
   */
  static Path createDirectory(Path path) throws CheckpointException {
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

  /** The data shards of the checkpoint at {@code prefix}: {@code prefix.data-NNNNN-of-NNNNN}. */
  static List<Path> dataFiles(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String name = prefix.getFileName().toString();
    Pattern shard = Pattern.compile(Pattern.quote(name) + "\\.data-\\d{5}-of-\\d{5}");
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all =
        Files.newDirectoryStream(dir, f -> shard.matcher(f.getFileName().toString()).matches())) {
      all.forEach(f -> files.add(prefix.resolveSibling(f.getFileName())));
    } catch (IOException e) {
      // an unreadable directory: the save itself will say so
    }
    return files;
  }
}
