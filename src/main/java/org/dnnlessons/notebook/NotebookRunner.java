package org.dnnlessons.notebook;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs a notebook's Java cells in order with {@link JavaCells} and records or checks their outputs:
 * {@code notebook run FILE} writes the outputs into the notebook, {@code notebook verify FILE} runs
 * it again and compares. Deterministic cells must print exactly what is stored; a cell marked
 * {@code "check": "shape"} (random, timed) must print the same text with its numbers free.
 */
public final class NotebookRunner {

  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private NotebookRunner() {}

  /** What one code cell printed. */
  public record CellOutput(Notebook.Cell cell, String text, java.util.List<byte[]> images) {}

  /**
   * Runs every code cell; stops at the first failing one.
   *
   * @throws NotebookException naming the notebook, the cell number and the failure
   */
  public static List<CellOutput> execute(Notebook notebook) throws NotebookException {
    List<CellOutput> out = new ArrayList<>();
    PrintStream original = System.out;
    try (JavaCells cells = JavaCells.open()) {
      for (Notebook.Cell cell : notebook.cells()) {
        if (!cell.type().equals("code")) {
          continue;
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<byte[]> images = new ArrayList<>();
        Display.sink(images::add);
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
          cells.eval(cell.source());
        } catch (JavaCells.CellFailure e) {
          throw new NotebookException(
              notebook.file() + ": cell " + cell.number() + ": " + e.getMessage());
        } finally {
          System.out.flush();
          System.setOut(original);
        }
        out.add(new CellOutput(cell, captured.toString(StandardCharsets.UTF_8), images));
      }
    }
    return out;
  }

  /** Runs the notebook and writes the outputs into it (to {@code target}). */
  public static void run(Path file, Path target) throws NotebookException {
    Notebook notebook = Notebook.read(file);
    int count = 1;
    for (CellOutput o : execute(notebook)) {
      o.cell().setOutputs(o.text(), o.images(), count++);
    }
    notebook.write(target);
  }

  /**
   * Runs the notebook and compares each code cell's output with the stored one.
   *
   * @return one line per cell that differs (empty when the notebook verifies)
   */
  public static List<String> verify(Path file) throws NotebookException {
    Notebook notebook = Notebook.read(file);
    List<String> problems = new ArrayList<>();
    for (CellOutput o : execute(notebook)) {
      String stored = o.cell().outputText();
      String printed = o.text() + (Display.PNG_PLACEHOLDER + "\n").repeat(o.images().size());
      boolean same =
          o.cell().check().equals("shape")
              ? shape(stored).equals(shape(printed))
              : stored.equals(printed);
      if (!same) {
        problems.add(
            file
                + ": cell "
                + o.cell().number()
                + " printed "
                + quote(printed)
                + ", the notebook stores "
                + quote(stored)
                + (o.cell().check().equals("shape") ? " (compared with numbers free)" : ""));
      }
    }
    return problems;
  }

  /** The text with every number replaced by # and the blanks (alignment) removed. */
  static String shape(String text) {
    return NUMBER.matcher(text).replaceAll("#").replaceAll("[ \\t]+", "").strip();
  }

  private static String quote(String s) {
    String flat = s.replace("\n", "\\n");
    return "\"" + (flat.length() > 200 ? flat.substring(0, 200) + "..." : flat) + "\"";
  }
}
