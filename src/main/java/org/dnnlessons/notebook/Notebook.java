package org.dnnlessons.notebook;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.files.FilePublisher;

/**
 * A Jupyter notebook (nbformat 4) as read from an {@code .ipynb} file: its cells, each with a type,
 * a source and (for code cells) outputs. Everything else in the file is kept as it is and written
 * back unchanged.
 */
public final class Notebook {

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private final Path file;
  private final JsonObject json;

  private Notebook(Path file, JsonObject json) {
    this.file = file;
    this.json = json;
  }

  /**
   * Reads a notebook.
   *
   * @param file the {@code .ipynb} file
   * @return the notebook, with its cells and outputs as stored
   * @throws NotebookException naming the file when it is missing, larger than the limit, not JSON
   *     or not an nbformat 4 notebook ({@link NotebookJson})
   */
  public static Notebook read(Path file) throws NotebookException {
    return new Notebook(file, NotebookJson.read(file));
  }

  /**
   * The file this notebook was read from.
   *
   * @return the path given to {@link #read}
   */
  public Path file() {
    return file;
  }

  /**
   * The cells, in order.
   *
   * @return an unmodifiable list of every cell (code, markdown and raw)
   */
  public List<Cell> cells() {
    List<Cell> out = new ArrayList<>();
    JsonArray cells = json.getAsJsonArray("cells");
    for (int i = 0; i < cells.size(); i++) {
      out.add(new Cell(i, cells.get(i).getAsJsonObject()));
    }
    return out;
  }

  /**
   * The kernel named in the metadata, or "" when none is.
   *
   * @return {@code metadata.kernelspec.name}, e.g. {@code dnn-lessons-java}, or {@code ""}
   */
  public String kernelName() {
    JsonObject meta = json.getAsJsonObject("metadata");
    if (meta == null || !meta.has("kernelspec")) {
      return "";
    }
    return meta.getAsJsonObject("kernelspec").get("name").getAsString();
  }

  /**
   * Writes the notebook (with its current outputs) to {@code target}, atomically.
   *
   * @param target the file to write; may be the file read
   * @throws NotebookException one line naming {@code target} when it cannot be written; the target
   *     is then untouched
   */
  public void write(Path target) throws NotebookException {
    checkWritable(target);
    try {
      FilePublisher.publishBytes(
          target, (GSON.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NotebookException(e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code target} can be written (its directory exists and is writable, it is not a
   * directory), so that {@code notebook run} fails before running the cells, not after.
   *
   * @param target the file {@code notebook run} will write
   * @throws NotebookException naming the target and what is in the way
   */
  public static void checkWritable(Path target) throws NotebookException {
    Path dir = target.toAbsolutePath().getParent();
    String problem =
        target.toString().isBlank()
            ? "the path is empty"
            : Files.isDirectory(target)
                ? "is a directory; expected a notebook file"
                : dir == null || !Files.exists(dir)
                    ? "no such directory: " + dir
                    : !Files.isDirectory(dir)
                        ? dir + " is a file, not a directory"
                        : !Files.isWritable(dir)
                            ? dir + " is not writable (permission denied)"
                            : null;
    if (problem != null) {
      throw new NotebookException(target + ": cannot write: " + problem);
    }
    try {
      FilePublisher.checkTarget(target); // a FIFO or device, refused before the cells run
    } catch (IOException e) {
      throw new NotebookException(e.getMessage(), e);
    }
  }

  /** One cell, a view on the notebook's JSON. */
  public static final class Cell {
    private final int index;
    private final JsonObject json;

    Cell(int index, JsonObject json) {
      this.index = index;
      this.json = json;
    }

    /**
     * The position, counted from 1 as Jupyter's interface shows cells.
     *
     * @return the cell's number, from 1
     */
    public int number() {
      return index + 1;
    }

    /**
     * {@code code}, {@code markdown} or {@code raw}.
     *
     * @return the cell's {@code cell_type}
     */
    public String type() {
      return json.get("cell_type").getAsString();
    }

    /**
     * The source text.
     *
     * @return the cell's {@code source}, its lines joined
     */
    public String source() {
      return text(json.get("source"));
    }

    /**
     * How verification compares this cell's outputs with the stored ones, from the cell's metadata
     * {@code "dnn_lessons"} ({@link OutputCheck}; numbers within a float32 tolerance when unset).
     *
     * @return the check the metadata asks for, {@link OutputCheck#DEFAULT} when unset
     * @throws IllegalArgumentException when that metadata is malformed, saying what was expected
     */
    public OutputCheck outputCheck() {
      JsonElement meta = json.get("metadata");
      if (meta == null || !meta.isJsonObject()) {
        return OutputCheck.DEFAULT;
      }
      return OutputCheck.fromMetadata(meta.getAsJsonObject().get(OutputCheck.METADATA_KEY));
    }

    /**
     * The text of the cell's outputs: streams, then results, concatenated in order.
     *
     * @return the outputs' text; images are not included
     */
    public String outputText() {
      StringBuilder s = new StringBuilder();
      JsonArray outputs = json.getAsJsonArray("outputs");
      if (outputs == null) {
        return "";
      }
      for (JsonElement e : outputs) {
        JsonObject o = e.getAsJsonObject();
        switch (o.get("output_type").getAsString()) {
          case "stream" -> s.append(text(o.get("text")));
          case "execute_result", "display_data" -> {
            JsonObject data = o.getAsJsonObject("data");
            if (data != null && data.has("text/plain")) {
              s.append(text(data.get("text/plain"))).append('\n');
            }
          }
          case "error" ->
              s.append(o.get("ename").getAsString())
                  .append(": ")
                  .append(o.get("evalue").getAsString())
                  .append('\n');
          default -> {}
        }
      }
      return s.toString();
    }

    /**
     * Replaces the outputs by one stdout stream holding {@code text} (nothing when empty) followed
     * by one image output per PNG.
     *
     * @param text what the cell printed; {@code ""} for no stream output
     * @param pngs the images the cell displayed, as PNG bytes, in order
     * @param executionCount the cell's {@code execution_count}, from 1
     */
    public void setOutputs(String text, List<byte[]> pngs, int executionCount) {
      JsonArray outputs = new JsonArray();
      if (!text.isEmpty()) {
        JsonObject stream = new JsonObject();
        stream.addProperty("output_type", "stream");
        stream.addProperty("name", "stdout");
        stream.add("text", lines(text));
        outputs.add(stream);
      }
      for (byte[] png : pngs) {
        JsonObject data = new JsonObject();
        data.addProperty("image/png", Display.base64(png));
        data.addProperty("text/plain", Display.PNG_PLACEHOLDER);
        JsonObject display = new JsonObject();
        display.addProperty("output_type", "display_data");
        display.add("data", data);
        display.add("metadata", new JsonObject());
        outputs.add(display);
      }
      json.add("outputs", outputs);
      json.addProperty("execution_count", executionCount);
    }

    private static JsonArray lines(String text) {
      JsonArray a = new JsonArray();
      int start = 0;
      while (start < text.length()) {
        int nl = text.indexOf('\n', start);
        int end = nl < 0 ? text.length() : nl + 1;
        a.add(text.substring(start, end));
        start = end;
      }
      return a;
    }

    private static String text(JsonElement e) {
      if (e == null || e.isJsonNull()) {
        return "";
      }
      if (e.isJsonArray()) {
        StringBuilder s = new StringBuilder();
        for (JsonElement part : e.getAsJsonArray()) {
          s.append(part.getAsString());
        }
        return s.toString();
      }
      return e.getAsString();
    }
  }
}
