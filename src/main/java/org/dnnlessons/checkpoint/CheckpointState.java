package org.dnnlessons.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.files.Messages;
import org.dnnlessons.files.SmallFiles;

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

  /** State files larger than this are refused (one line per kept checkpoint). */
  static final int MAX_STATE_FILE_BYTES = 16 << 20;

  /**
   * Copies the list.
   *
   * @param latest the newest checkpoint prefix ({@code model_checkpoint_path})
   * @param all every kept prefix, oldest first ({@code all_model_checkpoint_paths}); copied
   */
  public CheckpointState {
    all = List.copyOf(all);
  }

  /**
   * Reads {@code dir/checkpoint}.
   *
   * @param dir the checkpoint directory
   * @return the state, or {@code null} when the directory has no state file
   * @throws CheckpointException when the file exists but cannot be parsed
   */
  public static CheckpointState read(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE_NAME);
    List<String> lines = lines(file);
    return lines == null ? null : parse(file, lines);
  }

  /** The state file's lines, or {@code null} when there is none. */
  private static List<String> lines(Path file) throws CheckpointException {
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      // a FIFO or a link to /dev/zero is refused here, before it is opened
      byte[] bytes;
      try {
        bytes = SmallFiles.read(file, MAX_STATE_FILE_BYTES);
      } catch (FileSystemException e) {
        if (e instanceof NoSuchFileException) {
          throw e;
        }
        throw new CheckpointException(
            file,
            CheckpointException.NO_OFFSET,
            "the state file "
                + e.getReason()
                + (e.getReason().startsWith("larger") ? " (Python's are a few hundred)" : ""),
            e);
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .decode(ByteBuffer.wrap(bytes))
            .toString()
            .lines()
            .toList();
      } catch (CharacterCodingException e) {
        throw new CheckpointException(
            file, CheckpointException.NO_OFFSET, "the state file is not UTF-8 text");
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new CheckpointException(
          file, CheckpointException.NO_OFFSET, "cannot read the state file: " + e.getMessage(), e);
    }
  }

  /** The state its lines give, in protobuf text format. */
  private static CheckpointState parse(Path file, List<String> lines) throws CheckpointException {
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
            "line " + (i + 1) + " is '" + Messages.value(line) + "', expected 'field: value'");
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
   *
   * @param dir the checkpoint directory; the file is {@code dir/checkpoint}
   * @throws CheckpointException one line naming the file when it cannot be written; the old state
   *     file is then untouched
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
   * @param dir the checkpoint directory
   * @return the prefix, or {@code null} when there is no state file or its checkpoint is gone
   * @throws CheckpointException when the state file exists but cannot be parsed
   */
  public static Path latestCheckpoint(Path dir) throws CheckpointException {
    CheckpointState state = read(dir);
    if (state == null) {
      return null;
    }
    Path prefix = dir.resolve(state.latest());
    return Recovery.readable(prefix); // the recovery set while the prefix is being overwritten
  }

  /**
   * A checkpoint prefix from a command-line argument, as users name checkpoints: a directory means
   * its latest checkpoint (its state file's {@code model_checkpoint_path}); the state file itself
   * means the same; a file of a checkpoint ({@code model.ckpt.index}, {@code
   * model.ckpt.data-00000-of-00001}, {@code model.ckpt.meta}) means its prefix; anything else is a
   * prefix with a {@code .index} file, or a V1 checkpoint file. Warnings (a state file that names a
   * checkpoint elsewhere, whose namesake beside the state file is used) go to standard error.
   *
   * @param prefixOrDir a directory, a state file, a checkpoint's file or its prefix
   * @return the checkpoint prefix, e.g. {@code runs/model.ckpt-540}
   * @throws CheckpointException naming every path tried
   */
  public static Path resolve(Path prefixOrDir) throws CheckpointException {
    return resolve(prefixOrDir, w -> System.err.println("warning: " + w));
  }

  /**
   * As {@link #resolve(Path)}, giving each one-line warning to {@code warnings}.
   *
   * <p>A state file may name a checkpoint that is not there: the directory was moved and the paths
   * are absolute, it was written on Windows, or the checkpoint was deleted. Python's {@code
   * tf.train.latest_checkpoint} then returns {@code None}; here, when a checkpoint of the same base
   * name sits beside the state file, it is used with a warning, and otherwise the message names the
   * path tried.
   *
   * @param prefixOrDir a directory, a state file, a checkpoint's file or its prefix
   * @param warnings receives each one-line warning
   * @return the checkpoint prefix, e.g. {@code runs/model.ckpt-540}
   * @throws CheckpointException one line naming the path when it names no checkpoint
   */
  public static Path resolve(Path prefixOrDir, Consumer<String> warnings)
      throws CheckpointException {
    if (prefixOrDir.toString().isEmpty()) { // Path.of("") is the working directory: say so instead
      throw new CheckpointException(
          prefixOrDir,
          CheckpointException.NO_OFFSET,
          "the checkpoint path is empty; expected a checkpoint prefix such as"
              + " run/model.ckpt-540, or a directory");
    }
    if (Files.isDirectory(prefixOrDir)) {
      return latestIn(prefixOrDir, warnings);
    }
    if (Files.isRegularFile(Path.of(prefixOrDir + ".index"))) {
      return prefixOrDir;
    }
    String name = String.valueOf(prefixOrDir.getFileName());
    Matcher file = CHECKPOINT_FILE.matcher(name);
    if (file.matches()) { // a file of a checkpoint (a V2 index is a table too: before V1)
      Path prefix = prefixOrDir.resolveSibling(file.group(1));
      if (isCheckpoint(prefix)) {
        return prefix;
      }
    }
    if (name.equals(FILE_NAME) && Files.isRegularFile(prefixOrDir)) {
      Path dir = prefixOrDir.getParent();
      return latestIn(dir != null ? dir : Path.of("."), warnings);
    }
    if (isCheckpoint(prefixOrDir)) {
      return prefixOrDir;
    }
    Path recovery = Recovery.readable(prefixOrDir);
    if (recovery != null) {
      return recovery; // the old checkpoint while an overwrite is under way (or was killed)
    }
    Path index = Path.of(prefixOrDir + ".index");
    if (Files.exists(index)) { // but not a regular file: say what it is
      try {
        SmallFiles.checkRegular(index);
      } catch (FileSystemException e) {
        throw new CheckpointException(index, CheckpointException.NO_OFFSET, e.getReason(), e);
      } catch (IOException e) {
        // gone meanwhile: the message below
      }
    }
    throw new CheckpointException(
        prefixOrDir,
        CheckpointException.NO_OFFSET,
        "no checkpoint here: expected the file "
            + prefixOrDir
            + ".index to exist"
            + newestNumbered(prefixOrDir));
  }

  /**
   * When {@code PREFIX-N.index} files sit beside a missing {@code PREFIX.index} (the prefix given
   * to {@code train --save}, whose checkpoints carry the step), the hint naming the highest N; else
   * empty.
   */
  private static String newestNumbered(Path prefix) {
    Path name = prefix.getFileName();
    if (name == null) {
      return "";
    }
    Path parent = prefix.getParent();
    Path dir = parent != null ? parent : Path.of(".");
    Pattern numbered = Pattern.compile(Pattern.quote(name.toString()) + "-(\\d{1,18})\\.index");
    long newest = -1;
    try (var files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Matcher m = numbered.matcher(String.valueOf(f.getFileName()));
        if (m.matches() && Files.isRegularFile(f)) {
          newest = Math.max(newest, Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException | RuntimeException e) {
      return ""; // an unreadable directory: the message as it was
    }
    if (newest < 0) {
      return "";
    }
    return "; the newest checkpoint saved with this prefix is "
        + prefix
        + "-"
        + newest
        + ": pass that, or the directory "
        + (parent != null ? parent : Path.of("."));
  }

  /** A checkpoint's own files: {@code PREFIX.index}, {@code .meta}, {@code .data-N-of-M}. */
  private static final Pattern CHECKPOINT_FILE =
      Pattern.compile("(.+)\\.(index|meta|data-\\d{5}-of-\\d{5})");

  /** Whether a V2 ({@code prefix.index}) or V1 checkpoint is at {@code prefix}. */
  static boolean isCheckpoint(Path prefix) {
    return Files.isRegularFile(Path.of(prefix + ".index"))
        || !TensorSliceCheckpoint.files(prefix).isEmpty();
  }

  private static Path latestIn(Path dir, Consumer<String> warnings) throws CheckpointException {
    CheckpointState state = read(dir);
    Path stateFile = dir.resolve(FILE_NAME);
    if (state == null) {
      throw new CheckpointException(
          dir, CheckpointException.NO_OFFSET, "no '" + FILE_NAME + "' state file here" + hint(dir));
    }
    String named = state.latest();
    String shown = printable(named);
    Path tried = null;
    try {
      tried = dir.resolve(named);
      if (!named.isEmpty() && isCheckpoint(tried)) {
        return tried;
      }
      Path recovery = named.isEmpty() ? null : Recovery.readable(tried);
      if (recovery != null) {
        return recovery; // the old checkpoint while an overwrite is under way (or was killed)
      }
    } catch (InvalidPathException e) {
      // not a path on this system: try its base name below
    }
    String base = named.substring(Math.max(named.lastIndexOf('/'), named.lastIndexOf('\\')) + 1);
    Path beside = null;
    try {
      beside = base.isEmpty() || base.equals(".") || base.equals("..") ? null : dir.resolve(base);
    } catch (InvalidPathException e) {
      // no namesake either
    }
    if (beside != null && !beside.equals(tried) && isCheckpoint(beside)) {
      warnings.accept(
          stateFile
              + " names '"
              + shown
              + "', which is not there"
              + (tried != null ? " (tried " + tried + ")" : "")
              + "; using "
              + beside
              + " beside the state file");
      return beside;
    }
    throw new CheckpointException(
        stateFile,
        CheckpointException.NO_OFFSET,
        "names the checkpoint '"
            + shown
            + "', but "
            + (tried != null ? tried + ".index does not exist" : "that is not a path here")
            + (beside != null && !beside.equals(tried)
                ? ", nor does " + beside + ".index beside the state file"
                : ""));
  }

  /** The newest model file to pass instead ({@link NewestSavedFile}), or the general advice. */
  private static String hint(Path dir) {
    String newest = NewestSavedFile.hint(dir);
    return newest.isEmpty() ? "; pass a checkpoint prefix instead" : newest;
  }

  /** {@code s} with control characters written as {@code \xNN}, for a one-line message. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(
          c < 0x20 || c == 0x7f
              ? String.format(Locale.ROOT, "\\x%02x", (int) c)
              : String.valueOf(c));
    }
    return out.toString();
  }

  /**
   * {@code s} as a protobuf text-format string, as Python's {@code text_format} writes it: {@code
   * \\}, {@code \"}, {@code \n}, {@code \r}, {@code \t}, other control characters as three octal
   * digits of their UTF-8 bytes, so that the file stays one path a line and every path reads back.
   */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format(Locale.ROOT, "\\%03o", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private static String unquote(Path file, int line, String value) throws CheckpointException {
    if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
      throw new CheckpointException(
          file,
          CheckpointException.NO_OFFSET,
          "line " + (line + 1) + " has " + Messages.value(value) + ", expected a quoted path");
    }
    // protobuf text format's escapes; octal and hex escapes are bytes of the UTF-8 text
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String body = value.substring(1, value.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char n = body.charAt(++i);
        if (n >= '0' && n <= '7') {
          int end = i + 1;
          while (end < body.length() && end < i + 3 && isOctal(body.charAt(end))) {
            end++;
          }
          out.write(Integer.parseInt(body.substring(i, end), 8));
          i = end - 1;
          continue;
        }
        if (n == 'x' && i + 1 < body.length() && isHex(body.charAt(i + 1))) {
          int end = i + 2;
          if (end < body.length() && isHex(body.charAt(end))) {
            end++;
          }
          out.write(Integer.parseInt(body.substring(i + 1, end), 16));
          i = end - 1;
          continue;
        }
        out.write(
            switch (n) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'a' -> 7;
              case 'b' -> '\b';
              case 'f' -> '\f';
              case 'v' -> 11;
              default -> n; // \\, \", \' and others: the character itself (ASCII)
            });
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < body.length()) {
          utf8 = body.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(utf8);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
