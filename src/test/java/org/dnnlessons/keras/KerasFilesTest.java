package org.dnnlessons.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;

/**
 * Keras files written by {@link KerasExport} read back by {@link MlpWeights#read}, and every kind
 * of bad file refused with one {@link CheckpointException} naming the file: zip entries beyond
 * their bounds (never trusting declared sizes), missing entries, bad JSON, layers that do not fit,
 * truncated and mutated HDF5.
 */
class KerasFilesTest {

  @TempDir Path dir;

  private MlpWeights weights;

  @BeforeEach
  void smallNetwork() {
    Random random = new Random(3);
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    tensors.put("hidden_layer/weights", tensor("hidden_layer/weights", random, 12, 5));
    tensors.put("hidden_layer/biases", tensor("hidden_layer/biases", random, 5));
    tensors.put("hidden_layer_2/weights", tensor("hidden_layer_2/weights", random, 5, 4));
    tensors.put("hidden_layer_2/biases", tensor("hidden_layer_2/biases", random, 4));
    tensors.put("out/weights", tensor("out/weights", random, 4, 10));
    tensors.put("out/biases", tensor("out/biases", random, 10));
    Map<String, String> names = new LinkedHashMap<>();
    tensors.keySet().forEach(k -> names.put(k, k));
    weights =
        new MlpWeights(
            dir.resolve("made"),
            MlpWeights.Format.LESSON_CHECKPOINT,
            org.dnnlessons.nn.ModelDescription.lesson(List.of(5, 4)),
            tensors,
            names,
            List.of());
  }

