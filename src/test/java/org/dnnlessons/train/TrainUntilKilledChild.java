package org.dnnlessons.train;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.nn.Mlp;

/**
 * The child process {@link ResumeAfterKillIT} kills: {@code train --hidden 16 --learning-rate 0.1
 * --init-stddev 0.1 --seed 6 --epochs 4 --save PREFIX --save-every 1 --steps-per-run K} through
 * {@link TrainingRun}, which prints {@code IN EPOCH 3} and stops in the middle of the third epoch
 * (0-based epoch 2), 20 steps in, until it is killed.
 *
 * <p>Arguments: {@code PREFIX K}.
 */
public final class TrainUntilKilledChild {

  private TrainUntilKilledChild() {}

  /** The options the test's command lines give {@code train}. */
  static TrainingRunOptions options(Path prefix, int stepsPerRun) {
    return TrainingRunOptions.of(new EmbeddedMnist())
        .withNetwork(
            Mlp.Options.lesson().withHidden(List.of(16)).withLearningRate(0.1).withInitStddev(0.1))
        .withTraining(TrainOptions.lesson().withEpochs(4).withBatchSize(128))
        .withSeed(6L)
        .withSpeed(TrainingRunOptions.Speed.DEFAULT.withStepsPerRun(stepsPerRun))
        .withCheckpoints(TrainingRunOptions.Checkpoints.to(prefix).withSaveEvery(1));
  }

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    TrainingRun.prepare(options(Path.of(args[0]), Integer.parseInt(args[1])))
        .run(
            System.out,
            System.err,
            new TrainingListener() {
              private int epoch;

              @Override
              public void epochStarted(int e, int steps) {
                epoch = e;
              }

              @Override
              public void stepFinished(int stepInEpoch) {
                if (epoch == 2 && stepInEpoch >= 20) {
                  System.out.println("IN EPOCH 3");
                  System.out.flush();
                  while (true) {
                    try {
                      Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                      // keep waiting for the kill
                    }
                  }
                }
              }
            });
    throw new IllegalStateException("the run finished without being killed");
  }
}
