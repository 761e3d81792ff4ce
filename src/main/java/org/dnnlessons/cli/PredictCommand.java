package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dnn-lessons predict}: one test digit, its label and the network's probabilities. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Shows one test image, its label and the class probabilities a checkpoint" + " predicts.")
final class PredictCommand implements Callable<Integer> {

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

  @Option(
      names = "--index",
      paramLabel = "I",
      required = true,
      description = "Which test image, counted from 0.")
  int index;

  @Override
  public Integer call() throws Exception {
    Mlp.Options netOptions = Main.options(spec, network::lesson);
    Path prefix = CheckpointState.resolve(checkpoint);
    DataSource source = Main.options(spec, () -> data.source(null));
    DataSet test =
        MnistDataSets.read(source, MnistDataSets.Options.defaults().withReshape(false)).test();
    if (index < 0 || index >= test.numExamples()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--index must be between 0 and " + (test.numExamples() - 1) + ", found " + index);
    }
    float[] probabilities;
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(graph, netOptions.withImageSize(test.imageRows(), test.imageColumns()));
      Saver saver = Saver.builder(graph).build();
      try (Session session = net.model().newSession()) {
        saver.restore(session, prefix.toString());
        try (Batch one = test.toBatch(new int[] {index});
            Result r =
                session.runner().feed(net.x(), one.images()).fetch(net.probabilities()).run()) {
          probabilities = Tensors.toArray((TFloat32) r.get(0));
        }
      }
    }
    PrintStream out = main.out();
    out.println(DataCommand.Show.art(test, index));
    out.println("Label: " + test.label(index));
    int best = 0;
    for (int c = 0; c < probabilities.length; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    out.println("Predicted: " + best);
    for (int c = 0; c < probabilities.length; c++) {
      out.println(
          String.format(
              Locale.ROOT,
              "  %d %6.4f %s",
              c,
              probabilities[c],
              "#".repeat(Math.round(probabilities[c] * 40))));
    }
    return Main.EXIT_OK;
  }
}
