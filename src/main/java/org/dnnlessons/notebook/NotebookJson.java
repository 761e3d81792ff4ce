package org.dnnlessons.notebook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Reads an {@code .ipynb} file into JSON and checks the nbformat 4 structure the runner relies on,
 * so that a missing, garbled, hostile or huge notebook is one {@link NotebookException} line naming
 * the file and what is wrong, never a stack trace.
 *
 * <p>Limits: the file may be at most {@link #MAX_FILE_BYTES} (and a sixteenth of the JVM's maximum
 * heap: the JSON tree takes several times the file) and nest arrays and objects at most {@link
 * #MAX_NESTING} deep (Gson writes recursively). Checked: a JSON object with {@code "nbformat": 4}
 * and {@code "cells"} an array; each cell an object with a {@code "cell_type"} string, a {@code
 * "source"} string or array of strings, optional {@code "metadata"} object and, for code cells,
 * optional {@code "outputs"} array of objects with an {@code "output_type"} string.
 */
final class NotebookJson {

  /** The largest notebook read: 64 MiB (notebooks with many pictures reach a few MB). */
  static final long MAX_FILE_BYTES = 64L << 20;

  /**
   * The deepest nesting accepted, leaves counted (nbformat needs 8: cells, outputs, data, text).
   */
  static final int MAX_NESTING = 100;

  private NotebookJson() {}

  /** The most bytes this JVM reads as a notebook: the smaller of 64 MiB and a sixteenth of -Xmx. */
  static long maxFileBytes() {
    return Math.min(MAX_FILE_BYTES, Runtime.getRuntime().maxMemory() / 16);
  }

  /**
   * Reads and checks a notebook.
   *
   * @throws NotebookException naming the file and the problem
   */
  static JsonObject read(Path file) throws NotebookException {
    long size;
    try {
      if (file.toString().isEmpty()) { // Path.of("") is the working directory
        throw new NotebookException("the notebook path is empty; expected an .ipynb file");
      }
      if (Files.isDirectory(file)) {
        throw new NotebookException(file + ": is a directory; expected an .ipynb file");
      }
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new NotebookException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new NotebookException(file + ": cannot read (permission denied)");
    } catch (IOException e) {
      throw new NotebookException(file + ": cannot read: " + e.getMessage(), e);
    }
    long limit = maxFileBytes();
    if (size > limit) {
      throw new NotebookException(
          file
              + ": is "
              + size
              + " bytes, more than the "
              + (limit >> 20)
              + " MiB a notebook may take here");
    }
    if (size == 0) {
      throw new NotebookException(file + ": empty file; expected nbformat 4 notebook JSON");
    }
    JsonElement root;
    try (Reader in =
        new InputStreamReader(
            Files.newInputStream(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT))) {
      JsonReader reader = new JsonReader(in);
      reader.setStrictness(Strictness.LEGACY_STRICT);
      root = JsonParser.parseReader(reader);
      boolean more;
      try {
        more = reader.peek() != JsonToken.END_DOCUMENT;
      } catch (MalformedJsonException e) {
        more = true;
      }
      if (more) {
        throw new NotebookException(
            file + ": not valid JSON: more data after the notebook's object at " + where(reader));
      }
    } catch (JsonParseException | IllegalStateException | NumberFormatException | IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CharacterCodingException) {
          throw new NotebookException(file + ": not UTF-8 text (" + t + ")");
        }
      }
      if (e instanceof IOException && !(e instanceof MalformedJsonException)) {
        throw new NotebookException(file + ": cannot read: " + firstLine(e), e);
      }
      throw new NotebookException(file + ": not valid JSON: " + firstLine(e), e);
    } catch (RuntimeException e) {
      // Gson's parser is not recursive; anything else it throws is still about this file's text
      throw new NotebookException(file + ": not valid JSON: " + firstLine(e), e);
    } catch (StackOverflowError e) {
      throw new NotebookException(file + ": not valid JSON: nested too deeply");
    }
    return check(file, root);
  }

  private static JsonObject check(Path file, JsonElement root) throws NotebookException {
    int depth = depth(root);
    if (depth > MAX_NESTING) {
      throw new NotebookException(
          file
              + ": JSON nested more than "
              + MAX_NESTING
              + " levels deep; nbformat needs fewer than 10");
    }
    if (depth < 0) {
      throw new NotebookException(
          file
              + ": a string holds a lone UTF-16 surrogate escape (such as \\ud800), which a"
              + " notebook written back as UTF-8 cannot hold");
    }
    if (!root.isJsonObject()) {
      throw new NotebookException(
          file + ": not an nbformat 4 notebook (expected a JSON object, found " + kind(root) + ")");
    }
    JsonObject nb = root.getAsJsonObject();
    JsonElement format = nb.get("nbformat");
    if (format == null
        || !format.isJsonPrimitive()
        || !format.getAsJsonPrimitive().isNumber()
        || format.getAsDouble() != 4) {
      throw new NotebookException(
          file
              + ": not an nbformat 4 notebook (expected \"nbformat\": 4, found "
              + (format == null ? "none" : shortText(format))
              + ")");
    }
    JsonElement cells = nb.get("cells");
    if (cells == null || !cells.isJsonArray()) {
      throw new NotebookException(
          file
              + ": not an nbformat 4 notebook (expected \"cells\": [...], found "
              + (cells == null ? "none" : kind(cells))
              + ")");
    }
    objectOrAbsent(file, "notebook", nb, "metadata");
    JsonArray array = cells.getAsJsonArray();
    for (int i = 0; i < array.size(); i++) {
      String where = "cell " + (i + 1);
      JsonElement c = array.get(i);
      if (!c.isJsonObject()) {
        throw new NotebookException(
            file + ": " + where + ": expected a JSON object, found " + kind(c));
      }
      JsonObject cell = c.getAsJsonObject();
      String type = string(file, where, cell, "cell_type");
      text(file, where, cell, "source");
      objectOrAbsent(file, where, cell, "metadata");
      if (type.equals("code") && cell.has("outputs")) {
        JsonElement outputs = cell.get("outputs");
        if (!outputs.isJsonArray()) {
          throw new NotebookException(
              file
                  + ": "
                  + where
                  + ": expected \"outputs\" to be an array, found "
                  + kind(outputs));
        }
        int k = 0;
        for (JsonElement o : outputs.getAsJsonArray()) {
          k++;
          String w = where + ", output " + k;
          if (!o.isJsonObject()) {
            throw new NotebookException(
                file + ": " + w + ": expected a JSON object, found " + kind(o));
          }
          JsonObject out = o.getAsJsonObject();
          String outputType = string(file, w, out, "output_type");
          switch (outputType) {
            case "stream" -> text(file, w, out, "text");
            case "execute_result", "display_data" -> {
              objectOrAbsent(file, w, out, "data");
              JsonElement data = out.get("data");
              if (data != null && data.getAsJsonObject().has("text/plain")) {
                text(file, w + ", data", data.getAsJsonObject(), "text/plain");
              }
            }
            case "error" -> {
              string(file, w, out, "ename");
              string(file, w, out, "evalue");
            }
            default -> {}
          }
        }
      }
    }
    return nb;
  }

  private static String string(Path file, String where, JsonObject o, String key)
      throws NotebookException {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new NotebookException(
          file
              + ": "
              + where
              + ": expected \""
              + key
              + "\" to be a string, found "
              + (e == null ? "none" : kind(e)));
    }
    return e.getAsString();
  }

  /** A multiline string: a string or an array of strings (nbformat's convention). */
  private static void text(Path file, String where, JsonObject o, String key)
      throws NotebookException {
    JsonElement e = o.get(key);
    boolean ok = e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    if (e != null && e.isJsonArray()) {
      ok = true;
      for (JsonElement part : e.getAsJsonArray()) {
        ok &= part.isJsonPrimitive() && part.getAsJsonPrimitive().isString();
      }
    }
    if (!ok) {
      throw new NotebookException(
          file
              + ": "
              + where
              + ": expected \""
              + key
              + "\" to be a string or an array of strings, found "
              + (e == null ? "none" : kind(e)));
    }
  }

  private static void objectOrAbsent(Path file, String where, JsonObject o, String key)
      throws NotebookException {
    JsonElement e = o.get(key);
    if (e != null && !e.isJsonObject()) {
      throw new NotebookException(
          file + ": " + where + ": expected \"" + key + "\" to be an object, found " + kind(e));
    }
  }

  private static String kind(JsonElement e) {
    if (e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    var p = e.getAsJsonPrimitive();
    return p.isString() ? "a string" : p.isNumber() ? "a number" : "a boolean";
  }

  private static String shortText(JsonElement e) {
    if (!e.isJsonPrimitive()) {
      return kind(e); // toString of a deep array would recurse
    }
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static boolean isUtf8Encodable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The deepest nesting of arrays and objects (-1 when a string cannot be written as UTF-8),
   * counted without recursion: Gson reads any depth but writes (and prints) recursively, so a
   * deeper notebook would overflow the stack when written.
   */
  private static int depth(JsonElement root) {
    ArrayDeque<JsonElement> level = new ArrayDeque<>(List.of(root));
    int depth = 0;
    while (!level.isEmpty() && depth <= MAX_NESTING) {
      depth++;
      ArrayDeque<JsonElement> next = new ArrayDeque<>();
      for (JsonElement e : level) {
        if (e.isJsonArray()) {
          e.getAsJsonArray().forEach(next::add);
        } else if (e.isJsonObject()) {
          next.addAll(e.getAsJsonObject().asMap().values());
          e.getAsJsonObject().keySet().forEach(k -> next.add(new JsonPrimitive(k)));
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
          if (!isUtf8Encodable(e.getAsString())) {
            return -1;
          }
        }
      }
      level = next;
    }
    return depth;
  }

  private static String where(JsonReader reader) {
    String s = reader.toString(); // "JsonReader at line L column C path $..."
    int at = s.indexOf(" at ");
    return at < 0 ? s : s.substring(at + 4);
  }

  /** What went wrong with a file, in words: a FileSystemException's message is often the path. */
  static String problem(IOException e) {
    if (e instanceof NotDirectoryException) {
      return "a part of the path is a file, not a directory";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + (f.getFile() != null ? ": " + f.getFile() : "");
    }
    return firstLine(e);
  }

  /** Gson's message without its advice and link: "Unterminated array at line 3 column 5 ...". */
  private static String firstLine(Throwable e) {
    Throwable t = e.getCause() instanceof IOException ? e.getCause() : e;
    String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    int cut = m.indexOf('\n');
    m = cut < 0 ? m : m.substring(0, cut);
    for (String tail : new String[] {"\nSee ", " See https:", "; use JsonReader"}) {
      cut = m.indexOf(tail);
      m = cut < 0 ? m : m.substring(0, cut);
    }
    return m.strip();
  }
}
