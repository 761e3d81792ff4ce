package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Missing, garbled, hostile and huge notebooks: one line naming the file and the problem. */
class NotebookJsonTest {

  @TempDir Path dir;

  private String error(String json) throws IOException {
    Path p = Files.writeString(dir.resolve("n.ipynb"), json, StandardCharsets.UTF_8);
    NotebookException e = assertThrows(NotebookException.class, () -> Notebook.read(p));
    String prefix = p + ": ";
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage().substring(prefix.length());
  }

  @Test
  void missingDirectoryAndEmptyFilesAreNamed() throws IOException {
    Path absent = dir.resolve("missing.ipynb");
    assertEquals(
        absent + ": no such file",
        assertThrows(NotebookException.class, () -> Notebook.read(absent)).getMessage());
    assertEquals(
        dir + ": is a directory; expected an .ipynb file",
        assertThrows(NotebookException.class, () -> Notebook.read(dir)).getMessage());
    assertEquals("empty file; expected nbformat 4 notebook JSON", error(""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1, 2]|not an nbformat 4 notebook (expected a JSON object, found an array)",
        "{\"cells\": []}|not an nbformat 4 notebook (expected \"nbformat\": 4, found none)",
        "{\"nbformat\": \"4\", \"cells\": []}|not an nbformat 4 notebook (expected \"nbformat\":"
            + " 4, found \"4\")",
        "{\"nbformat\": 4, \"cells\": {}}|not an nbformat 4 notebook (expected \"cells\": [...],"
            + " found an object)",
        "{\"nbformat\": 4, \"cells\": [1]}|cell 1: expected a JSON object, found a number",
        "{\"nbformat\": 4, \"cells\": [{\"source\": \"\"}]}|cell 1: expected \"cell_type\" to be"
            + " a string, found none",
        "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": [1]}]}|cell 1:"
            + " expected \"source\" to be a string or an array of strings, found an array",
        "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\":"
            + " [{\"output_type\": \"stream\", \"text\": null}]}]}|cell 1, output 1: expected"
            + " \"text\" to be a string or an array of strings, found null",
        "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"metadata\":"
            + " 7}]}|cell 1: expected \"metadata\" to be an object, found a number",
        "{\"nbformat\": 4, \"cells\": []} {}|not valid JSON: more data after the notebook's"
            + " object at line 1 column 31 path $",
      })
  void malformedStructureIsNamedWithTheCell(String json, String reason) throws IOException {
    assertEquals(reason, error(json));
  }

  @Test
  void garbledJsonSaysWhere() throws IOException {
    String reason = error("{\"nbformat\": 4, \"cells\": [\n{\"cell_type\": ");
    assertTrue(reason.startsWith("not valid JSON: "), reason);
    assertTrue(reason.contains("line 2"), reason);
    assertTrue(error("{\"nbformat\": 4, \"cells\": [] ").startsWith("not valid JSON: "));
    // a UTF-16 or binary file is not UTF-8 text
    Path p = dir.resolve("b.ipynb");
    Files.write(p, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
    String m = assertThrows(NotebookException.class, () -> Notebook.read(p)).getMessage();
    assertTrue(m.startsWith(p + ": not UTF-8 text"), m);
  }

  @Test
  void deeplyNestedJsonIsRefusedNotAStackOverflow() throws Exception {
    String deep = "[".repeat(200_000) + "]".repeat(200_000);
    Path p =
        Files.writeString(
            dir.resolve("deep.ipynb"),
            "{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"x\": " + deep + "}}");
    String m = assertThrows(NotebookException.class, () -> Notebook.read(p)).getMessage();
    assertEquals(p + ": JSON nested more than 100 levels deep; nbformat needs fewer than 10", m);
    assertTrue(
        error("{\"nbformat\": 4, \"cells\": " + "[".repeat(200_000))
            .startsWith("not valid JSON: "));
  }

  @Test
  void loneSurrogateThatCannotBeWrittenBackIsRefused() throws IOException {
    // valid JSON, but "notebook run" would fail writing it as UTF-8
    assertEquals(
        "a string holds a lone UTF-16 surrogate escape (such as \\ud800), which a notebook"
            + " written back as UTF-8 cannot hold",
        error("{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"x\": \"\\ud800\"}}"));
  }

  @Test
  void hugeNotebookIsRefusedFromItsSize() throws IOException {
    Path p = dir.resolve("huge.ipynb");
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(NotebookJson.MAX_FILE_BYTES + 1); // sparse: no disk used
    }
    String m = assertThrows(NotebookException.class, () -> Notebook.read(p)).getMessage();
    assertEquals(
        p
            + ": is "
            + (NotebookJson.MAX_FILE_BYTES + 1)
            + " bytes, more than the "
            + (NotebookJson.maxFileBytes() >> 20)
            + " MiB a notebook may take here",
        m);
  }
}
