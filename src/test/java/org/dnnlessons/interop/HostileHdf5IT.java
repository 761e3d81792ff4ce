package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.dnnlessons.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crafted HDF5 files of issue 24, written by h5py ({@code make_fuzz_seeds.py --hostile}), read
 * by {@code inspect --all} and {@code evaluate --checkpoint}: each ends in under a few seconds with
 * the datasets it can read, or one line naming the file and what is wrong, where jHDF alone ran 207
 * s into a {@code StackOverflowError} (a hard-link cycle), took gigabytes (a gzip-chunked
 * 16384x16384 dataset in a small file, 1,000 layers hard-linked to one group) or threw {@code
 * BufferUnderflowException} (a dataset created but never written).
 */
class HostileHdf5IT {

  @TempDir static Path dir;

  @BeforeAll
  static void writeHostileFiles() throws Exception {
    PythonTensorFlow.output(Map.of(), "make_fuzz_seeds.py", "--hostile", dir.toString());
  }

  static Stream<Arguments> files() {
    return Stream.of(
        // the cycle's own datasets are listed once; the loop back to layers is not followed
        Arguments.of("cycle.weights.h5", "ok layers/dense/vars/0", "error"),
        Arguments.of("deep.weights.h5", "groups nest more than 32 deep", "error"),
        Arguments.of(
            "gzip_bomb.weights.h5",
            "dataset layers/dense/vars/0 is 1.0 GiB, more than the",
            "dataset layers/dense/vars/0 is 1.0 GiB, more than the"),
        Arguments.of(
            "unwritten.weights.h5",
            "dataset layers/dense/vars/0 was created but never written",
            "dataset layers/dense/vars/0 was created but never written"),
        // one group read once, whatever the number of links to it
        Arguments.of("hardlinked.weights.h5", "ok layers/dense/vars/1", "error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void inspectAndEvaluateEndWithTheDataOrOneLine(String name, String inspect, String evaluate) {
    Path file = dir.resolve("hostile").resolve(name);
    check(file, inspect, "inspect", "--all", file.toString());
    check(file, evaluate, "evaluate", "--checkpoint", file.toString());
  }

  private static void check(Path file, String expected, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    double seconds = (System.nanoTime() - start) / 1e9;
    String message = err.toString(StandardCharsets.UTF_8).strip();
    String what = args[0] + " " + file.getFileName() + " (" + seconds + " s): " + message;
    assertTrue(seconds < 60, what);
    if (expected.startsWith("ok ")) {
      assertEquals(0, status, what);
      String listed = out.toString(StandardCharsets.UTF_8);
      assertTrue(listed.contains(expected.substring(3)), what + "\n" + listed);
      return;
    }
    assertEquals(Main.EXIT_FAILURE, status, what);
    assertEquals(1, message.lines().count(), what);
    assertTrue(message.startsWith("error: " + file), what);
    assertTrue(message.length() < 400, what);
    if (!expected.equals("error")) {
      assertTrue(message.contains(expected), what);
    }
  }
}
