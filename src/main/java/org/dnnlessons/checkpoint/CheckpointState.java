package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code checkpoint} state file Python's {@code tf.train.Saver} keeps beside its checkpoints,
 * in protobuf text format:
 *
 * <pre>
 * model_checkpoint_path: "model.ckpt-20"
 * all_model_checkpoint_paths: "model.ckpt-10"
 * all_model_checkpoint_paths: "model.ckpt-20"
 * </pre>
 *
 * Paths inside the directory are written relative to it, as Python writes them. The file is
 * replaced atomically and durably (see {@link #write}).
 *
 * @param latest the newest checkpoint prefix ({@code model_checkpoint_path})
 * @param all every kept prefix, oldest first ({@code all_model_checkpoint_paths})
 */
public record CheckpointState(String latest, List<String> all) {

  /** The state file's name. */
  public static final String FILE_NAME = "checkpoint";

  /** Copies the list. */
  public CheckpointState {
    all = List.copyOf(all);
  }

  /**
   * Reads {@code dir/checkpoint}.
   *
   * @return the state, or {@code null} when the directory has no state file
   * @throws CheckpointException when the file exists but cannot be parsed
   */
  public static CheckpointState read(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE_NAME);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "cannot read the state file: " + e.getMessage(), e);
    }
    String latest = null;
    List<String> all = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "line " + (i + 1) + " is '" + line + "', expected 'field: value'");
      }
      String field = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (field) {
        case "model_checkpoint_path" -> latest = unquote(file, i, value);
        case "all_model_checkpoint_paths" -> all.add(unquote(file, i, value));
        default -> {} // timestamps and fields of newer versions: not needed here
      }
    }
    if (latest == null) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "no model_checkpoint_path in the state file");
    }
    return new CheckpointState(latest, all);
  }

  /**
   * Writes {@code dir/checkpoint} atomically and durably: a temporary file ({@code
   * .checkpoint.tmp-PID-N}) is written and fsynced, renamed over the state file, and the directory
   * fsynced. The file's mode honours the umask (0644 under umask 022), as Python's does.
   */
  public void write(Path dir) throws CheckpointException {
    StringBuilder s = new StringBuilder();
    s.append("model_checkpoint_path: ").append(quote(latest)).append('\n');
    for (String p : all) {
      s.append("all_model_checkpoint_paths: ").append(quote(p)).append('\n');
    }
    Path file = dir.resolve(FILE_NAME);
    Path tmp = DurableFiles.temporary(dir, FILE_NAME);
    try {
      try {
        DurableFiles.write(tmp, s.toString().getBytes(StandardCharsets.UTF_8));
        DurableFiles.move(tmp, file);
        DurableFiles.forceDirectory(dir);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "cannot write the state file: " + DurableFiles.describe(e),
          e);
    }
  }

  /** Deletes {@code dir/checkpoint} (when it names no checkpoint any more), durably. */
  static void delete(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE_NAME);
    try {
      DurableFiles.delete(file);
      DurableFiles.forceDirectory(dir);
    } catch (IOException e) {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "cannot delete the state file: " + DurableFiles.describe(e),
          e);
    }
  }

  /**
   * The newest checkpoint prefix in {@code dir}, as {@code tf.train.latest_checkpoint(dir)} finds
   * it: the state file's {@code model_checkpoint_path}, resolved against {@code dir} when relative,
   * provided its {@code .index} file exists.
   *
   * @return the prefix, or {@code null} when there is no state file or its checkpoint is gone
   */
  public static Path latestCheckpoint(Path dir) throws CheckpointException {
    CheckpointState state = read(dir);
    if (state == null) {
      return null;
    }
    Path prefix = dir.resolve(state.latest());
    return Files.isRegularFile(Path.of(prefix + ".index")) ? prefix : null;
  }

  /**
   * A checkpoint prefix from a command-line argument: a directory means its latest checkpoint,
   * anything else is a prefix whose {@code .index} file must exist.
   *
   * @throws CheckpointException naming what is missing
   */
  public static Path resolve(Path prefixOrDir) throws CheckpointException {
    if (Files.isDirectory(prefixOrDir)) {
      Path latest = latestCheckpoint(prefixOrDir);
      if (latest == null) {
        throw new CheckpointException(
            prefixOrDir,
            CheckpointException.NO_OFFSET,
            Files.exists(prefixOrDir.resolve(FILE_NAME))
                ? "the state file names a checkpoint whose .index file is gone"
                : "no '" + FILE_NAME + "' state file here; pass a checkpoint prefix instead");
      }
      return latest;
    }
    if (!Files.isRegularFile(Path.of(prefixOrDir + ".index"))) {
      throw new CheckpointException(
          prefixOrDir,
          CheckpointException.NO_OFFSET,
          "no checkpoint here: expected the file " + prefixOrDir + ".index to exist");
    }
    return prefixOrDir;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String unquote(Path file, int line, String value) throws CheckpointException {
    if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "line " + (line + 1) + " has " + value + ", expected a quoted path");
    }
    StringBuilder out = new StringBuilder();
    String body = value.substring(1, value.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char n = body.charAt(++i);
        out.append(
            switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> n;
            });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
