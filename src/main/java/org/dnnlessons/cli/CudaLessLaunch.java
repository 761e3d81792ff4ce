package org.dnnlessons.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The CLI on TensorFlow's GPU build where no GPU can be used: one line saying so, instead of the
 * six CUDA lines (four errors) TensorFlow logs while its library loads.
 *
 * <p>Those lines are written by native code at the library's load (static initializers) and at the
 * first session, to file descriptor 2, partly through Abseil's log, which no environment variable
 * silences ({@link GpuRuntime}); Java can neither call Abseil's {@code SetStderrThreshold} nor
 * redirect its own descriptor 2 without native code of its own. So {@code main} (before anything
 * loads TensorFlow) prints {@link GpuRuntime#note the one line} and runs the same command line
 * again in a child JVM whose standard error it copies through {@link CudaLogFilter}; standard input
 * and output are the child's own (the terminal), its exit status is the CLI's. The numbers are the
 * CPU build's: the GPU build's CPU kernels are the same.
 *
 * <p>The CPU build pays one manifest read for this ({@link GpuRuntime#gpuBuild()}, a few
 * milliseconds); the GPU build on a CUDA-less machine pays one more JVM start (about 0.5 s on a
 * busy 2-core machine). A machine with a driver and a device is left to TensorFlow. The child knows
 * it is one by {@value #FILTERED} in its environment and ends when its parent ends ({@code kill} of
 * the parent, a closed terminal).
 */
final class CudaLessLaunch {

  /** Set in the child's environment: its standard error is already filtered. */
  static final String FILTERED = "DNN_LESSONS_CUDA_LOG_FILTERED";

  /** How long the parent, asked to exit, waits for the child to end after a SIGTERM. */
  private static final long CHILD_GRACE_SECONDS = 10;

  private CudaLessLaunch() {}

  /**
   * Runs {@code args} in a child JVM when this is TensorFlow's GPU build on a machine where the GPU
   * is not used, after printing why on {@code err}.
   *
   * @param args the command line's arguments, as {@code main} got them
   * @param err where the one line goes
   * @return the child's exit status, or empty when this JVM runs the command itself (the CPU build,
   *     a usable GPU, or this JVM being the child)
   */
  static OptionalInt run(String[] args, PrintStream err) {
    if (System.getenv(FILTERED) != null) {
      endWithParent();
      return OptionalInt.empty();
    }
    if (!GpuRuntime.gpuBuild()) {
      return OptionalInt.empty(); // the CPU build
    }
    Optional<String> reason = GpuRuntime.unusedBecause();
    if (reason.isEmpty()) {
      return OptionalInt.empty();
    }
    err.println(GpuRuntime.note(reason.get()));
    try {
      return OptionalInt.of(runFiltered(thisCommandLine(args)));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty(); // this JVM runs it: TensorFlow's lines follow the note
    }
  }

  /**
   * This JVM's command line with {@code args}: its {@code java}, its JVM options (from the command
   * line and {@code JDK_JAVA_OPTIONS}/{@code JAVA_TOOL_OPTIONS}), {@code -jar JAR} or {@code -cp
   * PATH MAIN}. (The kernel's copy, {@code ProcessHandle.Info.arguments()}, is empty when the
   * command line passes 4096 bytes, as a class path does.)
   */
  static List<String> thisCommandLine(String[] args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(
        launch(
            System.getProperty("java.class.path", ""), System.getProperty("sun.java.command", "")));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * How this JVM was told its code: {@code -jar JAR} when {@code java -jar} started it (the jar's
   * manifest allows native access on JDK 22+, which {@code -cp} would not), else {@code -cp PATH}
   * and the main class.
   *
   * @param classPath the {@code java.class.path} property
   * @param javaCommand the {@code sun.java.command} property: the jar or main class, then the
   *     arguments
   */
  static List<String> launch(String classPath, String javaCommand) {
    String first = javaCommand.split(" ", 2)[0];
    if (!classPath.isEmpty() && first.equals(classPath) && classPath.endsWith(".jar")) {
      return List.of("-jar", classPath);
    }
    return List.of("-cp", classPath, Main.class.getName());
  }

  private static int runFiltered(List<String> command) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.PIPE);
    pb.environment().put(FILTERED, "1");
    // their options are on the child's command line already (getInputArguments)
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process child = pb.start();
    Thread copy =
        new Thread(
            () -> copyFiltered(child.getErrorStream(), new FileOutputStream(FileDescriptor.err)),
            "cuda-log-filter");
    copy.start();
    Thread onExit =
        new Thread(
            () -> {
              // SIGINT/SIGTERM to this JVM: the child ends too, and its last lines are copied
              if (child.isAlive()) {
                child.destroy();
                try {
                  if (!child.waitFor(CHILD_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                  }
                  copy.join(TimeUnit.SECONDS.toMillis(2));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "cuda-less-child-exit");
    Runtime.getRuntime().addShutdownHook(onExit);
    try {
      int status = child.waitFor();
      copy.join();
      return status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroy();
      return Main.EXIT_FAILURE;
    }
  }

  /** Copies {@code in} through the filter, flushing after every read (a progress bar's update). */
  static void copyFiltered(InputStream in, OutputStream out) {
    try (in;
        CudaLogFilter filter = new CudaLogFilter(out)) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        filter.write(buffer, 0, n);
        filter.flush();
      }
    } catch (IOException e) {
      // the child's standard error closed or ours failed: nothing more can be copied
    }
  }

  /** The child ends when the parent that filters its standard error ends. */
  private static void endWithParent() {
    ProcessHandle.current()
        .parent()
        .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(Main.EXIT_FAILURE)));
  }
}
