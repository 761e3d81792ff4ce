package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook of {@code notebooks-equivalent/} prints what it stores (the JShell runner; the
 * same notebooks run through real Jupyter in {@code NotebookJupyterIT}), and the runner's errors
 * and comparisons behave.
 */
@CpuNumerics
class NotebookRunnerTest {

  @TempDir Path dir;

  @Test
  void everyShippedNotebookVerifies() throws Exception {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(Path.of("notebooks-equivalent"))) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertTrue(!notebooks.isEmpty(), "notebooks-equivalent/ holds notebooks");
    for (Path notebook : notebooks) {
      assertEquals(List.of(), NotebookRunner.verify(notebook), notebook.toString());
      assertEquals(NotebookKernel.NAME, Notebook.read(notebook).kernelName());
    }
  }

  private Path notebook(String... codeCells) throws Exception {
    StringBuilder cells = new StringBuilder();
    for (int i = 0; i < codeCells.length; i++) {
      cells
          .append(i == 0 ? "" : ",")
          .append(
              "{\"cell_type\":\"code\",\"metadata\":{},"
                  + "\"execution_count\":null,\"outputs\":[],\"source\":")
          .append(new com.google.gson.Gson().toJson(codeCells[i]))
          .append('}');
    }
    Path file = dir.resolve("test.ipynb");
    Files.writeString(
        file,
        "{\"cells\":[" + cells + "],\"metadata\":{},\"nbformat\":4," + "\"nbformat_minor\":5}");
    return file;
  }

  @Test
  void runRecordsOutputsThatVerifyThenCatchesAChange() throws Exception {
    Path file = notebook("int x = 6 * 7;", "System.out.println(\"x = \" + x);");
    NotebookRunner.run(file, file);
    assertEquals("x = 42\n", Notebook.read(file).cells().get(1).outputText());
    assertEquals(List.of(), NotebookRunner.verify(file));
    Files.writeString(file, Files.readString(file).replace("6 * 7", "6 * 8"));
    List<String> problems = NotebookRunner.verify(file);
    assertEquals(1, problems.size());
    assertTrue(
        problems
            .get(0)
            .endsWith(
                ": cell 2: first difference at rtol 0.000001, atol 0.000001: line 1: expected 42,"
                    + " found 48 (integers are compared digit for digit); printed \"x = 48\\n\","
                    + " the notebook stores \"x = 42\\n\""),
        problems.get(0));
  }

  @Test
  void aFailingCellNamesTheNotebookTheCellAndTheError() throws Exception {
    Path file = notebook("int y = 1;", "Object o = null; o.toString();");
    NotebookException e =
        assertThrows(NotebookException.class, () -> NotebookRunner.run(file, file));
    assertEquals(
        file + ": cell 2: java.lang.NullPointerException: ",
        e.getMessage()
            .substring(0, (file + ": cell 2: java.lang.NullPointerException: ").length()));
    Path bad = notebook("int z = \"text\";");
    e = assertThrows(NotebookException.class, () -> NotebookRunner.run(bad, bad));
    assertTrue(
        e.getMessage().startsWith(bad + ": cell 1: does not compile: incompatible types"),
        e.getMessage());
  }

  @Test
  void interruptingTheRunnersThreadStopsTheRunningCellWithinASecond() throws Exception {
    System.clearProperty("notebook.test.running");
    Path file =
        notebook(
            "int kept = 1;",
            "System.setProperty(\"notebook.test.running\", \"yes\");\n"
                + "while (true) { Thread.onSpinWait(); }");
    java.util.concurrent.CompletableFuture<Throwable> failure =
        new java.util.concurrent.CompletableFuture<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                NotebookRunner.execute(Notebook.read(file));
                failure.complete(null);
              } catch (Throwable t) {
                failure.complete(t);
              }
            });
    runner.start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.getProperty("notebook.test.running") == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long start = System.nanoTime();
    runner.interrupt();
    Throwable t = failure.get(30, java.util.concurrent.TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(t instanceof NotebookException, String.valueOf(t));
    assertTrue(t.getMessage().endsWith(": interrupted"), t.getMessage());
    assertTrue(seconds < 1.0, "returned after " + seconds + " s");
  }

  /** One code cell with its source, stored stdout and metadata object. */
  private Path storedCell(String source, String stored, String metadata) throws Exception {
    com.google.gson.Gson gson = new com.google.gson.Gson();
    Path file = dir.resolve("stored.ipynb");
    Files.writeString(
        file,
        "{\"cells\":[{\"cell_type\":\"code\",\"metadata\":"
            + metadata
            + ",\"execution_count\":1,\"outputs\":[{\"output_type\":\"stream\","
            + "\"name\":\"stdout\",\"text\":"
            + gson.toJson(stored)
            + "}],\"source\":"
            + gson.toJson(source)
            + "}],\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}");
    return file;
  }

  private static final String RELU_CELL =
      "System.out.println(\"[[ 5.1099997  8.44     ]\\n [24.01      38.24     ]]\");";

  @Test
  void numbersAreComparedWithinAFloat32ToleranceByDefault() throws Exception {
    // Stored on an AVX-512 machine, printed here as oneDNN's AVX2 kernels print it.
    Path file = storedCell(RELU_CELL, "[[ 5.11      8.440001]\n [24.01     38.24    ]]\n", "{}");
    assertEquals(List.of(), NotebookRunner.verify(file));
  }

  @Test
  void aNumberBeyondTheToleranceIsNamedWithBothTexts() throws Exception {
    Path file = storedCell(RELU_CELL, "[[ 5.11      8.440001]\n [24.01     38.25    ]]\n", "{}");
    List<String> problems = NotebookRunner.verify(file);
    assertEquals(1, problems.size());
    assertEquals(
        file
            + ": cell 1: first difference at rtol 0.000001, atol 0.000001: line 2: expected"
            + " 38.25, found 38.24 (|diff| 0.0100 > atol 0.000001 + rtol 0.000001 *"
            + " |expected|); printed \"[[ 5.1099997  8.44     ]\\n [24.01      38.24     ]]\\n\","
            + " the notebook stores \"[[ 5.11      8.440001]\\n [24.01     38.25    ]]\\n\"",
        problems.get(0));
  }

  @Test
  void aCellsMetadataSetsItsTolerance() throws Exception {
    String cell = "System.out.println(\"Test Accuracy: 0.2290\");";
    String stored = "Test Accuracy: 0.2285\n";
    assertEquals(1, NotebookRunner.verify(storedCell(cell, stored, "{}")).size());
    assertEquals(
        List.of(),
        NotebookRunner.verify(storedCell(cell, stored, "{\"dnn_lessons\": {\"atol\": 0.001}}")));
    assertEquals(
        1,
        NotebookRunner.verify(storedCell(cell, stored, "{\"dnn_lessons\": {\"atol\": 0.0001}}"))
            .size());
    assertEquals(
        List.of(),
        NotebookRunner.verify(storedCell(cell, stored, "{\"dnn_lessons\": {\"rtol\": 0.01}}")));
    // exact: the same value written differently is a difference
    String exact = "{\"dnn_lessons\": {\"check\": \"exact\"}}";
    assertEquals(
        1,
        NotebookRunner.verify(storedCell("System.out.println(\"0.50\");", "0.5\n", exact)).size());
    assertEquals(
        List.of(),
        NotebookRunner.verify(storedCell("System.out.println(\"0.5\");", "0.5\n", exact)));
  }

  @Test
  void shapeFreesTheNumbers() throws Exception {
    Path file =
        storedCell(
            RELU_CELL,
            "[[ 1.1        6.6000004]\n [48.02  76.48 ]]\n",
            "{\"dnn_lessons\": {\"check\": \"shape\"}}");
    assertEquals(List.of(), NotebookRunner.verify(file));
  }

  @Test
  void malformedMetadataNamesTheCellBeforeAnythingRuns() throws Exception {
    String never = "throw new IllegalStateException(\"ran\");";
    Path file = storedCell(never, "", "{\"dnn_lessons\": {\"atol\": \"a lot\"}}");
    NotebookException e = assertThrows(NotebookException.class, () -> NotebookRunner.verify(file));
    assertEquals(
        file + ": cell 1: metadata \"dnn_lessons\".atol must be a number >= 0, found \"a lot\"",
        e.getMessage());
    Path negative = storedCell(never, "", "{\"dnn_lessons\": {\"rtol\": -1}}");
    e = assertThrows(NotebookException.class, () -> NotebookRunner.verify(negative));
    assertEquals(
        negative + ": cell 1: metadata \"dnn_lessons\".rtol must be a finite number >= 0, found -1",
        e.getMessage());
    Path unknown = storedCell(never, "", "{\"dnn_lessons\": {\"check\": \"loose\"}}");
    e = assertThrows(NotebookException.class, () -> NotebookRunner.verify(unknown));
    assertEquals(
        unknown
            + ": cell 1: metadata \"dnn_lessons\".check must be \"close\", \"exact\" or"
            + " \"shape\", found \"loose\"",
        e.getMessage());
    Path mixed = storedCell(never, "", "{\"dnn_lessons\": {\"check\": \"shape\", \"atol\": 1}}");
    e = assertThrows(NotebookException.class, () -> NotebookRunner.verify(mixed));
    assertEquals(
        mixed
            + ": cell 1: metadata \"dnn_lessons\": rtol and atol apply to \"check\": \"close\","
            + " found \"check\": \"shape\"",
        e.getMessage());
  }
}
