package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.cli.Main;
import org.dnnlessons.testing.PythonExpected;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checkpoints Python TensorFlow 2.21 writes that are harder to read, written during this run
 * ({@code make_reader_fixtures.py}): partitioned variables (2 and 3 slices along either axis), V1
 * TensorSlice files, strings with every byte Python escapes, non-finite floats. Each is read bit
 * for bit as {@code tf.train.load_checkpoint(...).get_tensor} reads it, and {@code inspect} prints
 * what Python's {@code inspect_checkpoint} prints, line for line, except where Python prints the
 * raw binary keys of slices (compared with {@code tf.train.list_variables} there) or gives up.
 */
class PythonCheckpointFormatsIT {

  @TempDir static Path dir;

  @BeforeAll
  static void pythonWritesTheCheckpoints() throws Exception {
    PythonTensorFlow.run("make_reader_fixtures.py", dir.toString());
  }

  private static Path prefix(String fixture) {
    return dir.resolve(fixture).resolve("model.ckpt");
  }

  private static String python(String fixture, String file) throws Exception {
    return Files.readString(dir.resolve(fixture).resolve(file), StandardCharsets.UTF_8);
  }

  static String inspect(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "inspect";
    System.arraycopy(args, 0, all, 1, args.length);
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            all);
    assertEquals(0, status, () -> String.join(" ", all) + ": " + err);
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"partitioned", "v1", "strings", "nonfinite"})
  void everyTensorEqualsWhatPythonReadsBitForBit(String fixture) throws Exception {
    PythonExpected.assertReaderMatches(
        CheckpointReader.open(prefix(fixture)), dir.resolve(fixture).resolve("expected.txt"));
  }

  /**
   * Names, dtypes and full shapes as {@code tf.train.list_variables} gives them, each partitioned
   * variable once; Python's inspect_checkpoint prints the slices' binary keys instead (partitioned)
   * or its V1 table in hash order with ", 3 slices": only its total is compared there.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"partitioned", "v1"})
  void inspectListsEachVariableOnceAsListVariablesDoes(String fixture) throws Exception {
    List<String> pythonLines = python(fixture, "inspect.txt").lines().toList();
    String expected =
        python(fixture, "list.txt") + "\n" + pythonLines.get(pythonLines.size() - 1) + "\n";
    assertEquals(expected, inspect(prefix(fixture).toString()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"partitioned", "strings", "nonfinite"})
  void inspectAllPrintsWhatPythonPrints(String fixture) throws Exception {
    assertEquals(python(fixture, "inspect_all.txt"), inspect(prefix(fixture).toString(), "--all"));
  }

  /** Python's V1 reader stops at float16 ("Data type not supported"): everything before agrees. */
  @Test
  void inspectAllOfAV1CheckpointPrintsWhatPythonPrintsBeforeItGivesUp() throws Exception {
    String python = python("v1", "inspect_all.txt");
    String stop = "tensor: half (float16) [3]\n";
    assertTrue(python.contains(stop + "Data type not supported"), python);
    String java = inspect(prefix("v1").toString(), "--all");
    int cut = python.indexOf(stop) + stop.length();
    assertEquals(python.substring(0, cut), java.substring(0, cut));
    // numpy: print(np.array([0.5, -2, 65504], dtype=np.float16))
    assertTrue(java.substring(cut).startsWith("[ 5.00e-01 -2.00e+00  6.55e+04]\n"), java);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "partitioned p2_axis0_float32",
        "partitioned p3_axis1_int32",
        "v1 f32",
        "v1 s",
        "strings s/.ATTRIBUTES/VARIABLE_VALUE"
      })
  void inspectTensorPrintsWhatPythonPrints(String fixtureAndTensor) throws Exception {
    String[] f = fixtureAndTensor.split(" ");
    assertEquals(
        python(f[0], "tensor_" + f[1].replace("/", "_") + ".txt"),
        inspect(prefix(f[0]).toString(), "--tensor", f[1]));
  }

  /** Python cannot print a V1 partitioned variable ("Sliced checkpoints are not supported"). */
  @Test
  void aPartitionedV1VariablePrintsWhole() throws Exception {
    assertEquals(
        "Sliced checkpoints are not supported\n",
        python("v1", "tensor_layer_parts.txt").lines().skip(1).findFirst().orElse("") + "\n");
    String java = inspect(prefix("v1").toString(), "--tensor", "layer/parts");
    assertTrue(java.startsWith("tensor: layer/parts (float32) [10, 2]\n[[-3.5 -2.5]\n"), java);
  }

  /** Bytes that are not UTF-8 become an object, which no JSON string can equal. */
  @Test
  void jsonKeepsBytesAndTextApart() throws Exception {
    String json =
        inspect(prefix("strings").toString(), "--json", "--tensor", "s/.ATTRIBUTES/VARIABLE_VALUE");
    assertTrue(json.contains(",{\"base64\":\"AP8=\"},"), json);
    assertTrue(json.contains(",\"base64:AP8=\","), json);
    assertTrue(json.contains("\"a\\nb\",\"it's\""), json);
  }

  /** A file of the checkpoint given instead of its prefix opens the checkpoint. */
  @Test
  void aFileOfTheCheckpointStandsForItsPrefix() throws Exception {
    String names = inspect(prefix("partitioned").toString());
    List<String> files = new ArrayList<>(List.of(".index", ".data-00000-of-00001"));
    for (String suffix : files) {
      assertEquals(names, inspect(prefix("partitioned") + suffix), suffix);
    }
  }
}
