package org.dnnlessons.serve;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body of a {@code :predict} or {@code :classify} request read into images, as TensorFlow
 * Serving reads them, with the checks the server makes before anything runs.
 *
 * <p>{@code :predict}: {@code {"signature_name": "serving_default", "instances": [...]}} (row form)
 * or {@code {"inputs": ...}} (columnar form), one of them; each instance an image shaped {@code
 * [28, 28, 1]} (the signature's {@code x}), {@code [28, 28]} or {@code [784]}, or an object {@code
 * {"x": image}}; the columnar value a tensor {@code [n, ...]} of such images or {@code {"x":
 * tensor}}. {@code :classify}: {@code {"examples": [{"x": [784 pixels]}, ...]}}.
 *
 * <p>Pixels are JSON numbers from 0 (background) to 1 (ink), the scale the network was trained on;
 * anything else (a string, {@code NaN}, {@code Infinity}, 255) is refused with the value's path, so
 * the network never answers for an input it was not made for. TensorFlow Serving itself accepts
 * {@code NaN} and any float: this is stricter on purpose.
 *
 * @param images {@code [n][784]} pixels
 * @param columnar whether the request used {@code inputs} (answered with {@code outputs})
 * @param signatureName the signature asked for ({@code serving_default} when absent)
 */
record ImageRequest(float[][] images, boolean columnar, String signatureName) {

  /** The one signature served. */
  static final String SIGNATURE = "serving_default";

  /** The signature's input name. */
  static final String INPUT = "x";

  private static final int MAX_RANK = 4;

  /** Reads a {@code :predict} body. */
  static ImageRequest predict(byte[] body, int maxInstances) throws ApiException {
    return parse(body, maxInstances, false);
  }

  /** Reads a {@code :classify} body. */
  static ImageRequest classify(byte[] body, int maxInstances) throws ApiException {
    return parse(body, maxInstances, true);
  }

