package org.dnnlessons.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.dnnlessons.files.Messages;
import org.dnnlessons.jvm.JvmOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code dnn-lessons} command: {@code java -jar target/dnn-lessons.jar COMMAND ...}.
 *
 * <p>Exit status: 0 on success, 1 when the work failed (a bad checkpoint, a restore that does not
 * fit), 2 for a bad command line. Failures print one line, {@code error: ...}, on standard error;
 * set the environment variable {@code DNN_LESSONS_DEBUG=1} to get the stack trace as well.
 */
@Command(
    name = "dnn-lessons",
    mixinStandardHelpOptions = true,
    version = "dnn-lessons 0.1.0 (TensorFlow Java 1.1.0)",
    description = "The lesson \"Deep Neural Networks in TensorFlow\" in TensorFlow Java.")
public final class Main implements Runnable {

  /**
   * The subcommands, in the order {@code --help} lists them. They are registered lazily (only the
   * one named on the command line, or all of them for help and errors), because building picocli's
   * model of every command costs more start-up time than {@code inspect} itself.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("lesson", LessonCommand::new);
    COMMANDS.put("train", TrainCommand::new);
    COMMANDS.put("evaluate", EvaluateCommand::new);
    COMMANDS.put("predict", PredictCommand::new);
    COMMANDS.put("inspect", InspectCommand::new);
    COMMANDS.put("export", ExportCommand::new);
    COMMANDS.put("serve", ServeCommand::new);
    COMMANDS.put("data", DataCommand::new);
    COMMANDS.put("notebook", NotebookCommand::new);
    COMMANDS.put("bench", BenchCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
  }

  /** Exit status when the command ran and succeeded. */
  public static final int EXIT_OK = 0;

  /** Exit status when the work failed. */
  public static final int EXIT_FAILURE = 1;

  /** Exit status for a bad command line. */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  private Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Where commands print their results. */
  PrintStream out() {
    return out;
  }

  /** Where commands print warnings. */
  PrintStream err() {
    return err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing COMMAND");
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the command and its options, e.g. {@code train --epochs 20 --save runs/model.ckpt}
   */
  public static void main(String[] args) {
    NativeCache.configure(); // before anything loads TensorFlow: see NativeCache
    // JDK 24+: TensorFlow's use of sun.misc.Unsafe is the application's choice, not the user's
    JvmOptions.allowUnsafeMemoryAccess();
    // TensorFlow's GPU build without a GPU: one line, not CUDA's error lines (see CudaLessLaunch)
    OptionalInt child = CudaLessLaunch.run(args, System.err);
    System.exit(child.isPresent() ? child.getAsInt() : execute(args));
  }

  /**
   * Runs the command line, printing to the standard streams; returns the exit status.
   *
   * @param args the command and its options, e.g. {@code evaluate runs/model.ckpt}
   * @return {@link #EXIT_OK} on success, {@link #EXIT_FAILURE} when the work failed, {@link
   *     #EXIT_USAGE} for a bad command line
   */
  public static int execute(String... args) {
    return execute(System.out, System.err, args);
  }

  /**
   * Runs the command line with the given streams; returns the exit status.
   *
   * @param out where commands print their results (picocli's output: help, version)
   * @param err where errors ({@code error: ...}, one line) and warnings are printed
   * @param args the command and its options
   * @return {@link #EXIT_OK} on success, {@link #EXIT_FAILURE} when the work failed, {@link
   *     #EXIT_USAGE} for a bad command line
   */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return commandLine(out, err, args).execute(args);
  }

