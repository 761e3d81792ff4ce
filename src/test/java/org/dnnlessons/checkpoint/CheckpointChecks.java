package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;

/** What a checkpoint directory must look like whenever a writer stops, killed or failed. */
final class CheckpointChecks {

  private CheckpointChecks() {}

  /**
   * Every checkpoint in {@code dir} (every {@code .index} not under a temporary name) reads whole,
   * checksums included, and holds one value written by one save, one of {@code allowed} (any value
   * when null); the state file parses, and every checkpoint it lists, the latest first, has its
   * files.
   *
   * @return the latest checkpoint the state file names, or null when there is no state file
   */
  static Path assertIntact(Path dir, Collection<Float> allowed, String where) throws Exception {
    for (Path f : list(dir)) {
      String n = f.getFileName().toString();
      if (n.endsWith(".index") && !DurableFiles.isTemporary(n)) {
        Path prefix = dir.resolve(n.substring(0, n.length() - ".index".length()));
        float v = readValue(prefix, where);
        assertTrue(
            allowed == null || allowed.contains(v),
            where + ": " + prefix + " holds " + v + ", not " + allowed);
      }
    }
    CheckpointState state = CheckpointState.read(dir);
    if (state == null) {
      return null;
    }
    Path latest = dir.resolve(state.latest());
    assertTrue(
        Recovery.readable(latest) != null,
        where + ": the state file names " + latest + ", whose .index is missing (no recovery set)");
    assertTrue(state.all().contains(state.latest()), where + ": latest among all " + state);
    for (String p : state.all()) {
      assertTrue(
          Recovery.readable(dir.resolve(p)) != null,
          where + ": the state file lists " + p + ", whose index is missing (no recovery set)");
      readValue(dir.resolve(p), where + ", listed " + p);
    }
    return latest;
  }

  /** The one value every tensor of the checkpoint holds; fails on a mixed or torn checkpoint. */
  static float readValue(Path prefix, String where) throws Exception {
    CheckpointReader reader;
    try {
      reader = CheckpointReader.open(prefix);
    } catch (CheckpointException e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
    Float value = null;
    for (TensorInfo t : reader.tensors()) {
      CheckpointTensor tensor;
      try {
        tensor = reader.read(t.name());
      } catch (CheckpointException e) {
        throw new AssertionError(where + ": " + e.getMessage(), e);
      }
      float[] values;
      if (t.dtype() == DataType.DT_STRING) {
        List<byte[]> strings = tensor.strings();
        values = new float[strings.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.parseFloat(new String(strings.get(i), StandardCharsets.UTF_8));
        }
      } else {
        values = tensor.floats();
      }
      for (float v : values) {
        if (value == null) {
          value = v;
        }
        assertEquals(
            value, v, where + ": " + prefix + " mixes two saves (tensor " + t.name() + ")");
      }
    }
    if (value == null) {
      fail(where + ": " + prefix + " holds no values");
    }
    return value;
  }

  /** Files whose names {@link DurableFiles#temporary} makes. */
  static List<Path> temporaryFiles(Path dir) throws IOException {
    return list(dir).stream()
        .filter(f -> DurableFiles.isTemporary(f.getFileName().toString()))
        .toList();
  }

  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  /**
   * Copies the regular files of {@code from} into the new directory {@code to}, keeping hard links
   * as hard links (the recovery set of an overwrite shares its files with the prefix), as a killed
   * writer leaves them.
   */
  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    java.util.Map<Object, Path> copied = new java.util.HashMap<>();
    for (Path f : list(from)) {
      if (Files.isRegularFile(f)) {
        Object key =
            Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Path target = to.resolve(f.getFileName());
        Path first = key == null ? null : copied.get(key);
        if (first != null) {
          Files.createLink(target, first);
        } else {
          Files.copy(f, target);
          if (key != null) {
            copied.put(key, target);
          }
        }
      }
    }
  }
}
