package org.dnnlessons.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.jhdf.HdfFile;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.ProtoLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;

/**
 * The bounds of the Keras readers, each with the file that needs it: a {@code .keras} whose weights
 * entry fails its CRC (Python's {@code zipfile} refuses it), a {@code saved_model.pb} and an object
 * graph of more empty messages than the heap allows, a {@code config.json} nested without end. The
 * seeds are Python's own files ({@code make_fuzz_seeds.py}).
 */
class BoundedReadersTest {

  static final Path SEEDS = Path.of("src/test/resources/org/dnnlessons/keras/fuzz");

  @TempDir Path dir;

  @Test
  void theSeedsRead() throws Exception {
    assertEquals(
        MlpWeights.Format.KERAS_ARCHIVE, MlpWeights.read(SEEDS.resolve("seed.keras")).format());
    assertEquals(
        MlpWeights.Format.KERAS_WEIGHTS_H5,
        MlpWeights.read(SEEDS.resolve("seed.weights.h5")).format());
    assertEquals(
        MlpWeights.Format.SAVED_MODEL, MlpWeights.read(SEEDS.resolve("saved_model")).format());
    assertEquals(
        MlpWeights.Format.TF2_CHECKPOINT,
        MlpWeights.read(SEEDS.resolve("tf2").resolve("ckpt-1")).format());
  }

  /** Keras stores its entries uncompressed, so only the CRC can tell two changed weight bytes. */
  @Test
  void aKerasArchiveWhoseWeightsFailTheirCrcIsRefused() throws Exception {
    byte[] archive = Files.readAllBytes(SEEDS.resolve("seed.keras"));
    byte[] h5 = Files.readAllBytes(SEEDS.resolve("seed.weights.h5"));
    // the weights entry starts with HDF5's signature; its kernel lies at its data address
    int entry = indexOf(archive, Arrays.copyOf(h5, 8));
    assertTrue(entry > 0);
    long kernel;
    try (HdfFile hdf = HdfFile.fromBytes(Arrays.copyOfRange(archive, entry, archive.length))) {
      kernel = ((ContiguousDataset) hdf.getDatasetByPath("layers/dense/vars/0")).getDataAddress();
    }
    archive[(int) (entry + kernel + 5)] ^= 0x40;
    archive[(int) (entry + kernel + 9)] ^= 0x40;
    Path file = Files.write(dir.resolve("corrupt.keras"), archive);
    assertOneLine(file, "model.weights.h5 in the archive fails its CRC-32 check");
  }

  @Test
  void aSavedModelOfMoreEmptyNodeDefsThanTheHeapHoldsIsRefused() throws Exception {
    long limit = ReadLimits.forHeap().protoMessages();
    // SavedModel { meta_graphs { graph_def { node {} node {} ... } } }: 2 bytes per NodeDef
    ByteArrayOutputStream nodes = new ByteArrayOutputStream();
    byte[] empty = {0x0a, 0x00};
    for (long i = 0; i < limit; i++) {
      nodes.write(empty);
    }
    byte[] graphDef = wrap(2, nodes.toByteArray()); // MetaGraphDef.graph_def
    byte[] savedModel = wrap(2, wrap(2, graphDef)); // SavedModel.meta_graphs, then the GraphDef
    Path model = Files.createDirectories(dir.resolve("empty_nodes"));
    Files.write(model.resolve("saved_model.pb"), savedModel);
    assertOneLine(
        model.resolve("saved_model.pb"), model, "saved_model.pb holds more than " + limit);
  }

  @Test
  void anObjectGraphOfMoreEmptyObjectsThanAllowedIsRefused() throws Exception {
    TrackableObjectGraph.Builder graph = TrackableObjectGraph.newBuilder();
    for (int i = 0; i < 1000; i++) {
      graph.addNodes(TrackableObjectGraph.TrackableObject.getDefaultInstance());
    }
    byte[] bytes = graph.build().toByteArray();
    Path file = dir.resolve("graph");
    ProtoLimits.check(file, "the graph", bytes, TrackableObjectGraph.getDescriptor(), 1001);
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () ->
                ProtoLimits.check(
                    file, "the graph", bytes, TrackableObjectGraph.getDescriptor(), 1000));
    assertTrue(e.getMessage().contains("the graph holds more than 1000 messages"), e::getMessage);
  }

  @Test
  void aConfigNestedBeyondTheLimitIsRefusedWithOneLine() throws Exception {
    int depth = 200_000;
    String config = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    Path file = archiveWith(config.getBytes(StandardCharsets.UTF_8));
    assertOneLine(file, "config.json is not a JSON object: arrays and objects nest more than 200");
  }

  @Test
  void jsonWithinTheLimitsParsesAsGsonDoes() throws Exception {
    String text = "{\"units\": 4, \"rate\": 0.25, \"x\": NaN, \"l\": [true, null, \"s\"]}";
    assertEquals(
        com.google.gson.JsonParser.parseString(text).toString(),
        BoundedJson.parse(text.getBytes(StandardCharsets.UTF_8)).toString());
    assertThrows(IOException.class, () -> BoundedJson.parse(new byte[] {'{', (byte) 0xff, '}'}));
  }

  /** The seed archive with its config.json replaced (entries stored, as Keras writes them). */
  private Path archiveWith(byte[] config) throws IOException {
    Path file = dir.resolve("config.keras");
    try (var in = new java.util.zip.ZipFile(SEEDS.resolve("seed.keras").toFile());
        var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      for (var e : java.util.Collections.list(in.entries())) {
        out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        out.write(
            e.getName().equals(KerasFiles.CONFIG_ENTRY)
                ? config
                : in.getInputStream(e).readAllBytes());
        out.closeEntry();
      }
    }
    return file;
  }

  private static byte[] wrap(int field, byte[] message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length + 16);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(field, message);
    out.flush();
    return bytes.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void assertOneLine(Path file, String expected) {
    assertOneLine(file, file, expected);
  }

  private static void assertOneLine(Path named, Path read, String expected) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> MlpWeights.read(read));
    assertEquals(1, e.getMessage().lines().count(), e::getMessage);
    assertTrue(e.getMessage().startsWith(named.toString()), e::getMessage);
    assertTrue(e.getMessage().contains(expected), e::getMessage);
    assertTrue(e.getMessage().length() < 400, e::getMessage);
  }
}
