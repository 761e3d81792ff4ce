package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dnnlessons.notebook.KernelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook of {@code notebooks-equivalent/} executed by real Jupyter machinery (nbclient,
 * from the interop venv) on the project's kernel, installed by {@code notebook install-kernel}'s
 * code into a private kernels directory: every cell prints what the notebook stores.
 */
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
    for (Path notebook : notebooks) {
      Map<String, String> result =
          PythonTensorFlow.run(
              Map.of("JUPYTER_PATH", jupyterPath.toString()),
              "execute_notebook.py",
              notebook.toString());
      assertTrue(
          result.keySet().stream().noneMatch(k -> k.equals("mismatch")), notebook + ": " + result);
      assertTrue(Integer.parseInt(result.get("cells")) > 5, notebook + ": " + result);
      assertEquals(null, result.get("mismatch"));
    }
  }
}
