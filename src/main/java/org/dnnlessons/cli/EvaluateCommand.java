package org.dnnlessons.cli;

import java.util.concurrent.Callable;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.format.PythonFloat;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.savedmodel.SavedModelRunner;
import org.dnnlessons.train.Evaluator;
import org.dnnlessons.train.InferenceMemory;
import org.dnnlessons.train.RestoredMlp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dnn-lessons evaluate}: the test accuracy of a saved multilayer perceptron. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Restores a checkpoint of the multilayer perceptron (or runs a SavedModel's own serving"
            + " signature) and prints its test accuracy.")
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Mixin RestoredNetworkOptions network = new RestoredNetworkOptions();

  @Mixin CheckpointOption checkpointOption = new CheckpointOption();

  @Override
  public Integer call() throws Exception {
    InferenceMemory.checkTensorFlowFits(); // before anything loads it
    if (SavedModelRunner.isSavedModel(checkpointOption.checkpoint)) {
      // a SavedModel runs its own serving signature, whatever its layers
      DataSource source = Main.options(spec, () -> data.source(null));
      DataSet test =
          MnistDataSets.read(source, MnistDataSets.Options.defaults().withReshape(false)).test();
      try (SavedModelInput model =
          SavedModelInput.open(spec, checkpointOption.checkpoint, test, network, main.err())) {
        double accuracy = model.runner().accuracy(test, model.inputScale());
        main.out().println("Test Accuracy: " + PythonFloat.fixed(accuracy, 4));
        return Main.EXIT_OK;
      } catch (SavedModelRunner.UnrunnableSignature e) {
        main.err()
            .println(
                "note: "
                    + e.reason()
                    + "; evaluating the network its graph describes, with its variables");
      }
    }
    Mlp.Options netOptions =
        Main.options(spec, () -> network.resolve(checkpointOption.prefix(main.err())));
    network.report(main.err(), netOptions);
    DataSource source = Main.options(spec, () -> data.source(null));
    DataSet test =
        MnistDataSets.read(source, MnistDataSets.Options.defaults().withReshape(false)).test();
    try (RestoredMlp restored = RestoredMlp.open(netOptions, test, network.weights())) {
      float accuracy = Evaluator.accuracy(restored.session(), restored.net(), test);
      main.out().println("Test Accuracy: " + PythonFloat.fixed(accuracy, 4));
    }
    return Main.EXIT_OK;
  }
}
