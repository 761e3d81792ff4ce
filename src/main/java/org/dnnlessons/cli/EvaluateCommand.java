package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.Evaluator;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dnn-lessons evaluate}: the test accuracy of a saved multilayer perceptron. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Restores a checkpoint of the multilayer perceptron and prints its test" + " accuracy.")
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(
      names = "--checkpoint",
      paramLabel = "PREFIX|DIR",
      required = true,
      description = "A checkpoint prefix, or a directory (its latest checkpoint).")
  Path checkpoint;

  @Override
  public Integer call() throws Exception {
    Mlp.Options netOptions = Main.options(spec, network::lesson);
    Path prefix = CheckpointState.resolve(checkpoint);
    DataSource source = Main.options(spec, () -> data.source(null));
    MnistDataSets sets =
        MnistDataSets.read(source, MnistDataSets.Options.defaults().withReshape(false));
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(
              graph, netOptions.withImageSize(sets.test().imageRows(), sets.test().imageColumns()));
      Saver saver = Saver.builder(graph).build();
      try (Session session = net.model().newSession()) {
        saver.restore(session, prefix.toString());
        float accuracy = Evaluator.accuracy(session, net, sets.test());
        main.out().println(String.format(Locale.ROOT, "Test Accuracy: %.4f", accuracy));
      }
    }
    return Main.EXIT_OK;
  }
}
