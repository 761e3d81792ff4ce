package org.dnnlessons.notebook;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.dnnlessons.files.Messages;

/**
 * Runs a notebook's Java cells in order with {@link JavaCells} and records or checks their outputs:
 * {@code notebook run FILE} writes the outputs into the notebook, {@code notebook verify FILE} runs
 * it again and compares, cell by cell, as each cell's metadata says ({@link OutputCheck}): by
 * default the same text with every decimal number within a float32 tolerance, since the last digits
 * of a float32 result follow the CPU's kernels and the stored outputs may come from another
 * machine; {@code "check": "shape"} (random, timed) frees the numbers entirely.
 */
public final class NotebookRunner {

  private NotebookRunner() {}

  /**
   * What one code cell printed.
   *
   * @param cell the code cell that ran
   * @param text what it printed to standard output
   * @param images the images it displayed, each as PNG bytes, in order
   */
  public record CellOutput(Notebook.Cell cell, String text, List<byte[]> images) {}

  /**
   * Runs every code cell; stops at the first failing one.
   *
   * @param notebook the notebook to run; it is not changed
   * @return one output per code cell, in order: what it printed and the images it displayed
   * @throws NotebookException naming the notebook, the cell number and the failure
   */
  public static List<CellOutput> execute(Notebook notebook) throws NotebookException {
    return execute(notebook, null);
  }

  /** Where {@link #execute(Notebook, Progress)} reports each cell as it starts. */
  private interface Progress {
    /**
     * {@code cell} starts; what it prints goes to {@code captured}, its images to {@code images}.
     */
    void started(Notebook.Cell cell, ByteArrayOutputStream captured, List<byte[]> images);

    /** {@code output} is a finished cell's. */
    void finished(CellOutput output);
  }

  private static List<CellOutput> execute(Notebook notebook, Progress progress)
      throws NotebookException {
    List<CellOutput> out = new ArrayList<>();
    PrintStream original = System.out;
    try (JavaCells cells = JavaCells.open()) {
      for (Notebook.Cell cell : notebook.cells()) {
        if (!cell.type().equals("code")) {
          continue;
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<byte[]> images = Collections.synchronizedList(new ArrayList<>());
        if (progress != null) {
          progress.started(cell, captured, images);
        }
        Display.sink(images::add);
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
          Object value = evalInterruptibly(cells, cell.source());
          // a cell ending with an expression shows its value, as Jupyter's execute_result does
          if (value != null) {
            byte[] png = CellValue.png(value);
            if (png != null) {
              images.add(png);
            } else {
              System.out.println(CellValue.text(value));
            }
          }
        } catch (JavaCells.CellFailure e) {
          throw new NotebookException(
              notebook.file() + ": cell " + cell.number() + ": " + e.getMessage());
        } catch (InterruptedException e) {
          throw new NotebookException(
              notebook.file() + ": cell " + cell.number() + ": interrupted");
        } finally {
          System.out.flush();
          System.setOut(original);
        }
        CellOutput done = new CellOutput(cell, captured.toString(StandardCharsets.UTF_8), images);
        out.add(done);
        if (progress != null) {
          progress.finished(done);
        }
      }
    }
    return out;
  }

