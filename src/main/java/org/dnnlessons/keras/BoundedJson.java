package org.dnnlessons.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON ({@code config.json}, {@code metadata.json}) parsed with a nesting limit, on Gson's
 * streaming reader.
 *
 * <p>Gson's {@code JsonParser} turns an {@link OutOfMemoryError} and a {@link StackOverflowError}
 * into a {@code JsonParseException}, so valid JSON that ran the heap out was reported as "not valid
 * JSON". Here the depth is bounded ({@link #MAX_DEPTH}, Python's {@code json} allows ~1000 before a
 * {@code RecursionError}; Keras's configs nest under 20), a malformed document is an {@link
 * IOException} with Gson's line and column, and an {@code OutOfMemoryError} stays one: the caller's
 * size limit makes it impossible for the sizes this reader is given.
 */
final class BoundedJson {

  /** Arrays and objects nested deeper than this are refused. */
  static final int MAX_DEPTH = 200;

  private BoundedJson() {}

  /**
   * The JSON value in {@code bytes} (UTF-8).
   *
   * @throws IOException naming the line and column of malformed JSON, invalid UTF-8, trailing
   *     content, or nesting deeper than {@link #MAX_DEPTH}
   */
  static JsonElement parse(byte[] bytes) throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (JsonReader reader =
        new JsonReader(new InputStreamReader(new ByteArrayInputStream(bytes), decoder))) {
      // as Gson's JsonParser and Python's json: NaN and Infinity are numbers
      reader.setStrictness(Strictness.LENIENT);
      JsonElement root = value(reader, 0);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IOException("content after the JSON value " + reader.getPath());
      }
      return root;
    } catch (MalformedJsonException | IllegalStateException | NumberFormatException e) {
      throw new IOException(withoutGsonLink(e.getMessage()), e);
    }
  }

  /** Gson's message without the troubleshooting link it appends on a line of its own. */
  private static String withoutGsonLink(String message) {
    return message == null
        ? null
        : message.replaceFirst("\\s*See https://github\\.com/google/gson/\\S*\\s*$", "");
  }

  private static JsonElement value(JsonReader reader, int depth) throws IOException {
    switch (reader.peek()) {
      case BEGIN_ARRAY -> {
        checkDepth(reader, depth);
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(value(reader, depth + 1));
        }
        reader.endArray();
        return array;
      }
      case BEGIN_OBJECT -> {
        checkDepth(reader, depth);
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          object.add(name, value(reader, depth + 1));
        }
        reader.endObject();
        return object;
      }
      case STRING -> {
        return new JsonPrimitive(reader.nextString());
      }
      case NUMBER -> {
        return new JsonPrimitive(number(reader.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(reader.nextBoolean());
      }
      case NULL -> {
        reader.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new IOException("expected a JSON value at " + reader.getPath());
    }
  }

  /** A JSON number as Gson's parser keeps it: exact where it is an integer or a decimal. */
  private static Number number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      // not an integer that fits a long
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return Double.parseDouble(text); // NaN, Infinity, -Infinity: what Python's json writes
    }
  }

  private static void checkDepth(JsonReader reader, int depth) throws IOException {
    if (depth >= MAX_DEPTH) {
      throw new IOException(
          "arrays and objects nest more than " + MAX_DEPTH + " deep at " + reader.getPath());
    }
  }
}
