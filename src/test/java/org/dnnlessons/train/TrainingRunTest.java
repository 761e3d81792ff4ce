package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.TrainingRunOptions.Checkpoints;
import org.dnnlessons.train.TrainingRunOptions.Outputs;
import org.dnnlessons.train.TrainingRunOptions.Speed;
import org.dnnlessons.train.TrainingRunOptions.Start;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainingRun} called from Java, as the notebook and Java programs call it. */
@CpuNumerics
class TrainingRunTest {

  @TempDir Path dir;

  private static TrainingRunOptions small() {
    return TrainingRunOptions.of(new EmbeddedMnist())
        .withNetwork(Mlp.Options.lesson().withHidden(List.of(16)).withLearningRate(0.1))
        .withTraining(TrainOptions.lesson().withEpochs(2))
        .withSeed(3L);
  }

  private static TrainingRunOptions jit(TrainingRunOptions options) {
    return options.withSpeed(Speed.DEFAULT.withJitCompile(true));
  }

  private static TrainingRunOptions resumed(TrainingRunOptions options, int epochs) {
    return options
        .withSeed(null)
        .withTraining(TrainOptions.lesson().withEpochs(epochs))
        .withStart(Start.resumed());
  }

  @Test
  void runReturnsWhatItPrintedAndWrote() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TrainingRun.Result result =
        TrainingRun.run(
            small().withCheckpoints(Checkpoints.to(dir.resolve("model.ckpt"))),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(108, result.training().steps());
    assertEquals(2, result.training().epochs().size());
    assertTrue(
        printed.contains(
            String.format(Locale.ROOT, "Test Accuracy: %.4f\n", result.testAccuracy())),
        printed);
    assertEquals(dir.resolve("model.ckpt-108").toString(), result.checkpoint());
    assertTrue(printed.contains("Saved " + result.checkpoint()), printed);
    assertTrue(Files.exists(Path.of(result.checkpoint() + ".index")));
    assertTrue(CheckpointReader.open(dir).contains("hidden_layer/weights"));
    assertTrue(printed.endsWith(result.training().summaryLine() + "\n"), printed);
  }

  @Test
  void jitCompileRunsSixtyFourStepsPerRunByDefaultAndTrainsAsTheExactLoopDoes() throws Exception {
    assertEquals(8, small().effectiveStepsPerRun());
    assertEquals(64, jit(small()).effectiveStepsPerRun());
    assertEquals(
        5,
        small()
            .withSpeed(Speed.DEFAULT.withJitCompile(true).withStepsPerRun(5))
            .effectiveStepsPerRun());
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    TrainingRun.Result exact = TrainingRun.run(small(), quiet, quiet);
    TrainingRun.Result jit = TrainingRun.run(jit(small()), quiet, quiet);
    // 54 steps an epoch: one compiled run each (the exact loop: 7 runs of up to 8)
    assertEquals(2, jit.training().runs());
    assertEquals(14, exact.training().runs());
    assertEquals(exact.training().steps(), jit.training().steps());
    for (int e = 0; e < 2; e++) {
      // 1,000 validation digits: one digit either way is a float's last bit
      assertEquals(
          exact.training().epochs().get(e).validationAccuracy(),
          jit.training().epochs().get(e).validationAccuracy(),
          0.0015);
    }
  }

