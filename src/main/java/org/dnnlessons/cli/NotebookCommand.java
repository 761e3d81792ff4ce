package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dnnlessons.notebook.KernelSpec;
import org.dnnlessons.notebook.NotebookKernel;
import org.dnnlessons.notebook.NotebookRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dnn-lessons notebook ...}: run, verify and serve the Java notebooks. */
@Command(
    name = "notebook",
    mixinStandardHelpOptions = true,
    description =
        "Runs and verifies the Java notebooks of notebooks-equivalent/; installs and"
            + " serves their Jupyter kernel.",
    subcommands = {
      NotebookCommand.Run.class,
      NotebookCommand.Verify.class,
      NotebookCommand.InstallKernel.class,
      NotebookCommand.Kernel.class
    })
final class NotebookCommand implements Runnable {

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing notebook COMMAND");
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Runs every code cell in order and writes the outputs into the notebook.")
  static final class Run implements Callable<Integer> {
    @ParentCommand NotebookCommand parent;

    @Parameters(paramLabel = "FILE", description = "The .ipynb notebook.")
    Path file;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of FILE.")
    Path out;

    @Override
    public Integer call() throws Exception {
      NotebookRunner.run(file, out != null ? out : file);
      parent.main.out().println("Ran " + file + (out != null ? ", wrote " + out : ""));
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Runs the notebooks again and compares every cell's output with the stored"
              + " one: decimal numbers within the cell's tolerance (metadata \"dnn_lessons\":"
              + " rtol, atol; 1e-6 each by default), the rest exact; numbers free in cells"
              + " marked \"check\": \"shape\".")
  static final class Verify implements Callable<Integer> {
    @ParentCommand NotebookCommand parent;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The .ipynb notebooks.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
      List<String> problems = new ArrayList<>();
      for (Path f : files) {
        problems.addAll(NotebookRunner.verify(f));
      }
      if (problems.isEmpty()) {
        parent.main.out().println("Verified " + files.size() + " notebook(s)");
        return Main.EXIT_OK;
      }
      problems.forEach(p -> parent.main.err().println("error: " + p));
      return Main.EXIT_FAILURE;
    }
  }

  @Command(
      name = "install-kernel",
      mixinStandardHelpOptions = true,
      description = "Writes the Jupyter kernelspec dnn-lessons-java (language java).")
  static final class InstallKernel implements Callable<Integer> {
    @ParentCommand NotebookCommand parent;

    @Option(
        names = "--kernels-dir",
        paramLabel = "DIR",
        description = "Where kernelspecs live (default: ~/.local/share/jupyter/kernels).")
    Path kernelsDir;

    @Override
    public Integer call() throws Exception {
      Path dir = KernelSpec.install(kernelsDir != null ? kernelsDir : KernelSpec.userKernelsDir());
      parent.main.out().println("Installed kernel " + NotebookKernel.NAME + " in " + dir);
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = "kernel",
      hidden = true,
      description = "Serves Jupyter on CONNECTION_FILE (Jupyter runs this).")
  static final class Kernel implements Callable<Integer> {
    @Parameters(paramLabel = "CONNECTION_FILE")
    Path connectionFile;

    @Override
    public Integer call() throws Exception {
      NotebookKernel.serve(connectionFile);
      return Main.EXIT_OK;
    }
  }
}
