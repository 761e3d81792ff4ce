package org.dnnlessons.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.DigitImage;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.Tensors;
import org.dnnlessons.savedmodel.SavedModelRunner;
import org.dnnlessons.serve.DigitPredictions;
import org.dnnlessons.serve.MlpServedModel;
import org.dnnlessons.serve.SavedModelServedModel;
import org.dnnlessons.serve.ServedModel;
import org.dnnlessons.train.InferenceMemory;
import org.dnnlessons.train.RestoredMlp;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dnn-lessons predict}: one test digit, its label and the network's probabilities; or a
 * person's picture of a digit ({@code --image}), or a folder of them ({@code --images DIR --out
 * FILE.csv}).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Shows one test image (--index), or a picture of a digit (--image), and the class"
            + " probabilities a checkpoint predicts; --images DIR --out FILE.csv does a folder.")
final class PredictCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Mixin DataOptions data = new DataOptions();

  @Mixin RestoredNetworkOptions network = new RestoredNetworkOptions();

  @Mixin CheckpointOption checkpointOption = new CheckpointOption();

  @Option(names = "--index", paramLabel = "I", description = "Which test image, counted from 0.")
  Integer index;

  @Option(
      names = "--image",
      paramLabel = "FILE",
      description =
          "A picture of a digit (PNG, JPEG, GIF, BMP; any size, colour or grey, dark on light or"
              + " light on dark), made 28x28 as MNIST made its digits.")
  Path image;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "A folder of pictures of digits, each predicted as --image; needs --out.")
  Path images;

  @Option(
      names = "--out",
      paramLabel = "FILE.csv",
      description = "Where --images writes its predictions: file,predicted,p0,...,p9.")
  Path out;

  @Override
  public Integer call() throws Exception {
    InferenceMemory.checkTensorFlowFits(); // before anything loads it
    int given = (index != null ? 1 : 0) + (image != null ? 1 : 0) + (images != null ? 1 : 0);
    if (given != 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give one of --index, --image or --images");
    }
    if ((images != null) != (out != null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--images and --out go together");
    }
    if (index == null) {
      return pictures();
    }
    boolean savedModel = SavedModelRunner.isSavedModel(checkpointOption.checkpoint);
    DataSource source = Main.options(spec, () -> data.source(null));
    DataSet test =
        MnistDataSets.read(source, MnistDataSets.Options.defaults().withReshape(false)).test();
    if (index < 0 || index >= test.numExamples()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--index must be between 0 and " + (test.numExamples() - 1) + ", found " + index);
    }
    float[] probabilities = null;
    String shown = null;
    if (savedModel) {
      try (SavedModelInput model =
          SavedModelInput.open(spec, checkpointOption.checkpoint, test, network, main.err())) {
        SavedModelRunner runner = model.runner();
        float[] scores =
            runner
                .classify(SavedModelRunner.pixels(test, new int[] {index}), 1, model.inputScale())[
                0];
        probabilities = runner.probabilities(scores);
        shown =
            switch (runner.outputKind()) {
              case LOGITS -> "Probabilities: softmax of the model's logits";
              case PROBABILITIES -> "Probabilities: the model's own softmax output";
              case LOG_PROBABILITIES -> "Probabilities: exp of the model's log_softmax output";
              case SCORES -> "Scores: the model's output as it is (not known to be probabilities)";
            };
      } catch (SavedModelRunner.UnrunnableSignature e) {
        main.err()
            .println(
                "note: "
                    + e.reason()
                    + "; predicting with the network its graph describes, with its variables");
      }
    }
    if (probabilities == null) {
      Mlp.Options netOptions =
          Main.options(spec, () -> network.resolve(checkpointOption.prefix(main.err())));
      network.report(main.err(), netOptions);
      try (RestoredMlp restored = RestoredMlp.open(netOptions, test, network.weights());
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
    }
    PrintStream out = main.out();
    out.println(DataCommand.Show.art(test, index));
    out.println("Label: " + test.label(index));
    print(out, probabilities, shown);
    return Main.EXIT_OK;
  }

  /** {@code --image} or {@code --images}: pictures made MNIST digits by {@link DigitImage}. */
  private int pictures() throws Exception {
    Path checkpoint = checkpointOption.checkpoint;
    ServedModel model;
    if (SavedModelRunner.isSavedModel(checkpoint)) {
      model = SavedModelServedModel.load(checkpoint, 1, network.inputScale);
      model.notes().forEach(n -> main.err().println("note: " + n));
    } else {
      Mlp.Options options =
          Main.options(spec, () -> network.resolve(checkpointOption.prefix(main.err())));
      network.report(main.err(), options);
      model =
          MlpServedModel.of(RestoredMlp.open(options, network.weights()), 1, checkpoint.toString());
    }
    try (model) {
      DigitPredictions predictions = new DigitPredictions(model);
      if (image != null) {
        float[] pixels = DigitImage.read(image);
        PrintStream o = main.out();
        o.println(art(pixels));
        print(o, predictions.predict(pixels), null);
        return Main.EXIT_OK;
      }
      DigitPredictions.Folder folder = predictions.predictFolder(images, out);
      for (String problem : folder.problems()) {
        main.err().println("error: " + problem);
      }
      main.out()
          .println(
              "Predicted "
                  + folder.predicted()
                  + " pictures into "
                  + out
                  + (folder.problems().isEmpty()
                      ? ""
                      : "; " + folder.problems().size() + " not read (above)"));
      return folder.problems().isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
  }

  /** The image as {@code data show} draws one, two characters a pixel. */
  static String art(float[] pixels) {
    String shades = " .:-=+*#%@";
    StringBuilder s = new StringBuilder();
    for (int r = 0; r < DigitImage.SIDE; r++) {
      for (int c = 0; c < DigitImage.SIDE; c++) {
        int v = Math.round(pixels[r * DigitImage.SIDE + c] * 255);
        char ch = shades.charAt(v * shades.length() / 256);
        s.append(ch).append(ch);
      }
      s.append('\n');
    }
    return s.toString().stripTrailing();
  }

  private static void print(PrintStream out, float[] probabilities, String shown) {
    int best = 0;
    for (int c = 0; c < probabilities.length; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    out.println("Predicted: " + best);
    if (shown != null) {
      out.println(shown);
    }
    for (int c = 0; c < probabilities.length; c++) {
      out.println(
          String.format(
              Locale.ROOT,
              "  %d %6.4f %s",
              c,
              probabilities[c],
              "#".repeat(Math.round(probabilities[c] * 40))));
    }
  }
}