  private static CheckpointTensor tensor(String name, Random random, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    ByteBuffer bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      bytes.putFloat(random.nextFloat() - 0.5f);
    }
    return new CheckpointTensor(
        new TensorInfo(name, DataType.DT_FLOAT, shape), bytes.array(), List.of());
  }

  @Test
  void exportedFilesReadBackBitForBit() throws Exception {
    for (KerasExport.Format format : KerasExport.Format.values()) {
      Path file = dir.resolve(format == KerasExport.Format.KERAS ? "m.keras" : "m.weights.h5");
      KerasExport.write(weights, file, format);
      MlpWeights read = MlpWeights.read(file);
      assertEquals(
          format == KerasExport.Format.KERAS
              ? MlpWeights.Format.KERAS_ARCHIVE
              : MlpWeights.Format.KERAS_WEIGHTS_H5,
          read.format());
      assertEquals(List.of(5, 4), read.hidden());
      assertEquals(weights.tensors().keySet(), read.tensors().keySet());
      for (String name : weights.tensors().keySet()) {
        assertArrayEquals(
            weights.tensors().get(name).info().shape(), read.tensors().get(name).info().shape());
        assertArrayEquals(
            weights.tensors().get(name).floats(), read.tensors().get(name).floats(), name);
      }
    }
  }

  @Test
  void anOversizedConfigIsRefusedWithoutReadingItAll() throws Exception {
    Path h5 = exported(KerasExport.Format.WEIGHTS_H5);
    // 17 MiB of spaces deflate to a few kilobytes: the declared size is not what is checked
    Path file =
        archive(
            Map.of(
                KerasFiles.CONFIG_ENTRY,
                new byte[(int) KerasFiles.MAX_CONFIG_BYTES + (1 << 20)],
                KerasFiles.WEIGHTS_ENTRY,
                Files.readAllBytes(h5)));
    assertOneLine(file, "config.json in the archive is larger than the 16777216 bytes");
  }

  @Test
  void aWeightsEntryBeyondTheLimitIsRefusedWhileCopying() throws Exception {
    Path h5 = exported(KerasExport.Format.WEIGHTS_H5);
    byte[] big = new byte[3 << 20];
    byte[] real = Files.readAllBytes(h5);
    System.arraycopy(real, 0, big, 0, real.length);
    Path file = archive(Map.of(KerasFiles.CONFIG_ENTRY, config(), KerasFiles.WEIGHTS_ENTRY, big));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> KerasFiles.readArchive(file, 1 << 20));
    assertTrue(
        e.getMessage().contains("model.weights.h5 in the archive is larger than"), e::getMessage);
  }

  @Test
  void missingEntriesAreNamed() throws Exception {
    Path h5 = exported(KerasExport.Format.WEIGHTS_H5);
    assertOneLine(
        archive(Map.of(KerasFiles.WEIGHTS_ENTRY, Files.readAllBytes(h5))),
        "no config.json in the archive");
    assertOneLine(
        archive(Map.of(KerasFiles.CONFIG_ENTRY, config())), "no model.weights.h5 in the archive");
  }

  @Test
  void badConfigsAreRefused() throws Exception {
    byte[] h5 = Files.readAllBytes(exported(KerasExport.Format.WEIGHTS_H5));
    assertOneLine(
        archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes("{not json"), KerasFiles.WEIGHTS_ENTRY, h5)),
        "config.json is not a JSON object");
    assertOneLine(
        archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes("[1,2]"), KerasFiles.WEIGHTS_ENTRY, h5)),
        "config.json is not a JSON object");
    assertOneLine(
        archive(
            Map.of(
                KerasFiles.CONFIG_ENTRY,
                bytes("{\"class_name\":\"Sequential\",\"config\":{\"layers\":{}}}"),
                KerasFiles.WEIGHTS_ENTRY,
                h5)),
        "expected a Sequential or Functional model with a list of layers");
    String tanh = new String(config(), StandardCharsets.UTF_8).replaceFirst("\"relu\"", "\"tanh\"");
    // a tanh model is read as tanh: the description says what the file computes
    assertEquals(
        org.dnnlessons.nn.Activation.Kind.TANH,
        MlpWeights.read(
                archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes(tanh), KerasFiles.WEIGHTS_ENTRY, h5)))
            .model()
            .dense()
            .get(0)
            .activation()
            .kind());
    String conv =
        new String(config(), StandardCharsets.UTF_8).replaceFirst("\"Dense\"", "\"Conv2D\"");
    assertOneLine(
        archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes(conv), KerasFiles.WEIGHTS_ENTRY, h5)),
        "layer 'hidden_layer' (Conv2D): not supported; supported: Dense, Activation");
  }

  @Test
  void configValuesOfTheWrongJsonTypeAreRefusedNotGuessed() throws Exception {
    byte[] h5 = Files.readAllBytes(exported(KerasExport.Format.WEIGHTS_H5));
    String config = new String(config(), StandardCharsets.UTF_8);
    assertTrue(config.contains("\"use_bias\":true"), config);
    // Gson reads "yes" as false and throws on null: each is refused, naming the key
    for (String v : List.of("null", "\"yes\"", "\"true\"", "1", "[true]", "{}")) {
      String bad = config.replaceFirst("\"use_bias\":true", "\"use_bias\":" + v);
      assertOneLine(
          archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes(bad), KerasFiles.WEIGHTS_ENTRY, h5)),
          "use_bias is ");
    }
    // Gson's troubleshooting link is not part of the one line
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () ->
                MlpWeights.read(
                    archive(
                        Map.of(
                            KerasFiles.CONFIG_ENTRY,
                            bytes("{\"a\" 1}"),
                            KerasFiles.WEIGHTS_ENTRY,
                            h5))));
    assertFalse(e.getMessage().contains("github.com/google/gson"), e::getMessage);
  }

  @Test
  void anActivationSerializedAsACustomObjectIsRefusedAndABuiltInOneRead() throws Exception {
    byte[] h5 = Files.readAllBytes(exported(KerasExport.Format.WEIGHTS_H5));
    String config = new String(config(), StandardCharsets.UTF_8);
    assertTrue(config.contains("\"activation\":\"relu\""), config);
    // what Keras 3 writes for keras.activations.relu passed as an object: read as relu
    String builtIn =
        "{\"module\":\"builtins\",\"class_name\":\"function\",\"config\":\"relu\","
            + "\"registered_name\":\"function\"}";
    MlpWeights read =
        MlpWeights.read(
            archive(
                Map.of(
                    KerasFiles.CONFIG_ENTRY,
                    bytes(config.replaceFirst("\"relu\"", builtIn)),
                    KerasFiles.WEIGHTS_ENTRY,
                    h5)));
    assertEquals(
        org.dnnlessons.nn.Activation.Kind.RELU, read.model().dense().get(0).activation().kind());
    // a custom object's names: Keras looks the object up and refuses without it
    for (String custom :
        List.of(
            "{\"class_name\":\"function\",\"config\":\"relu\",\"registered_name\":\"my_relu\"}",
            "{\"class_name\":\"MyActivation\",\"config\":\"relu\"}",
            "{\"class_name\":\"function\",\"config\":\"relu\",\"registered_name\":7}")) {
      assertOneLine(
          archive(
              Map.of(
                  KerasFiles.CONFIG_ENTRY,
                  bytes(config.replaceFirst("\"relu\"", custom)),
                  KerasFiles.WEIGHTS_ENTRY,
                  h5)),
          "is a custom object, not a Keras 3 built-in activation");
    }
  }

  @Test
  void aDenseLayerWhoseUnitsDifferFromItsKernelIsRefusedAsKerasRefusesIt() throws Exception {
    // Keras's load_model fails on such a file; reading the widths from the weights would compute
    // a model the config does not describe
    byte[] h5 = Files.readAllBytes(exported(KerasExport.Format.WEIGHTS_H5));
    String config = new String(config(), StandardCharsets.UTF_8);
    assertTrue(config.contains("\"units\":10"), config);
    String bad = config.replaceFirst("\"units\":10", "\"units\":12");
    assertOneLine(
        archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes(bad), KerasFiles.WEIGHTS_ENTRY, h5)),
        "its config says units=12, but its kernel has shape [");
    for (String v : List.of("\"10\"", "[10]", "null", "10.5", "-1", "0")) {
      String wrong = config.replaceFirst("\"units\":10", "\"units\":" + v);
      assertOneLine(
          archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes(wrong), KerasFiles.WEIGHTS_ENTRY, h5)),
          "units is ");
    }
    for (String v : List.of("11", "1e30")) {
      String wrong = config.replaceFirst("\"units\":10", "\"units\":" + v);
      assertOneLine(
          archive(Map.of(KerasFiles.CONFIG_ENTRY, bytes(wrong), KerasFiles.WEIGHTS_ENTRY, h5)),
          "layer 'out' (Dense): its config says units=");
    }
  }

  @Test
  void aMissingKerasFileIsNamedAsSuch() {
    assertOneLine(dir.resolve("gone.keras"), "gone.keras: no such file");
    assertOneLine(dir.resolve("gone.weights.h5"), "gone.weights.h5: no such file");
  }

  @Test
  void aTruncatedZipIsRefused() throws Exception {
    Path keras = exported(KerasExport.Format.KERAS);
    byte[] all = Files.readAllBytes(keras);
    Path cut = dir.resolve("cut.keras");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    assertOneLine(cut, "cut.keras");
  }

  @Test
  void truncatedHdf5IsRefused() throws Exception {
    byte[] all = Files.readAllBytes(exported(KerasExport.Format.WEIGHTS_H5));
    for (int length : new int[] {8, 100, all.length / 2, lastDataEnd(all) - 1}) {
      Path cut = dir.resolve("cut" + length + ".weights.h5");
      Files.write(cut, java.util.Arrays.copyOf(all, length));
      assertOneLine(cut, "cut" + length + ".weights.h5");
    }
  }

  /** Seeded mutations of a real file: each read succeeds or fails with one CheckpointException. */
  @Test
  void mutatedHdf5FilesFailCleanly() throws Exception {
    byte[] original = Files.readAllBytes(exported(KerasExport.Format.WEIGHTS_H5));
    Random random = new Random(42);
    Path file = dir.resolve("mutated.weights.h5");
    int refused = 0;
    for (int round = 0; round < 100; round++) {
      byte[] mutated = original.clone();
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      Files.write(file, mutated);
      try {
        MlpWeights.read(file);
        KerasWeightsFile.read(file);
      } catch (CheckpointException e) {
        refused++;
        assertEquals(1, e.getMessage().lines().count(), e::getMessage);
        assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
      }
    }
    assertTrue(refused > 0, "no mutation was noticed");
  }

  /** Where the last dataset's bytes end: jHDF's writer leaves a few unused bytes after them. */
  private static int lastDataEnd(byte[] h5) throws Exception {
    Path file = Files.createTempFile("last", ".h5");
    try {
      Files.write(file, h5);
      long end = 0;
      try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(file)) {
        for (String group : List.of("dense", "dense_1", "dense_2")) {
          for (String v : List.of("0", "1")) {
            io.jhdf.api.dataset.ContiguousDataset d =
                (io.jhdf.api.dataset.ContiguousDataset)
                    hdf.getDatasetByPath("layers/" + group + "/vars/" + v);
            end = Math.max(end, d.getDataAddress() + d.getSizeInBytes());
          }
        }
      }
      return (int) end;
    } finally {
      Files.delete(file);
    }
  }

  private Path exported(KerasExport.Format format) throws IOException {
    Path file = dir.resolve(format == KerasExport.Format.KERAS ? "ok.keras" : "ok.weights.h5");
    KerasExport.write(weights, file, format);
    return file;
  }

  private byte[] config() throws IOException {
    Path keras = exported(KerasExport.Format.KERAS);
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(keras.toFile())) {
      return zip.getInputStream(zip.getEntry(KerasFiles.CONFIG_ENTRY)).readAllBytes();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Path archive(Map<String, byte[]> entries) throws IOException {
    Path file = Files.createTempFile(dir, "crafted", ".keras");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  private static void assertOneLine(Path file, String expected) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> MlpWeights.read(file));
    assertEquals(1, e.getMessage().lines().count(), e::getMessage);
    assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
    assertTrue(e.getMessage().contains(expected), e::getMessage);
  }
}
