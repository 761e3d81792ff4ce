package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The lesson's graph in Java and in Python TensorFlow, from the same seeds, on the same real
 * batches (Java chooses them with {@code next_batch} and writes their order; Python follows it):
 * the initial weights and every variable after 100 gradient-descent steps are bit-identical, with
 * and without dropout. Exact equality is expected: the same ops with the same seeds run on the same
 * CPU kernels; graph-level gating of the updates (see {@code GradientDescentStep}) keeps Java's
 * steps free of races.
 */
@CpuNumerics
class TrainingParityIT {

  private static final int STEPS = 100;

  @TempDir Path dir;

  @ParameterizedTest(name = "hidden {0}, keep_prob {4}")
  @CsvSource({
    "256, 1, 1.0, 0.001, 1.0", // the lesson's own settings
    "64;32, 7, 0.1, 0.1, 0.5" // deeper, trained with dropout
  })
  void initialWeightsAndOneHundredStepsAreBitIdentical(
      String hidden, long seed, double stddev, double learningRate, double keepProb)
      throws Exception {
    List<Integer> widths = Arrays.stream(hidden.split(";")).map(Integer::valueOf).toList();
    DataSet train =
        MnistDataSets.read(
                new EmbeddedMnist(),
                MnistDataSets.Options.defaults().withReshape(false).withSeed(seed))
            .train();
    List<int[]> batches = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      batches.add(train.nextBatchIndices(128, true));
    }
    Path batchFile = dir.resolve("batches.txt");
    Files.write(
        batchFile,
        batches.stream()
            .map(b -> Arrays.stream(b).mapToObj(Integer::toString).collect(Collectors.joining(",")))
            .toList());

    String java = dir.resolve("java").toString();
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(
              graph,
              Mlp.Options.lesson()
                  .withHidden(widths)
                  .withInitStddev(stddev)
                  .withLearningRate(learningRate)
                  .withDropout(keepProb < 1.0)
                  .withGraphSeed(seed));
      Saver saver = Saver.builder(graph).writeMetaGraph(false).build();
      try (Session s = net.model().newSession();
          TFloat32 keep = TFloat32.scalarOf((float) keepProb)) {
        s.run(net.init());
        saver.save(s, java + "-init");
        for (int[] indices : batches) {
          try (Batch b = train.toBatch(indices)) {
            Session.Runner r =
                s.runner()
                    .feed(net.x(), b.images())
                    .feed(net.y(), b.oneHotLabels())
                    .addTarget(net.trainOp());
            if (keepProb < 1.0) {
              r.feed(net.keepProb(), keep);
            }
            r.run().close();
          }
        }
        saver.save(s, java + "-trained");
      }
    }

    String python = dir.resolve("python").toString();
    PythonTensorFlow.run(
        "interop_parity.py",
        python,
        batchFile.toString(),
        "--hidden",
        hidden.replace(';', ','),
        "--seed",
        Long.toString(seed),
        "--stddev",
        Double.toString(stddev),
        "--learning-rate",
        Double.toString(learningRate),
        "--keep-prob",
        Double.toString(keepProb));

    CheckpointReader before = CheckpointReader.open(Path.of(java + "-init"));
    CheckpointReader after = CheckpointReader.open(Path.of(java + "-trained"));
    assertFalse(
        Arrays.equals(before.read("out/weights").data(), after.read("out/weights").data()),
        "training changed the weights");
    for (String stage : List.of("-init", "-trained")) {
      CheckpointReader j = CheckpointReader.open(Path.of(java + stage));
      CheckpointReader p = CheckpointReader.open(Path.of(python + stage));
      assertEquals(
          p.tensors().stream().map(TensorInfo::name).toList(),
          j.tensors().stream().map(TensorInfo::name).toList());
      for (TensorInfo t : p.tensors()) {
        assertArrayEquals(
            p.read(t.name()).data(),
            j.read(t.name()).data(),
            t.name() + stage + ": Java and Python differ");
      }
    }
  }
}
