package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.testing.CpuNumerics;
import org.dnnlessons.train.TrainingRunOptions.Checkpoints;
import org.dnnlessons.train.TrainingRunOptions.Speed;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Java caller's {@link TrainingListener} as {@link TrainingRun} calls it: the step numbers its
 * javadoc promises, in each way the steps run, and what a throw from each callback leaves behind.
 */
@CpuNumerics
class TrainingListenerCallbacksTest {

  @TempDir Path dir;

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private static TrainingRunOptions small() {
    return TrainingRunOptions.of(new EmbeddedMnist())
        .withNetwork(Mlp.Options.lesson().withHidden(List.of(16)).withLearningRate(0.1))
        .withTraining(TrainOptions.lesson().withEpochs(2))
        .withSeed(3L);
  }

  /** The ways the steps run: one per run, several per run in the graph, an XLA while loop. */
  enum Loop {
    FEED_DICT(new Speed(1, false)),
    GRAPH_FED(Speed.DEFAULT),
    WHILE_LOOP(Speed.DEFAULT.withJitCompile(true));

    final Speed speed;

    Loop(Speed speed) {
      this.speed = speed;
    }
  }

  @ParameterizedTest
  @EnumSource(Loop.class)
  void stepFinishedCountsEachEpochsStepsFromOneToTheEpochsSteps(Loop loop) throws Exception {
    List<List<Integer>> epochs = new ArrayList<>();
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void epochStarted(int epoch, int steps) {
            epochs.add(new ArrayList<>());
          }

          @Override
          public void stepFinished(int stepInEpoch) {
            epochs.get(epochs.size() - 1).add(stepInEpoch);
          }
        };
    TrainingRun.prepare(small().withSpeed(loop.speed)).run(QUIET, QUIET, listener);
    List<Integer> oneToFiftyFour = new ArrayList<>();
    for (int i = 1; i <= 54; i++) {
      oneToFiftyFour.add(i);
    }
    assertEquals(List.of(oneToFiftyFour, oneToFiftyFour), epochs);
  }

  /** Where a caller's listener throws. */
  enum Callback {
    TRAINING_STARTED,
    EPOCH_STARTED,
    STEP_FINISHED,
    EPOCH_FINISHED
  }

  @ParameterizedTest
  @EnumSource(Callback.class)
  void aThrowFromAnyCallbackReachesTheCallerSavesNothingMoreAndFreesTheDirectory(Callback where)
      throws Exception {
    IllegalStateException stop = new IllegalStateException("stop");
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void trainingStarted(org.tensorflow.Session session, Mlp.Network net) {
            throwIf(Callback.TRAINING_STARTED);
          }

          @Override
          public void epochStarted(int epoch, int steps) {
            throwIf(Callback.EPOCH_STARTED);
          }

          @Override
          public void stepFinished(int stepInEpoch) {
            throwIf(Callback.STEP_FINISHED);
          }

          @Override
          public void epochFinished(EpochSummary summary) {
            throwIf(Callback.EPOCH_FINISHED);
          }

          private void throwIf(Callback callback) {
            if (callback == where) {
              throw stop;
            }
          }
        };
    Path prefix = dir.resolve("model.ckpt");
    TrainingRunOptions options = small().withCheckpoints(Checkpoints.to(prefix));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> TrainingRun.prepare(options).run(QUIET, QUIET, listener));
    assertSame(stop, e);
    assertFalse(Files.exists(dir.resolve("checkpoint")));
    // the directory's lock went with the failed run: the same run again saves its checkpoint
    TrainingRun.Result again = TrainingRun.run(options, QUIET, QUIET);
    assertEquals(prefix + "-108", again.checkpoint());
  }
}
