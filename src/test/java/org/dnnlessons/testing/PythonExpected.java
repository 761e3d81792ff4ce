package org.dnnlessons.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;

/**
 * The {@code expected.txt} that {@code src/test/python/make_checkpoint_fixtures.py} writes beside
 * each checkpoint: for every tensor, what Python's {@code tf.train.load_checkpoint(...)
 * .get_tensor(name)} returned (name, dtype, shape, then the little-endian bytes in hex, or each
 * string in hex).
 */
public final class PythonExpected {

  private PythonExpected() {}

  /** One tensor as Python read it. */
  public record Tensor(
      String name, String dtype, long[] shape, byte[] data, List<String> strings) {}

  /** Reads an {@code expected.txt}. */
  public static List<Tensor> read(Path expectedFile) throws IOException {
    List<Tensor> out = new ArrayList<>();
    for (String line : Files.readAllLines(expectedFile)) {
      String[] f = line.split("\t", -1);
      long[] shape =
          f[2].isEmpty()
              ? new long[0]
              : java.util.Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
      if (f[1].equals("string")) {
        List<String> strings = new ArrayList<>();
        for (String s : f[3].split(" ")) {
          strings.add(s.equals("-") ? "" : s);
        }
        out.add(new Tensor(f[0], f[1], shape, null, strings));
      } else {
        byte[] data = f[3].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[3]);
        out.add(new Tensor(f[0], f[1], shape, data, null));
      }
    }
    return out;
  }

  /**
   * Asserts the reader lists exactly these tensors, sorted, with the same dtypes and shapes, and
   * reads every one bit for bit as Python did.
   */
  public static void assertReaderMatches(CheckpointReader reader, Path expectedFile)
      throws IOException, CheckpointException {
    List<Tensor> expected = read(expectedFile);
    assertEquals(
        expected.stream().map(Tensor::name).toList(),
        reader.tensors().stream().map(TensorInfo::name).toList(),
        "names, sorted");
    for (Tensor e : expected) {
      TensorInfo info = reader.info(e.name());
      assertEquals(e.dtype(), info.numpyType(), e.name());
      assertArrayEquals(e.shape(), info.shape(), e.name());
      CheckpointTensor t = reader.read(e.name());
      if (e.data() != null) {
        assertArrayEquals(e.data(), t.data(), e.name());
      } else {
        assertEquals(
            e.strings(), t.strings().stream().map(HexFormat.of()::formatHex).toList(), e.name());
      }
    }
  }
}