  /**
   * Evaluates a cell on a thread of its own while this one waits, so that interrupting this thread
   * (a Jupyter interrupt of the cell that runs the notebook, on any JDK) stops the notebook's cell
   * too ({@link JavaCells#stop()}), instead of leaving it running behind the caller's back.
   */
  private static Object evalInterruptibly(JavaCells cells, String source)
      throws JavaCells.CellFailure, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    FutureTask<Object> task = new FutureTask<>(() -> cells.eval(source));
    Thread thread = new Thread(task, "notebook-cell");
    thread.setDaemon(true);
    thread.start();
    boolean finished = false;
    try {
      Object value = task.get();
      finished = true;
      return value;
    } catch (ExecutionException e) {
      finished = true;
      if (e.getCause() instanceof JavaCells.CellFailure failure) {
        throw failure;
      }
      throw new IllegalStateException("a notebook cell failed unexpectedly", e.getCause());
    } finally {
      if (!finished) {
        // interrupted (or, on JDK 17, stopped): stop the notebook's cell before the shell closes
        // (asked again until the cell ends: a request before its evaluation began does nothing)
        long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        while (thread.isAlive() && System.nanoTime() < deadline) {
          cells.stop();
          thread.join(STOP_POLL_MILLIS);
        }
      }
    }
  }

  /** How long a stopped notebook cell is given to end before its shell is closed. */
  private static final long STOP_WAIT_MILLIS = 2_000;

  private static final long STOP_POLL_MILLIS = 20;

  /**
   * Runs the notebook and writes the outputs into it (to {@code target}).
   *
   * <p>A cell that ends the JVM ({@code System.exit(3)}: JShell runs cells in this JVM) does not
   * lose the work before it: a shutdown hook writes the outputs of the cells that finished and what
   * the exiting cell printed, and says on standard error which cell exited the JVM. The exit status
   * is the one the cell gave. SIGINT and SIGTERM during a cell are handled the same way.
   *
   * @param file the {@code .ipynb} to run
   * @param target where to write the notebook with its new outputs (may be {@code file})
   * @throws NotebookException naming the notebook, the cell number and the failure; the cells that
   *     finished are written
   */
  public static void run(Path file, Path target) throws NotebookException {
    Notebook notebook = Notebook.read(file);
    Notebook.checkWritable(target); // before the cells run, not after
    ExitGuard guard = new ExitGuard(notebook, target);
    Thread hook = new Thread(guard::jvmExiting, "notebook-run-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      execute(notebook, guard);
    } finally {
      guard.finished = true;
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook is running
      }
    }
    guard.writeOutputs(null);
    notebook.write(target);
  }

  /** Keeps the outputs of a run as cells finish, for a JVM that exits in the middle of one. */
  private static final class ExitGuard implements Progress {
    private final Notebook notebook;
    private final Path target;
    private final List<CellOutput> done = new ArrayList<>();
    private Notebook.Cell running;
    private ByteArrayOutputStream captured;
    private List<byte[]> images;
    volatile boolean finished;

    ExitGuard(Notebook notebook, Path target) {
      this.notebook = notebook;
      this.target = target;
    }

    @Override
    public synchronized void started(
        Notebook.Cell cell, ByteArrayOutputStream captured, List<byte[]> images) {
      this.running = cell;
      this.captured = captured;
      this.images = images;
    }

    @Override
    public synchronized void finished(CellOutput output) {
      done.add(output);
      running = null;
    }

    /** Sets the outputs of the cells that ran (and the running one's partial output). */
    synchronized void writeOutputs(Notebook.Cell partial) {
      int count = 1;
      for (CellOutput o : done) {
        o.cell().setOutputs(o.text(), o.images(), count++);
      }
      if (partial != null) {
        String text;
        synchronized (captured) {
          text = captured.toString(StandardCharsets.UTF_8);
        }
        partial.setOutputs(text, List.copyOf(images), count);
      }
    }

    /** The shutdown hook: the JVM exits while a cell runs. */
    void jvmExiting() {
      Notebook.Cell cell;
      int ran;
      synchronized (this) {
        if (finished || running == null) {
          return;
        }
        cell = running;
        ran = done.size();
        writeOutputs(cell);
      }
      String saved;
      try {
        notebook.write(target);
        saved =
            "the outputs of the "
                + ran
                + (ran == 1 ? " cell" : " cells")
                + " before it and what it printed are saved in "
                + Messages.path(target);
      } catch (NotebookException | RuntimeException e) {
        saved = "its outputs could not be saved: " + e.getMessage();
      }
      System.err.println(
          "error: "
              + Messages.oneLine(
                  notebook.file()
                      + ": cell "
                      + cell.number()
                      + " exited the JVM while it ran (System.exit, or a signal); "
                      + saved));
      System.err.flush();
    }
  }

  /**
   * Runs the notebook and compares each code cell's output with the stored one, as the cell's
   * metadata says ({@link OutputCheck}: numbers within a float32 tolerance by default).
   *
   * @param file the {@code .ipynb} to verify; it is not changed
   * @return one line per cell that differs (empty when the notebook verifies)
   * @throws NotebookException when a cell fails, or a cell's metadata is malformed (checked before
   *     anything runs)
   */
  public static List<String> verify(Path file) throws NotebookException {
    Notebook notebook = Notebook.read(file);
    for (Notebook.Cell cell : notebook.cells()) {
      if (cell.type().equals("code")) {
        check(file, cell);
      }
    }
    List<String> problems = new ArrayList<>();
    for (CellOutput o : execute(notebook)) {
      String printed = o.text() + (Display.PNG_PLACEHOLDER + "\n").repeat(o.images().size());
      compare(file, o.cell(), printed).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * Compares what a code cell printed (images as {@link Display#PNG_PLACEHOLDER} lines) with what
   * the notebook stores for it, as its metadata says.
   *
   * @param file the notebook, for the message
   * @param cell the cell, with its stored outputs and its metadata
   * @param printed what the cell printed now
   * @return empty when they match, else one line naming the notebook, the cell, the first
   *     difference (for numbers: the line, both numbers and the tolerance) and both texts
   * @throws NotebookException when the cell's metadata is malformed
   */
  public static Optional<String> compare(Path file, Notebook.Cell cell, String printed)
      throws NotebookException {
    String stored = cell.outputText();
    return check(file, cell)
        .compare(stored, printed)
        .map(
            why ->
                file
                    + ": cell "
                    + cell.number()
                    + ": "
                    + why
                    + "; printed "
                    + quote(printed)
                    + ", the notebook stores "
                    + quote(stored));
  }

  private static OutputCheck check(Path file, Notebook.Cell cell) throws NotebookException {
    try {
      return cell.outputCheck();
    } catch (IllegalArgumentException e) {
      throw new NotebookException(file + ": cell " + cell.number() + ": " + e.getMessage(), e);
    }
  }

  private static String quote(String s) {
    String flat = s.replace("\n", "\\n");
    return "\"" + (flat.length() > 1000 ? flat.substring(0, 1000) + "..." : flat) + "\"";
  }
}
