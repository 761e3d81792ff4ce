package org.dnnlessons.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoints Python TensorFlow 2.21 wrote for the tests ({@code
 * src/test/python/make_checkpoint_fixtures.py}), and the values Python read back from them.
 */
final class PythonFixtures {

  static final Path ROOT =
      Path.of("src", "test", "resources", "org", "dnnlessons", "checkpoint", "python");

  private PythonFixtures() {}

  /** One line of an {@code expected.txt}: what Python's reader returned for a tensor. */
  record Expected(String name, String dtype, long[] shape, byte[] data, String[] stringsHex) {}

  static Map<String, Expected> expected(String fixture) throws IOException {
    Map<String, Expected> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve(fixture).resolve("expected.txt"))) {
      String[] f = line.split("\t", -1);
      long[] shape =
          f[2].isEmpty()
              ? new long[0]
              : java.util.Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
      if (f[1].equals("string")) {
        String[] parts = f[3].split(" ");
        out.put(f[0], new Expected(f[0], f[1], shape, null, parts));
      } else {
        byte[] data = f[3].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[3]);
        out.put(f[0], new Expected(f[0], f[1], shape, data, null));
      }
    }
    return out;
  }
}
