package org.dnnlessons.notebook;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * Evaluates the Java of notebook cells with the JDK's JShell, in this JVM ({@code local}
 * execution), on the project's class path: {@code import org.dnnlessons.nn.*;} works in a cell.
 * Definitions persist from cell to cell, as in a notebook. What a cell prints goes to {@code
 * System.out} as it runs. It also answers what a notebook front end asks while the user types:
 * completion, documentation and whether a cell is complete (JShell's {@code SourceCodeAnalysis}),
 * and it stops a running cell on request.
 *
 * <p>Stopping ({@link #stop()}) ends the cell on every JDK: JShell stops the cell's thread on JDK
 * 17 and interrupts it from JDK 20 on, where the project's long loops (a training run) check the
 * interrupt.
 */
public final class JavaCells implements AutoCloseable {

  /** How often a stop request is repeated while the cell is still being compiled. */
  private static final long STOP_REPEAT_MILLIS = 20;

  private static volatile Object captured;

  private final JShell shell;
  // JShell is not thread-safe: one evaluation or analysis at a time (stop() excepted)
  private final Object shellLock = new Object();
  private final Object stopLock = new Object();
  private int generation;
  private volatile boolean evaluating;
  private volatile boolean stopRequested;
  private volatile Set<ThreadGroup> groupsBeforeCell = Set.of();

  private JavaCells(JShell shell) {
    this.shell = shell;
  }

  /**
   * A fresh JShell on the class path this JVM runs with.
   *
   * @return a shell of its own; the caller closes it
   */
  public static JavaCells open() {
    JShell shell = JShell.builder().executionEngine("local").build();
    for (String entry : classPath()) {
      shell.addToClasspath(entry);
    }
    return new JavaCells(shell);
  }

  /**
   * Evaluates every statement, declaration and expression of {@code source} in order.
   *
   * @param source the cell's text: any number of Java snippets, as a Jupyter cell holds them
   * @return the value of the cell's last snippet when it is an expression ({@code t}, {@code
   *     net.logits()}, {@code Math.max(a, b)}), as Jupyter shows a cell's last expression; {@code
   *     null} when the cell ends with a declaration, an assignment or a statement
   * @throws CellFailure with the compiler's message or the exception a statement threw, or when
   *     {@link #stop()} interrupted it; the statements before it stay evaluated
   */
  public Object eval(String source) throws CellFailure {
    synchronized (shellLock) {
      return evalLocked(source);
    }
  }

  private Object evalLocked(String source) throws CellFailure {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = source;
    Snippet last = null;
    Set<ThreadGroup> before = THREAD_STOP_WORKS ? Set.of() : executionGroups();
    synchronized (stopLock) {
      generation++;
      stopRequested = false;
      groupsBeforeCell = before;
      evaluating = true;
    }
    try {
      while (!remaining.isBlank()) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
        if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
          break;
        }
        if (!info.completeness().isComplete()) {
          throw new CellFailure("incomplete code: " + firstLine(remaining));
        }
        String snippet = info.source();
        remaining = info.remaining();
        for (SnippetEvent e : shell.eval(snippet)) {
          if (e.status() == Snippet.Status.REJECTED) {
            String diagnostics =
                shell
                    .diagnostics(e.snippet())
                    .map(d -> d.getMessage(Locale.ROOT))
                    .map(m -> m.replace('\n', ' '))
                    .collect(Collectors.joining("; "));
            throw new CellFailure(
                "does not compile: " + diagnostics + " (in: " + firstLine(snippet) + ")");
          }
          if (e.exception() != null && stopRequested) {
            // the cell's code reacted to the interrupt (CancellationException,
            // InterruptedException, ThreadDeath): one message, whatever it threw
            throw new CellFailure("interrupted (in: " + firstLine(snippet) + ")");
          }
          if (e.exception() != null) {
            Exception ex = e.exception();
            String type =
                ex instanceof EvalException ee
                    ? ee.getExceptionClassName()
                    : ex.getClass().getName();
            throw new CellFailure(type + ": " + firstLine(String.valueOf(ex.getMessage())));
          }
          if (e.causeSnippet() == null) {
            last = e.snippet();
          }
        }
        if (stopRequested) {
          throw new CellFailure("interrupted (in: " + firstLine(snippet) + ")");
        }
      }
      return valueOf(last);
    } finally {
      synchronized (stopLock) {
        evaluating = false;
      }
    }
  }

  /**
   * Stops the cell being evaluated, from another thread (Jupyter's interrupt); {@link #eval} then
   * throws a {@link CellFailure} saying "interrupted", and the shell stays usable, its definitions
   * kept. Does nothing when no cell runs.
   *
   * <p>JShell's {@code stop()} works differently by JDK. On JDK 17 it stops the cell's thread
   * ({@code Thread.stop}) wherever it runs, the project's own loops included; such a request that
   * arrives while the cell is still being compiled is repeated until the cell ends. From JDK 20 on
   * it ends the cell's own loops (at their next iteration) and interrupts the cell's thread once: a
   * loop inside a library stops when the library checks the interrupt, as {@code Trainer} does
   * between two {@code Session.run} calls ({@code org.dnnlessons.train.Interruption}). The
   * interrupt is sent once, not repeated, so that the code unwinding from it (closing a session,
   * writing through an interruptible channel) is not interrupted again. Further calls for the same
   * cell do nothing.
   */
  public void stop() {
    int target;
    synchronized (stopLock) {
      if (!evaluating || stopRequested) {
        return; // nothing runs, or this cell's stop is already under way
      }
      stopRequested = true;
      target = generation;
    }
    Thread stopper =
        new Thread(
            () -> {
              while (true) {
                synchronized (stopLock) {
                  if (!evaluating || generation != target) {
                    return;
                  }
                  boolean running = cellThreadRunning();
                  shell.stop();
                  if (running && !THREAD_STOP_WORKS) {
                    // JDK 20+: the cell's loops end at their next iteration, the thread is
                    // interrupted; once is enough
                    return;
                  }
                }
                try {
                  Thread.sleep(STOP_REPEAT_MILLIS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            },
            "jshell-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  /** Whether JShell's local execution can still stop a thread ({@code Thread.stop}, JDK 17-19). */
  private static final boolean THREAD_STOP_WORKS = Runtime.version().feature() < 20;

  /** The thread group JShell's local execution runs a snippet in, one thread per snippet. */
  private static final String EXECUTION_GROUP = "JShell process local execution";

  /**
   * Whether a snippet of the current cell runs: a thread of an execution group newer than the cell
   * (threads that earlier cells started, such as a native library's deallocator, stay in theirs).
   */
  private boolean cellThreadRunning() {
    return executionGroups().stream().anyMatch(g -> !groupsBeforeCell.contains(g));
  }

  private static Set<ThreadGroup> executionGroups() {
    Set<ThreadGroup> groups = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      ThreadGroup g = t.getThreadGroup();
      if (t.isAlive() && g != null && EXECUTION_GROUP.equals(g.getName())) {
        groups.add(g);
      }
    }
    return groups;
  }

  /**
   * Jupyter's {@code is_complete} for a whole cell: {@code "complete"}, {@code "incomplete"} (a
   * block or statement still open: wait for more lines), or {@code "invalid"}.
   *
   * @param source the cell's text so far
   * @return complete, incomplete or invalid, as Jupyter's {@code is_complete_reply} status
   */
  public Completeness completeness(String source) {
    synchronized (shellLock) {
      return completenessLocked(source);
    }
  }

  private Completeness completenessLocked(String source) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = source;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case EMPTY:
          return Completeness.COMPLETE;
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          return Completeness.INCOMPLETE;
        case UNKNOWN:
          return Completeness.INVALID;
        default:
          remaining = info.remaining();
      }
    }
    return Completeness.COMPLETE;
  }

  /**
   * True when {@code source} is complete Java.
   *
   * @param source the cell's text so far
   * @return true when {@link #completeness} is {@code COMPLETE}
   */
  public boolean isComplete(String source) {
    return completeness(source) == Completeness.COMPLETE;
  }

  /**
   * Tab completion at {@code cursor}: JShell's suggestions (members after {@code tf.} or {@code
   * net.}, names in scope, packages after {@code import}); when there are none for a simple name,
   * the fully qualified names of the classes of that name on the class path ({@code Ml} offers
   * {@code org.dnnlessons.nn.Mlp} before it is imported).
   *
   * @param source the cell's text
   * @param cursor the cursor's offset in {@code source}, in chars, from 0 to {@code
   *     source.length()}
   * @return the replacements for {@code source[start, cursor)}, best first
   */
  public Completions complete(String source, int cursor) {
    synchronized (shellLock) {
      return completeLocked(source, cursor);
    }
  }

  private Completions completeLocked(String source, int cursor) {
    int at = Math.max(0, Math.min(cursor, source.length()));
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions =
        analysis.completionSuggestions(source, at, anchor);
    Set<String> matches = new LinkedHashSet<>();
    // those whose type fits the context first, as JShell's own tool lists them
    suggestions.stream()
        .filter(SourceCodeAnalysis.Suggestion::matchesType)
        .forEach(sg -> matches.add(sg.continuation()));
    suggestions.forEach(sg -> matches.add(sg.continuation()));
    if (!matches.isEmpty()) {
      return new Completions(List.copyOf(matches), anchor[0], at);
    }
    SourceCodeAnalysis.QualifiedNames names = analysis.listQualifiedNames(source, at);
    if (!names.getNames().isEmpty()) {
      return new Completions(names.getNames(), at - names.getSimpleNameLength(), at);
    }
    return new Completions(List.of(), at, at);
  }

  /**
   * Shift-Tab documentation at {@code cursor}: the signature (and the javadoc, where JShell finds
   * the sources: the JDK's with its {@code src.zip}) of the method being called or the name under
   * the cursor, one entry per overload.
   *
   * @param source the cell's text
   * @param cursor the cursor's offset in {@code source}, in chars, from 0 to {@code
   *     source.length()}
   * @return the entries, empty when nothing is known there
   */
  public List<String> documentation(String source, int cursor) {
    synchronized (shellLock) {
      return documentationLocked(source, cursor);
    }
  }

  private List<String> documentationLocked(String source, int cursor) {
    int at = Math.max(0, Math.min(cursor, source.length()));
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(source, at, true);
    if (docs.isEmpty()) {
      // the cursor on a name: document the whole name, called
      int end = at;
      while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) {
        end++;
      }
      String name = source.substring(0, end);
      docs = analysis.documentation(name + "(", end + 1, true);
      if (docs.isEmpty()) {
        docs = analysis.documentation(name, end, true);
      }
    }
    List<String> out = new ArrayList<>();
    for (SourceCodeAnalysis.Documentation d : docs) {
      String javadoc = d.javadoc();
      String signature = readable(d.signature());
      out.add(javadoc == null || javadoc.isBlank() ? signature : signature + "\n" + javadoc);
    }
    return out;
  }

  // a record's header, as JShell 25 writes the record that declares a method: "(Type a, ...)."
  private static final Pattern RECORD_HEADER = Pattern.compile("\\([^()]*\\)\\.");
  // a package before a class name: "org.tensorflow.types." in "org.tensorflow.types.TFloat32"
  private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+(?=[A-Z])");

  /**
   * A signature as a reader wants it on every JDK: classes by their simple names ({@code
   * Operand<TFloat32> Mlp.Network.logits()}, where JDK 17 writes the packages out) and a record's
   * method without the record's header (JDK 25 writes {@code Mlp.Network(ModelGraph model, ...)
   * .logits()}).
   */
  static String readable(String signature) {
    return PACKAGE.matcher(RECORD_HEADER.matcher(signature).replaceAll(".")).replaceAll("");
  }

  /**
   * Called by the snippet {@link #eval} adds after an expression, to hand the expression's value
   * from the shell to the caller (the shell's classes and this one share one class loader). Not for
   * cells.
   *
   * @param value the expression's value; may be null
   */
  public static void captureValue(Object value) {
    captured = value;
  }

  private Object valueOf(Snippet last) throws CellFailure {
    String name = null;
    if (last instanceof VarSnippet v
        && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
      name = v.name();
    } else if (last instanceof ExpressionSnippet x
        && x.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
      name = x.name();
    }
    if (name == null) {
      return null;
    }
    captured = null;
    for (SnippetEvent e : shell.eval(JavaCells.class.getName() + ".captureValue(" + name + ");")) {
      if (e.status() == Snippet.Status.REJECTED || e.exception() != null) {
        return null;
      }
    }
    Object value = captured;
    captured = null;
    return value;
  }

  @Override
  public void close() {
    shell.close();
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl) + " ...";
  }

  /**
   * This JVM's class path with the jars a manifest {@code Class-Path} names expanded, so that
   * {@code java -jar target/dnn-lessons.jar} gives JShell's compiler target/lib as well.
   */
  static List<String> classPath() {
    Set<String> out = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      out.add(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
        try (JarFile jar = new JarFile(entry)) {
          Manifest manifest = jar.getManifest();
          String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            Path dir = Path.of(entry).toAbsolutePath().getParent();
            for (String rel : cp.trim().split("\\s+")) {
              // relative paths (the packaged jar) or file: URLs (surefire's class-path jar)
              out.add(
                  rel.startsWith("file:")
                      ? Path.of(URI.create(rel)).toString()
                      : dir.resolve(rel).toString());
            }
          }
        } catch (IOException e) {
          // an unreadable jar adds nothing beyond itself
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** Jupyter's answers to {@code is_complete}. */
  public enum Completeness {
    /** Run it. */
    COMPLETE,
    /** Wait for more lines. */
    INCOMPLETE,
    /** It cannot be completed. */
    INVALID
  }

  /**
   * Tab completion's answer.
   *
   * @param matches the texts that may replace {@code source[start, end)}
   * @param start where the replaced text starts
   * @param end where it ends (the cursor)
   */
  public record Completions(List<String> matches, int start, int end) {}

  /** A cell that did not compile or threw. */
  public static final class CellFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CellFailure(String message) {
      super(message);
    }
  }
}
