package org.dnnlessons.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.FiniteWeights;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.keras.MlpWeights;

/**
 * The tensors a warm start reads, by key: a V2 checkpoint's own keys (any names, so that {@code
 * --init-map} can rename them), or, for the forms Keras saves ({@code .keras}, {@code .weights.h5},
 * a SavedModel, a TF2 object checkpoint), the lesson-named tensors {@link MlpWeights#read} maps its
 * Dense layers to.
 */
final class WeightSource {

  /** A directory holding {@code saved_model.pb}. */
  private static final class SavedModelDirectory {
    static boolean is(Path p) {
      return Files.isDirectory(p) && Files.isRegularFile(p.resolve("saved_model.pb"));
    }
  }

  private final Path path;
  private final CheckpointReader reader;
  private final MlpWeights keras;

  private WeightSource(Path path, CheckpointReader reader, MlpWeights keras) {
    this.path = path;
    this.reader = reader;
    this.keras = keras;
  }

  /**
   * Opens a checkpoint prefix or directory, or any Keras form.
   *
   * @throws CheckpointException when the path is missing, unreadable or not a supported form
   */
  static WeightSource open(Path path) throws CheckpointException {
    return open(path, null, false);
  }

  /**
   * Opens a checkpoint or Keras form; {@code raw} reads a checkpoint's own keys (as {@code
   * --init-map} names them: a {@code tf.Module}'s or tf.keras 2's TF2 keys), {@code config}
   * describes a weights-only Keras form.
   */
  static WeightSource open(Path path, Path config, boolean raw) throws CheckpointException {
    boolean rawCheckpoint = raw && !Files.isRegularFile(path) && !SavedModelDirectory.is(path);
    if (!rawCheckpoint && MlpWeights.isKerasForm(path)) {
      MlpWeights w = MlpWeights.read(path, config);
      return new WeightSource(w.source(), null, w);
    }
    CheckpointReader r = CheckpointReader.open(CheckpointState.resolve(path));
    return new WeightSource(r.prefix(), r, null);
  }

  /** The file or checkpoint prefix read. */
  Path path() {
    return path;
  }

  /** What was read, for the table's title: {@code PATH} or {@code PATH (Keras archive)}. */
  String describe() {
    if (keras == null) {
      return path.toString();
    }
    return path
        + " ("
        + keras
            .format()
            .name()
            .toLowerCase(Locale.ROOT)
            .replace('_', ' ')
            .replace("keras ", "Keras ")
        + ")";
  }

  List<TensorInfo> tensors() throws CheckpointException {
    if (reader != null) {
      return reader.tensors();
    }
    List<TensorInfo> infos = new ArrayList<>();
    for (CheckpointTensor t : keras.tensors().values()) {
      infos.add(t.info());
    }
    return infos;
  }

  boolean contains(String key) {
    return reader != null ? reader.contains(key) : keras.tensors().containsKey(key);
  }

  TensorInfo info(String key) throws CheckpointException {
    return reader != null ? reader.info(key) : keras.tensors().get(key).info();
  }

  float[] floats(String key) throws CheckpointException {
    // a Keras form's tensors were checked when MlpWeights read them
    return reader != null
        ? FiniteWeights.check(path, key, reader.read(key).floats())
        : keras.tensors().get(key).floats();
  }

  /** The key, and the file's own name for it when that differs (a Keras variable path). */
  String describe(String key) {
    String inFile = keras != null ? keras.sourceNames().get(key) : key;
    return inFile == null || inFile.equals(key) ? key : key + " (" + inFile + " in the file)";
  }

  /** "; closest names in the checkpoint: a, b, c" for a missing key. */
  String closestNames(String key) {
    if (reader != null) {
      return reader.closestNames(key);
    }
    return "; the file holds " + String.join(", ", keras.tensors().keySet());
  }
}
