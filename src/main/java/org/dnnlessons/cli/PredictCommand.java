package org.dnnlessons.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Result;
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
        "Shows one test image, its label and the class probabilities a checkpoint predicts.")
final class PredictCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Mixin RestoredNetworkOptions network = new RestoredNetworkOptions();

  @Mixin CheckpointOption checkpointOption = new CheckpointOption();

  @Option(
      names = "--index",
      paramLabel = "I",
      required = true,
      description = "Which test image, counted from 0.")
  int index;

  @Override
  public Integer call() throws Exception {
    org.dnnlessons.train.InferenceMemory.checkTensorFlowFits(); // before anything loads it
    org.dnnlessons.nn.Mlp.Options netOptions =
        Main.options(spec, () -> network.resolve(checkpointOption.checkpoint));
    network.report(main.err(), netOptions);
    DataSource source = Main.options(spec, () -> data.source(null));
    DataSet test =
        MnistDataSets.read(source, MnistDataSets.Options.defaults().withReshape(false)).test();
    if (index < 0 || index >= test.numExamples()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--index must be between 0 and " + (test.numExamples() - 1) + ", found " + index);
    }
    float[] probabilities;
    try (RestoredNetwork restored = RestoredNetwork.open(netOptions, test, network.weights());
        Batch one = test.toBatch(new int[] {index});
        Result r =
            restored
                .session()
                .runner()
                .feed(restored.net().x(), one.images())
                .fetch(restored.net().probabilities())
                .run()) {
      probabilities = Tensors.toArray((TFloat32) r.get(0));
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
