package example;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.data.DatasetCatalog;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.TrainingRun;
import org.dnnlessons.train.TrainingRunOptions;
import org.dnnlessons.train.TrainingRunOptions.Checkpoints;

/** TrainingRun's javadoc example: five epochs of the lesson's network, saved. */
public final class TrainingRunExample {

  private TrainingRunExample() {}

  public static void main(String[] args) throws Exception {
    TrainingRunOptions options =
        TrainingRunOptions.of(DatasetCatalog.byName("mnist").locate())
            .withNetwork(Mlp.Options.lesson().withHidden(List.of(512)).withLearningRate(0.1))
            .withTraining(TrainOptions.lesson().withEpochs(5))
            .withSeed(1L)
            .withCheckpoints(Checkpoints.to(Path.of("run/model.ckpt")));
    TrainingRun.Result result = TrainingRun.prepare(options).run(System.out, System.err);
    System.out.println(result.testAccuracy());
  }
}
