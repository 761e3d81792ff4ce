package example;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.data.DatasetCatalog;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.TrainOptions;
import org.dnnlessons.train.TrainingRun;

/** TrainingRun's javadoc example: five epochs of the lesson's network, saved. */
public final class TrainingRunExample {

  private TrainingRunExample() {}

  public static void main(String[] args) throws Exception {
    TrainingRun.Options options =
        TrainingRun.Options.builder(DatasetCatalog.byName("mnist").locate())
            .network(Mlp.Options.lesson().withHidden(List.of(512)).withLearningRate(0.1))
            .training(TrainOptions.lesson().withEpochs(5))
            .seed(1L)
            .save(Path.of("run/model.ckpt"))
            .build();
    TrainingRun.Result result = TrainingRun.prepare(options).run(System.out, System.err);
    System.out.println(result.testAccuracy());
  }
}