  /**
   * The command line with the subcommand {@code args} names (all of them when it names none, as for
   * help and errors), printing to {@code out} and {@code err}.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = new CommandLine(new Main(out, err));
    String first = args.length > 0 ? args[0] : null;
    boolean known = first != null && COMMANDS.containsKey(first) && !first.equals("help");
    for (Map.Entry<String, Supplier<Object>> c : COMMANDS.entrySet()) {
      if (!known || c.getKey().equals(first)) {
        cli.addSubcommand(c.getKey(), c.getValue().get());
      }
    }
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (e, a) -> {
          String command = e.getCommandLine().getCommandSpec().qualifiedName();
          err.println(
              "error: " + Messages.oneLine(usageMessage(e)) + " (see '" + command + " --help')");
          return EXIT_USAGE;
        });
    cli.setExecutionStrategy(
        parsed -> {
          refuseRepeatedHidden(parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setExecutionExceptionHandler(
        (e, failed, parsed) -> {
          err.println("error: " + oneLine(e));
          if (System.getenv("DNN_LESSONS_DEBUG") != null) {
            e.printStackTrace(err);
          }
          return EXIT_FAILURE;
        });
    return cli;
  }

  /**
   * {@code --hidden 512 --hidden 64} would append (picocli's lists do): the layers are one list,
   * given once ({@code --hidden 512,64}), as every other option is given once.
   */
  private static void refuseRepeatedHidden(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      CommandLine.Model.OptionSpec hidden = p.matchedOption("--hidden");
      if (hidden != null && hidden.originalStringValues().size() > 1) {
        throw new CommandLine.ParameterException(
            p.commandSpec().commandLine(),
            "option '--hidden' should be specified only once: the layers are one list, such as"
                + " --hidden "
                + String.join(",", hidden.originalStringValues()));
      }
    }
  }

  private static String usageMessage(CommandLine.ParameterException e) {
    // an unknown option first, before a required one it leaves missing (picocli reports the
    // missing one first: "evaluate --chekpoint x" would say --checkpoint is missing)
    if (!(e.getCommandLine().getCommandSpec().userObject() instanceof LessonCommand)) {
      // a mistyped command before options: "trian --epochs 1" is not an unknown --epochs
      Optional<String> command =
          UnknownCommand.message(
              e.getCommandLine().getCommandSpec(), e.getCommandLine().getUnmatchedArguments());
      if (command.isPresent()) {
        return command.get();
      }
    }
    if (e instanceof CommandLine.UnmatchedArgumentException u
        && u.getCommandLine().getCommandSpec().userObject() instanceof LessonCommand
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) { // "lesson mlpp --epochs 1" too
      return "unknown lesson '"
          + u.getUnmatched().get(0)
          + "'; 'dnn-lessons lesson --list' names them";
    }
    Optional<String> unknown =
        UnknownOption.message(
            e.getCommandLine().getCommandSpec(), e.getCommandLine().getUnmatchedArguments());
    if (unknown.isPresent()) {
      return unknown.get();
    }
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      // picocli's closest commands or options: "trian" -> train, "--epoch" -> --epochs
      List<String> suggestions = u.getSuggestions();
      return e.getMessage() + "; did you mean " + suggestions.get(0) + "?";
    }
    return e.getMessage();
  }

  /** A step that may fail with a checked error (I/O, data, checkpoint). */
  interface Step<T> {
    T get() throws Exception;
  }

  /**
   * Runs a step that validates options, turning an {@link IllegalArgumentException} into a
   * command-line error, so a bad option exits with {@link #EXIT_USAGE}; other failures pass.
   */
  static <T> T options(CommandSpec spec, Step<T> step) throws Exception {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  static String oneLine(Exception e) {
    String message = e.getMessage();
    if (e instanceof FileSystemException f) {
      // its message is often the bare path ("/tmp/x/model.ckpt"): say what went wrong with it
      message = fileProblem(f);
    } else if (!(e instanceof RuntimeException)
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException) {
      // checked exceptions are the domain's (data, checkpoint, notebook, I/O): their message is
      // the line; other runtime exceptions are bugs
      message = message == null ? e.getClass().getSimpleName() : message;
    } else {
      message = "unexpected " + e.getClass().getName() + (message == null ? "" : ": " + message);
    }
    int nl = message.indexOf('\n');
    // at most a few hundred characters: a 31 MB configuration echoed is elided with its length
    return Messages.oneLine(nl < 0 ? message : message.substring(0, nl));
  }

  /** "PATH: REASON" for a file system failure, naming the reason Java only gives as a class. */
  private static String fileProblem(FileSystemException f) {
    String reason = f.getReason();
    if (reason == null) {
      reason =
          f instanceof NoSuchFileException
              ? "no such file or directory"
              : f instanceof NotDirectoryException
                  ? "not a directory"
                  : f instanceof AccessDeniedException
                      ? "permission denied"
                      : f instanceof FileAlreadyExistsException
                          ? "already exists"
                          : f instanceof DirectoryNotEmptyException
                              ? "directory not empty"
                              : f.getClass().getSimpleName();
    }
    String where = f.getFile() != null ? f.getFile() : "";
    if (f.getOtherFile() != null) {
      where += " -> " + f.getOtherFile();
    }
    return (where.isEmpty() ? "" : where + ": ") + reason;
  }
}
