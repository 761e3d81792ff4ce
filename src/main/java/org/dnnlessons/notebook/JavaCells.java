package org.dnnlessons.notebook;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Evaluates the Java of notebook cells with the JDK's JShell, in this JVM ({@code local}
 * execution), on the project's class path: {@code import org.dnnlessons.nn.*;} works in a cell.
 * Definitions persist from cell to cell, as in a notebook. What a cell prints goes to {@code
 * System.out} as it runs.
 */
public final class JavaCells implements AutoCloseable {

  private final JShell shell;

  private JavaCells(JShell shell) {
    this.shell = shell;
  }

  /** A fresh JShell on the class path this JVM runs with. */
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
   * @throws CellFailure with the compiler's message or the exception a statement threw; the
   *     statements before it stay evaluated
   */
  public void eval(String source) throws CellFailure {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = source;
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
                  .map(d -> d.getMessage(java.util.Locale.ROOT))
                  .map(m -> m.replace('\n', ' '))
                  .collect(Collectors.joining("; "));
          throw new CellFailure(
              "does not compile: " + diagnostics + " (in: " + firstLine(snippet) + ")");
        }
        if (e.exception() != null) {
          Exception ex = e.exception();
          String type =
              ex instanceof EvalException ee ? ee.getExceptionClassName() : ex.getClass().getName();
          throw new CellFailure(type + ": " + firstLine(String.valueOf(ex.getMessage())));
        }
      }
    }
  }

  /** True when {@code source} is complete Java (for Jupyter's is_complete requests). */
  public boolean isComplete(String source) {
    return shell.sourceCodeAnalysis().analyzeCompletion(source).completeness().isComplete();
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
                      ? Path.of(java.net.URI.create(rel)).toString()
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

  /** A cell that did not compile or threw. */
  public static final class CellFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CellFailure(String message) {
      super(message);
    }
  }
}
