package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook of {@code notebooks-equivalent/} prints what it stores (the JShell runner; the
 * same notebooks run through real Jupyter in {@code NotebookJupyterIT}), and the runner's errors
 * and comparisons behave.
 */
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
            .contains("cell 2 printed \"x = 48\\n\", the notebook stores" + " \"x = 42\\n\""),
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
  void shapeComparisonFreesNumbersAndAlignment() {
    assertEquals(
        NotebookRunner.shape("[[ 1.1        6.6000004]\n [48.02  76.48 ]]"),
        NotebookRunner.shape("[[ 9.559999  16.       ]\n [ 9.56       4.78     ]]"));
    assertTrue(!NotebookRunner.shape("[[1. 2.]]").equals(NotebookRunner.shape("[[1. 2. 3.]]")));
  }
}
