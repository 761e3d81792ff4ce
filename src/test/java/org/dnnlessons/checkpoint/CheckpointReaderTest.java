package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.cli.Main;
import org.dnnlessons.testing.PythonExpected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pure-Java reader against checkpoints written by Python TensorFlow: every supported dtype, two
 * shards, a TensorFlow 2 object-based checkpoint; and {@code inspect} against Python's {@code
 * inspect_checkpoint} output for the same files.
 */
class CheckpointReaderTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"dtypes/model.ckpt", "sharded", "tf2", "partitioned/model.ckpt", "v1/model.ckpt"})
  void everyTensorEqualsWhatPythonReadsBitForBit(String fixture) throws Exception {
    Path checkpoint = PythonFixtures.ROOT.resolve(fixture);
    PythonExpected.assertReaderMatches(
        CheckpointReader.open(checkpoint),
        PythonFixtures.ROOT.resolve(fixture.split("/")[0]).resolve("expected.txt"));
  }

  @Test
  void pythonTrainedMlpHasTheContractsNames() throws Exception {
    CheckpointReader reader = CheckpointReader.open(PythonFixtures.ROOT.resolve("mlp"));
    assertEquals(
        List.of("hidden_layer/biases", "hidden_layer/weights", "out/biases", "out/weights"),
        reader.tensors().stream().map(TensorInfo::name).toList());
    assertEquals(784 * 32, reader.read("hidden_layer/weights").floats().length);
  }

  @Test
  void typedAccessorsDecodeTheBytes() throws Exception {
    CheckpointReader reader =
        CheckpointReader.open(PythonFixtures.ROOT.resolve("dtypes/model.ckpt"));
    assertArrayEquals(
        new float[] {0.5f, -65504f, 0x1p-24f, 1.0009765625f},
        reader.read("c_float16").halfFloats());
    assertArrayEquals(
        new float[] {1.5f, -3.0f, 0.00099945068359375f}, reader.read("d_bfloat16").halfFloats());
    assertArrayEquals(new long[] {-128, 0, 127}, reader.read("e_int8").longs());
    assertArrayEquals(new long[] {0, 65535}, reader.read("j_uint16").longs());
    assertArrayEquals(new boolean[] {true, false, true}, reader.read("k_bool").booleans());
    assertEquals(7.25f, reader.read("m_scalar").floats()[0]);
    assertEquals(0, reader.read("n_empty").floats().length);
    assertEquals(47, reader.totalParameters());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"names", "--all"})
  void inspectPrintsWhatPythonsInspectCheckpointPrints(String mode) throws Exception {
    String option = mode.equals("names") ? "" : mode;
    String golden =
        Files.readString(
            PythonFixtures.ROOT
                .resolve("dtypes")
                .resolve(option.isEmpty() ? "inspect.txt" : "inspect_all.txt"),
            StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String prefix = PythonFixtures.ROOT.resolve("dtypes/model.ckpt").toString();
    String[] args =
        option.isEmpty()
            ? new String[] {"inspect", prefix}
            : new String[] {"inspect", prefix, option};
    int status = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, args);
    assertEquals(0, status);
    assertEquals(golden, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void inspectJsonListsNamesDtypesShapesAndValues() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.execute(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err,
        "inspect",
        PythonFixtures.ROOT.resolve("sharded").toString(),
        "--json",
        "--tensor",
        "biases");
    assertEquals(
        "{\"tensors\":[{\"name\":\"biases\",\"dtype\":\"float32\",\"shape\":[4],"
            + "\"values\":[1.5,-2.5,3.5,-4.5]}],\"total_params\":16}\n",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void jsonKeepsBytesThatAreNotUtf8ApartFromText() {
    assertEquals("{\"base64\":\"AP8=\"}", TensorJson.string(new byte[] {0, (byte) 0xff}));
    assertEquals(
        "\"base64:AP8=\"", TensorJson.string("base64:AP8=".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "\"caf\u00e9\\n\"", TensorJson.string("caf\u00e9\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void partitionedVariablesAreListedOnceWithTheirFullShape() throws Exception {
    CheckpointReader reader =
        CheckpointReader.open(PythonFixtures.ROOT.resolve("partitioned/model.ckpt"));
    assertEquals(11, reader.tensors().size());
    assertEquals("p3_axis1_int32 (DT_INT32) [3,7]", reader.info("p3_axis1_int32").toString());
    assertTrue(reader.partitioned("p3_axis1_int32"));
    assertEquals(272, reader.totalParameters());
  }

  @Test
  void missingTensorNamesTheClosestKeys() throws Exception {
    CheckpointReader reader = CheckpointReader.open(PythonFixtures.ROOT.resolve("mlp"));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> reader.read("hidden_layer/weight"));
    assertTrue(
        e.getMessage()
            .endsWith(
                "no tensor named 'hidden_layer/weight'; closest names in"
                    + " the checkpoint: hidden_layer/weights, hidden_layer/biases, out/weights"),
        e.getMessage());
  }
}
