package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebook run} whose second cell calls {@code System.exit(3)} (JShell runs cells in the
 * CLI's JVM, so the JVM really exits): the exit status is the cell's, one line on standard error
 * names the cell that exited the JVM, and the output file holds the first cell's output and what
 * the second printed before it exited; the third cell never ran.
 */
class NotebookExitIT {

  @TempDir Path dir;

  @Test
  void aCellThatExitsTheJvmIsNamedAndTheOutputsBeforeItAreSaved() throws Exception {
    Path notebook = dir.resolve("exits.ipynb");
    JsonArray cells = new JsonArray();
    for (String source :
        new String[] {
          "System.out.println(\"first cell ran\");",
          "System.out.println(\"second cell starts\");\nSystem.exit(3);",
          "System.out.println(\"never\");"
        }) {
      JsonObject cell = new JsonObject();
      cell.addProperty("cell_type", "code");
      cell.add("metadata", new JsonObject());
      cell.add("outputs", new JsonArray());
      cell.addProperty("source", source);
      cells.add(cell);
    }
    JsonObject nb = new JsonObject();
    nb.add("cells", cells);
    nb.add("metadata", new JsonObject());
    nb.addProperty("nbformat", 4);
    nb.addProperty("nbformat_minor", 5);
    Files.writeString(notebook, new Gson().toJson(nb));
    Path out = dir.resolve("out.ipynb");
    Path err = dir.resolve("err.txt");
    Process p =
        new ProcessBuilder(
                ChildJvm.command(
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.dnnlessons.cli.Main",
                    "notebook",
                    "run",
                    notebook.toString(),
                    "--out",
                    out.toString()))
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "notebook run did not end");
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(3, p.exitValue(), "the cell's exit status; " + stderr);
    assertEquals(
        "error: "
            + notebook
            + ": cell 2 exited the JVM while it ran (System.exit, or a signal); the outputs of the"
            + " 1 cell before it and what it printed are saved in "
            + out,
        stderr.strip());
    String saved = Files.readString(out, StandardCharsets.UTF_8);
    JsonArray savedCells = new Gson().fromJson(saved, JsonObject.class).getAsJsonArray("cells");
    assertTrue(savedCells.get(0).toString().contains("first cell ran"), saved);
    assertTrue(savedCells.get(1).toString().contains("second cell starts"), saved);
    assertFalse(saved.contains("\"never\\n\""), "the third cell did not run: " + saved);
  }
}
