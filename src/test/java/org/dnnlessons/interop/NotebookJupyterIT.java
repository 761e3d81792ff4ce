package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dnnlessons.notebook.KernelSpec;
import org.dnnlessons.notebook.Notebook;
import org.dnnlessons.notebook.NotebookRunner;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook of {@code notebooks-equivalent/} executed by real Jupyter machinery (nbclient,
 * from the interop venv) on the project's kernel, installed by {@code notebook install-kernel}'s
 * code into a private kernels directory: every cell prints what the notebook stores, compared as
 * {@code notebook verify} compares ({@link NotebookRunner#compare}: numbers within each cell's
 * tolerance, since the stored outputs may come from another CPU).
 */
@CpuNumerics
class NotebookJupyterIT {

  @TempDir Path jupyterPath;

  @Test
  void everyNotebookRunsInJupyterWithItsStoredOutputs() throws Exception {
    Path spec = KernelSpec.install(jupyterPath.resolve("kernels"));
    assertTrue(Files.isRegularFile(spec.resolve("kernel.json")));
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(Path.of("notebooks-equivalent"))) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertTrue(!notebooks.isEmpty(), "notebooks-equivalent/ holds notebooks");
    for (Path notebook : notebooks) {
      Path executed = jupyterPath.resolve("executed-" + notebook.getFileName());
      Map<String, String> result =
          PythonTensorFlow.run(
              Map.of("JUPYTER_PATH", jupyterPath.toString()),
              "execute_notebook.py",
              notebook.toString(),
              executed.toString());
      List<Notebook.Cell> stored = Notebook.read(notebook).cells();
      List<Notebook.Cell> fresh = Notebook.read(executed).cells();
      assertEquals(stored.size(), fresh.size(), notebook + ": cells");
      List<String> problems = new ArrayList<>();
      int code = 0;
      for (int i = 0; i < stored.size(); i++) {
        if (stored.get(i).type().equals("code")) {
          code++;
          NotebookRunner.compare(notebook, stored.get(i), fresh.get(i).outputText())
              .ifPresent(problems::add);
        }
      }
      assertEquals(Integer.toString(code), result.get("cells"), notebook + ": code cells run");
      assertTrue(code > 5, notebook + ": " + code + " code cells");
      assertEquals(List.of(), problems, notebook.toString());
    }
  }
}
