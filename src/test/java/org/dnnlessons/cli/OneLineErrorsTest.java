package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.dnnlessons.notebook.NotebookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's bad file is one line that says what is wrong, never "unexpected ...". */
class OneLineErrorsTest {

  @TempDir Path dir;

  @Test
  void missingOrGarbledNotebookIsOneLine() throws IOException {
    // was: "error: unexpected org.dnnlessons.notebook.NotebookException: ..."
    Path missing = dir.resolve("missing.ipynb");
    CliRun r = CliRun.of("notebook", "run", missing.toString());
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals("error: " + missing + ": no such file\n", r.err());
    Path garbled = Files.writeString(dir.resolve("g.ipynb"), "{\"nbformat\": 4, \"cells\": [1]}");
    r = CliRun.of("notebook", "verify", garbled.toString());
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals(
        "error: " + garbled + ": cell 1: expected a JSON object, found a number\n", r.err());
  }

  @Test
  void notebookTargetThatCannotBeWrittenIsRefusedBeforeTheCellsRun() throws IOException {
    // the cell leaves a marker when it runs: it must not run when the target cannot be written
    Path marker = dir.resolve("marker");
    String cell =
        "java.nio.file.Files.writeString(java.nio.file.Path.of(\\\""
            + marker
            + "\\\"), \\\"ran\\\");";
    Path nb =
        Files.writeString(
            dir.resolve("n.ipynb"),
            "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\":"
                + " [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": \""
                + cell
                + "\"}]}");
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path target = file.resolve("out.ipynb");
    CliRun r = CliRun.of("notebook", "run", nb.toString(), "--out", target.toString());
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals(
        "error: " + target + ": cannot write: " + file + " is a file, not a directory\n", r.err());
    assertFalse(Files.exists(marker), "the cells ran before the target was checked");
    // the same notebook with a good target runs its cell
    CliRun ok =
        CliRun.of("notebook", "run", nb.toString(), "--out", dir.resolve("o.ipynb").toString());
    assertEquals(Main.EXIT_OK, ok.status(), ok.err());
    assertTrue(Files.exists(marker));
  }

  @Test
  void htmlPageSavedAsGzipSaysSo() throws IOException {
    // was: "expected magic number 2051, found 1008813135"
    Path page =
        Files.writeString(
            dir.resolve("train-images-idx3-ubyte.gz"),
            "<html><head><title>Moved</title></head></html>",
            StandardCharsets.US_ASCII);
    for (String name :
        new String[] {
          "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
        }) {
      Files.writeString(dir.resolve(name + ".gz"), "x");
    }
    CliRun r = CliRun.of("data", "info", dir.toString());
    assertEquals(Main.EXIT_FAILURE, r.status());
    assertEquals(
        "error: "
            + page
            + ": not gzip data: starts with the text '<html><head><title>Moved...' (an HTML page,"
            + " e.g. an error page saved in place of the file); expected gzip (1f 8b) or an IDX"
            + " header (00 00 08 ..)\n",
        r.err());
  }

  @Test
  void fileSystemErrorsSayWhatWentWrongNotJustThePath() {
    // Java's NotDirectoryException and friends carry only the path as their message
    assertEquals(
        "/a/file/x: not a directory", Main.oneLine(new NotDirectoryException("/a/file/x")));
    assertEquals("/a/x: no such file or directory", Main.oneLine(new NoSuchFileException("/a/x")));
    assertEquals("/a: permission denied", Main.oneLine(new AccessDeniedException("/a")));
    assertEquals(
        "/a -> /b: Read-only file system",
        Main.oneLine(new java.nio.file.FileSystemException("/a", "/b", "Read-only file system")));
    // the domain's checked exceptions are the user's line; runtime ones are bugs
    assertEquals(
        "n.ipynb: cell 2: boom", Main.oneLine(new NotebookException("n.ipynb: cell 2: boom")));
    assertEquals(
        "unexpected java.lang.NullPointerException: x",
        Main.oneLine(new NullPointerException("x")));
  }

  @Test
  void emptyPathsAreRefusedNotReadAsTheWorkingDirectory() {
    // Path.of("") is the working directory: these printed "error: : no 'checkpoint' state file
    // here" and "error: : missing train-images-idx3-ubyte.gz", naming nothing
    String checkpoint =
        "error: the checkpoint path is empty; expected a checkpoint prefix such as"
            + " run/model.ckpt-540, or a directory\n";
    String data = "error: the data path is empty; expected a directory of MNIST-format IDX files\n";
    String[][] cases = {
      {checkpoint, "evaluate", "--checkpoint", ""},
      {checkpoint, "predict", "--checkpoint", "", "--index", "0"},
      {checkpoint, "inspect", ""},
      {checkpoint, "train", "--init-from", "", "--epochs", "1"},
      {checkpoint, "lesson", "load-variables", "--file", ""},
      {data, "data", "info", "--data", ""},
      {data, "train", "--data", "", "--epochs", "1"},
      {data, "lesson", "mlp", "--data", "", "--epochs", "1"},
      {"error: the notebook path is empty; expected an .ipynb file\n", "notebook", "verify", ""},
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliRun r = CliRun.of(args);
      assertEquals(Main.EXIT_FAILURE, r.status(), String.join(" ", args) + ": " + r.err());
      assertEquals(c[0], r.err(), String.join(" ", args));
    }
  }
}