  @Test
  void aListenerHearsTheRunAndEndsTrainingByThrowingFromEpochFinished() {
    List<String> heard = new java.util.ArrayList<>();
    IllegalStateException stop = new IllegalStateException("stop after epoch 0");
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void trainingStarted(org.tensorflow.Session session, Mlp.Network net) {
            heard.add("started with " + net.variables().size() + " variables");
          }

          @Override
          public void epochStarted(int epoch, int steps) {
            heard.add("epoch " + epoch + " of " + steps + " steps");
          }

          @Override
          public void epochFinished(EpochSummary summary) {
            heard.add("epoch " + summary.epoch() + " finished");
            throw stop;
          }
        };
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    Path prefix = dir.resolve("model.ckpt");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TrainingRun.prepare(small().withCheckpoints(Checkpoints.to(prefix)))
                    .run(quiet, quiet, listener));
    assertSame(stop, e);
    assertEquals(
        List.of("started with 4 variables", "epoch 0 of 54 steps", "epoch 0 finished"), heard);
    // training ended there: nothing saved at the end
    assertFalse(Files.exists(dir.resolve("checkpoint")));
  }

  @Test
  void theSummaryLineSaysWhenTheOnlyRunIncludedTheWarmUp() {
    TrainingResult one = new TrainingResult(54, 1, 0.25, 54, 0.25, List.of());
    assertEquals(
        "Trained 54 steps in 0.25 s (216.0 steps/s, in one run: the warm-up included)",
        one.summaryLine());
    TrainingResult many = new TrainingResult(108, 2, 0.35, 54, 0.25, List.of());
    assertEquals(
        "Trained 108 steps in 0.35 s (540.0 steps/s after a 0.25 s warm-up)", many.summaryLine());
  }

  @Test
  void aJitCompiledRunResumedAfterItsSecondEpochEndsAsTheUninterruptedOne() throws Exception {
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    TrainingRunOptions run =
        jit(small()).withCheckpoints(Checkpoints.to(dir.resolve("a/model.ckpt")));
    TrainingRun.run(run, quiet, quiet);
    TrainingRun.Result resumed = TrainingRun.run(resumed(run, 3), quiet, quiet);
    TrainingRun.Result whole =
        TrainingRun.run(
            jit(small())
                .withTraining(TrainOptions.lesson().withEpochs(3))
                .withCheckpoints(Checkpoints.to(dir.resolve("b/model.ckpt"))),
            quiet,
            quiet);
    assertEquals(162, resumed.globalStep());
    CheckpointReader a = CheckpointReader.open(dir.resolve("a/model.ckpt-162"));
    CheckpointReader b = CheckpointReader.open(dir.resolve("b/model.ckpt-162"));
    for (String key :
        List.of("hidden_layer/weights", "hidden_layer/biases", "out/weights", "out/biases")) {
      assertTrue(
          java.util.Arrays.equals(a.read(key).data(), b.read(key).data()),
          key + " differs between the resumed and the uninterrupted run");
    }
  }

  @Test
  void optionsThatCannotWorkAreRefusedBeforeAnythingIsRead() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> small().withCheckpoints(Checkpoints.NONE.withSaveEvery(1)));
    assertEquals("--save-every needs --save", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingRun.prepare(
                    small().withTraining(TrainOptions.lesson().withBatchSize(9000))));
    assertEquals(
        "--batch-size 9000 is larger than the training split (7000 examples)", e.getMessage());
  }

  /** (tag, step) of every scalar in the TensorBoard event files under {@code logdir}, sorted. */
  private static List<String> scalars(Path logdir) throws Exception {
    List<String> found = new java.util.ArrayList<>();
    try (var files = Files.list(logdir)) {
      for (Path f : files.sorted().toList()) {
        java.nio.ByteBuffer b =
            java.nio.ByteBuffer.wrap(Files.readAllBytes(f)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() > 0) { // TFRecord: length, its CRC, the record, its CRC
          int length = (int) b.getLong();
          b.getInt();
          byte[] record = new byte[length];
          b.get(record);
          b.getInt();
          org.tensorflow.proto.Event e = org.tensorflow.proto.Event.parseFrom(record);
          for (var v : e.getSummary().getValueList()) {
            found.add(v.getTag() + "@" + e.getStep());
          }
        }
      }
    }
    java.util.Collections.sort(found);
    return found;
  }

  @Test
  void resumedRunContinuesTheHistoryAndTheTensorBoardSteps() throws Exception {
    Path logs = dir.resolve("logs");
    TrainingRunOptions run =
        small()
            .withCheckpoints(Checkpoints.to(dir.resolve("run/model.ckpt")).withSaveEvery(1))
            .withOutputs(Outputs.NONE.withLogdir(logs));
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    TrainingRun.Result first = TrainingRun.run(run, quiet, quiet);
    TrainingRun.Result resumed = TrainingRun.run(resumed(run, 3), quiet, quiet);
    assertEquals(162, resumed.globalStep());
    assertEquals(54, resumed.training().steps());
    assertEquals(3, resumed.history().size());
    for (int e = 0; e < 2; e++) {
      assertEquals(first.history().get(e).meanCost(), resumed.history().get(e).meanCost());
      assertEquals(
          first.history().get(e).validationAccuracy(),
          resumed.history().get(e).validationAccuracy());
    }
    assertEquals(2, resumed.history().get(2).epoch());
    assertEquals(
        List.of(
            "cost@108",
            "cost@162",
            "cost@54",
            "test_accuracy@108",
            "test_accuracy@162",
            "validation_accuracy@108",
            "validation_accuracy@162",
            "validation_accuracy@54"),
        scalars(logs));
  }

  @Test
  void resumeRefusesACraftedGlobalStepInOneLineInsteadOfReplayingIt() throws Exception {
    Path prefix = dir.resolve("run/model.ckpt");
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(16)));
      TrainState state = TrainState.build(net.model(), 1);
      try (org.dnnlessons.checkpoint.Saver saver =
              org.dnnlessons.checkpoint.Saver.builder(graph).build();
          org.tensorflow.Session session = net.model().newSession()) {
        session.run(net.init());
        state.write(session, new TrainState.Values(1_000_000_000_000L, 1, 3, 128, 7000, List.of()));
        saver.save(session, prefix.toString(), 54);
      }
    }
    org.dnnlessons.checkpoint.CheckpointException e =
        assertThrows(
            org.dnnlessons.checkpoint.CheckpointException.class,
            () ->
                TrainingRun.prepare(
                    small()
                        .withSeed(null)
                        .withCheckpoints(Checkpoints.to(prefix))
                        .withStart(Start.resumed())));
    assertEquals(
        prefix
            + "-54: malformed training progress (global_step should be epoch * (train_examples /"
            + " batch_size)): global_step 1000000000000, epoch 1, batch_size 128, train_examples"
            + " 7000, history of shape [1,3]",
        e.getMessage());
  }
}