  private static ImageRequest parse(byte[] body, int maxInstances, boolean classify)
      throws ApiException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("the body is not UTF-8 text");
    }
    checkNesting(text);
    // the whole body's syntax first, as TensorFlow Serving parses it whole before reading it
    String fault = JsonSyntax.firstFault(text);
    if (fault != null) {
      throw ApiException.badRequest("malformed JSON: " + fault);
    }
    try (JsonReader r = new JsonReader(new StringReader(text))) {
      r.setStrictness(Strictness.LEGACY_STRICT);
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw ApiException.badRequest(
            "the body must be a JSON object with "
                + (classify ? "\"examples\"" : "\"instances\" or \"inputs\"")
                + ", found "
                + describe(r.peek()));
      }
      r.beginObject();
      String signature = null;
      Images rows = null;
      Images columns = null;
      while (r.hasNext()) {
        String key = r.nextName();
        switch (key) {
          case "signature_name" -> {
            if (r.peek() != JsonToken.STRING) {
              throw ApiException.badRequest(
                  "\"signature_name\" must be a string, found " + describe(r.peek()));
            }
            signature = r.nextString();
          }
          case "instances", "examples" -> {
            if (classify != key.equals("examples")) {
              throw ApiException.badRequest(
                  "\""
                      + key
                      + "\" belongs to "
                      + (classify ? ":predict" : ":classify")
                      + "; this request takes "
                      + (classify ? "\"examples\"" : "\"instances\" or \"inputs\""));
            }
            if (rows != null) {
              throw ApiException.badRequest("\"" + key + "\" appears twice");
            }
            rows = new Images(maxInstances);
            rows.read(r, 0, "$." + key, true, classify);
          }
          case "inputs" -> {
            if (classify) {
              throw ApiException.badRequest(
                  "\"inputs\" belongs to :predict; :classify takes \"examples\"");
            }
            if (columns != null) {
              throw ApiException.badRequest("\"inputs\" appears twice");
            }
            columns = new Images(maxInstances);
            columns.readNamed(r, 0, "$.inputs");
          }
          case "context" -> {
            if (!classify) {
              r.skipValue();
            } else {
              r.beginObject();
              if (r.hasNext()) {
                throw ApiException.badRequest(
                    "\"context\" features are not supported: the signature has one input, \"x\","
                        + " given in each example");
              }
              r.endObject();
            }
          }
          default -> r.skipValue(); // TensorFlow Serving ignores other keys
        }
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw ApiException.badRequest("data after the JSON object");
      }
      if (rows != null && columns != null) {
        throw ApiException.badRequest(
            "a request has either \"instances\" (row form) or \"inputs\" (columnar form), not both");
      }
      if (rows == null && columns == null) {
        throw ApiException.badRequest(
            classify ? "missing \"examples\"" : "missing \"inputs\" or \"instances\" key");
      }
      if (signature != null && !signature.isEmpty() && !signature.equals(SIGNATURE)) {
        throw new ApiException(
            400,
            "Serving signature name: \""
                + signature
                + "\" not found in signature def (the model has \""
                + SIGNATURE
                + "\")");
      }
      Images images = rows != null ? rows : columns;
      return new ImageRequest(images.images(), columns != null, SIGNATURE);
    } catch (MalformedJsonException | EOFException e) {
      throw ApiException.badRequest("malformed JSON: " + gsonMessage(e));
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw ApiException.badRequest("malformed JSON: " + gsonMessage(e));
    }
  }

  /** Most nested lists and objects in a body; deeper ones are refused before parsing. */
  static final int MAX_NESTING = 16;

  /**
   * Refuses a body nested deeper than {@link #MAX_NESTING} before Gson reads it: its reader keeps a
   * stack entry per level, so a body of a million {@code [} would cost tens of megabytes.
   */
  private static void checkNesting(String text) throws ApiException {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++depth > MAX_NESTING) {
          throw ApiException.badRequest(
              "lists and objects nested deeper than "
                  + MAX_NESTING
                  + " levels (at character "
                  + i
                  + ")");
        }
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
  }

  /** Gson's message without its advice to Gson's own users. */
  private static String gsonMessage(Exception e) {
    String m = String.valueOf(e.getMessage());
    int see = m.indexOf("\nSee ");
    if (see >= 0) {
      m = m.substring(0, see);
    }
    String advice =
        "not JSON (NaN, Infinity and unquoted words are not accepted: pixels are numbers from 0"
            + " to 1)";
    return m.replace(
            "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", advice)
        .replace("Use JsonReader.setLenient(true) to accept malformed JSON", advice);
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case BEGIN_ARRAY -> "a list";
      case BEGIN_OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case END_DOCUMENT -> "the end of the body";
      default -> t.toString();
    };
  }

  /** A float tensor read from nested lists, its shape checked as it is read. */
  private static final class Images {
    private final int maxInstances;
    private final long maxValues;
    private float[] values = new float[ImageShape.PIXELS];
    private int count;
    private final int[] dims = new int[MAX_RANK];
    private int rank = -1;

    Images(int maxInstances) {
      this.maxInstances = maxInstances;
      this.maxValues = (long) maxInstances * ImageShape.PIXELS;
    }

    /** Reads {@code tensor} or {@code {"x": tensor}}. */
    void readNamed(JsonReader r, int depth, String path) throws IOException, ApiException {
      if (r.peek() == JsonToken.BEGIN_OBJECT) {
        r.beginObject();
        boolean seen = false;
        while (r.hasNext()) {
          String name = r.nextName();
          if (!name.equals(INPUT) || seen) {
            throw ApiException.badRequest(
                path
                    + ": input \""
                    + name
                    + "\" "
                    + (name.equals(INPUT) ? "appears twice" : "is not in the signature")
                    + "; its one input is \""
                    + INPUT
                    + "\"");
          }
          seen = true;
          read(r, depth, path + "." + INPUT, false, false);
        }
        r.endObject();
        if (!seen) {
          throw ApiException.badRequest(path + ": missing input \"" + INPUT + "\"");
        }
      } else {
        read(r, depth, path, false, false);
      }
    }

    void read(JsonReader r, int depth, String path, boolean rows, boolean examples)
        throws IOException, ApiException {
      JsonToken t = r.peek();
      if (t == JsonToken.BEGIN_ARRAY) {
        if (depth >= MAX_RANK || (rank >= 0 && depth >= rank)) {
          throw ApiException.badRequest(
              path
                  + ": a list where a number was expected (an image is [28, 28, 1], [28, 28] or"
                  + " [784])");
        }
        r.beginArray();
        int n = 0;
        while (r.hasNext()) {
          if (depth == 0 && n >= maxInstances) {
            throw ApiException.badRequest(
                "too many instances: at most " + maxInstances + " in one request");
          }
          String at = path + "[" + n + "]";
          if (depth == 0 && rows && r.peek() == JsonToken.BEGIN_OBJECT) {
            readNamed(r, 1, at);
          } else if (depth == 0 && examples) {
            throw ApiException.badRequest(
                at
                    + ": an example is an object {\"x\": [784 pixels]}, found "
                    + describe(r.peek()));
          } else {
            read(r, depth + 1, at, false, false);
          }
          n++;
        }
        r.endArray();
        if (n == 0) {
          throw ApiException.badRequest(path + ": empty list");
        }
        if (dims[depth] == 0) {
          dims[depth] = n;
        } else if (dims[depth] != n) {
          throw ApiException.badRequest(
              path
                  + " has "
                  + n
                  + " elements where the lists before it at this depth have "
                  + dims[depth]
                  + " (a tensor's lists have equal lengths)");
        }
      } else if (t == JsonToken.NUMBER) {
        if (rank < 0) {
          rank = depth;
        } else if (depth != rank) {
          throw ApiException.badRequest(path + ": a number where a list was expected");
        }
        String literal = r.nextString(); // a JSON number's own text (JsonSyntax checked it)
        double v = Double.parseDouble(literal);
        if (Double.isInfinite(v)) {
          throw ApiException.badRequest(
              path
                  + " is "
                  + literal
                  + ": a number beyond the range of a double (largest 1.8e308; pixels are from 0"
                  + " to 1)");
        }
        if (!(v >= 0 && v <= 1)) {
          throw ApiException.badRequest(
              path
                  + " is "
                  + literal
                  + ": pixels are from 0 (background) to 1 (ink), the scale the network was"
                  + " trained on (divide 0-255 pixels by 255)");
        }
        if (count >= maxValues) {
          throw ApiException.badRequest(
              "too many values: at most "
                  + maxInstances
                  + " instances of "
                  + ImageShape.PIXELS
                  + " pixels in one request");
        }
        if (count == values.length) {
          values = Arrays.copyOf(values, (int) Math.min(maxValues, 2L * values.length));
        }
        values[count++] = (float) v;
      } else {
        throw ApiException.badRequest(
            path + ": expected a number (DT_FLOAT) or a list, found " + describe(t));
      }
    }

    /** The images, after checking the tensor's shape is one of the signature's. */
    float[][] images() throws ApiException {
      int[] shape = Arrays.copyOf(dims, Math.max(rank, 0));
      if (!ImageShape.fits(shape)) {
        throw ApiException.badRequest(
            "input \"x\" has shape "
                + Arrays.toString(shape)
                + "; expected [n, 28, 28, 1], [n, 28, 28] or [n, 784]");
      }
      int n = shape[0];
      float[][] images = new float[n][];
      for (int i = 0; i < n; i++) {
        images[i] = Arrays.copyOfRange(values, i * ImageShape.PIXELS, (i + 1) * ImageShape.PIXELS);
      }
      return images;
    }
  }
}
