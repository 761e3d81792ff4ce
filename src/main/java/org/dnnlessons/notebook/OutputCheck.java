package org.dnnlessons.notebook;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Locale;
import java.util.Optional;
import org.dnnlessons.format.NumericText;
import org.dnnlessons.format.NumericText.Tolerance;

/**
 * How {@code notebook verify} compares a code cell's new output with the one the notebook stores,
 * set per cell in the cell's metadata under {@value #METADATA_KEY}:
 *
 * <ul>
 *   <li>{@code "check": "close"} (the default): decimal numbers within {@code |printed - stored| <=
 *       atol + rtol * |stored|}, integers digit for digit, blanks next to numbers free (numpy's
 *       alignment), all other text exact ({@link NumericText}). {@code "rtol"} and {@code "atol"}
 *       default to {@link Tolerance#FLOAT32} (1e-6 each): float32 results whose last bits follow
 *       the CPU's kernels, so outputs stored on one machine verify on another. A cell whose numbers
 *       move further from CPU to CPU (a training run's accuracy) sets its own, e.g. {@code
 *       "dnn_lessons": {"atol": 0.001}};
 *   <li>{@code "check": "exact"}: the text character for character;
 *   <li>{@code "check": "shape"}: the same text with every number free (an unseeded random op, a
 *       timing).
 * </ul>
 *
 * @param mode how the texts are compared
 * @param tolerance for {@link Mode#CLOSE}, how far a decimal number may move
 */
public record OutputCheck(Mode mode, Tolerance tolerance) {

  /** The key of the cell metadata object that holds {@code check}, {@code rtol}, {@code atol}. */
  public static final String METADATA_KEY = "dnn_lessons";

  /** A cell without metadata: {@code close} at {@link Tolerance#FLOAT32}. */
  public static final OutputCheck DEFAULT = new OutputCheck(Mode.CLOSE, Tolerance.FLOAT32);

  /** The values of {@code "check"}. */
  public enum Mode {
    /** Numbers within the tolerance, the rest exact. */
    CLOSE,
    /** Character for character. */
    EXACT,
    /** Numbers free, blanks ignored, the rest exact. */
    SHAPE;

    /**
     * The name in the metadata: {@code close}, {@code exact}, {@code shape}.
     *
     * @return the name as the cell's metadata spells it
     */
    public String metadataName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Reads a cell's {@value #METADATA_KEY} metadata object ({@code null}: none, the default).
   *
   * @param ours the metadata's {@value #METADATA_KEY} value, or {@code null} when the cell has none
   * @return the check it names; {@link #DEFAULT} (close, float32 tolerance) when {@code null}
   * @throws IllegalArgumentException saying which entry is wrong and what was expected
   */
  public static OutputCheck fromMetadata(JsonElement ours) {
    if (ours == null || ours.isJsonNull()) {
      return DEFAULT;
    }
    if (!ours.isJsonObject()) {
      throw new IllegalArgumentException(
          "metadata \"" + METADATA_KEY + "\" must be a JSON object, found " + ours);
    }
    JsonObject o = ours.getAsJsonObject();
    Mode mode = Mode.CLOSE;
    if (o.has("check")) {
      String check = string(o.get("check"));
      mode = null;
      for (Mode m : Mode.values()) {
        if (m.metadataName().equals(check)) {
          mode = m;
        }
      }
      if (mode == null) {
        throw new IllegalArgumentException(
            "metadata \""
                + METADATA_KEY
                + "\".check must be \"close\", \"exact\" or \"shape\", found "
                + o.get("check"));
      }
    }
    double rtol = number(o, "rtol", Tolerance.FLOAT32.rtol());
    double atol = number(o, "atol", Tolerance.FLOAT32.atol());
    if (mode != Mode.CLOSE && (o.has("rtol") || o.has("atol"))) {
      throw new IllegalArgumentException(
          "metadata \""
              + METADATA_KEY
              + "\": rtol and atol apply to \"check\": \"close\", found \"check\": \""
              + mode.metadataName()
              + "\"");
    }
    try {
      return new OutputCheck(mode, new Tolerance(rtol, atol));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("metadata \"" + METADATA_KEY + "\"." + e.getMessage(), e);
    }
  }

  /**
   * Compares what a cell printed with what the notebook stores.
   *
   * @param stored the output text the notebook stores for the cell
   * @param printed what the cell printed now
   * @return empty when they match, else the first difference in words (for {@code close}: the line,
   *     both numbers or texts, and the tolerance)
   */
  public Optional<String> compare(String stored, String printed) {
    return switch (mode) {
      case EXACT -> stored.equals(printed) ? Optional.empty() : Optional.of("the text differs");
      case SHAPE ->
          NumericText.shape(stored).equals(NumericText.shape(printed))
              ? Optional.empty()
              : Optional.of("the text differs with its numbers free");
      case CLOSE ->
          NumericText.compare(stored, printed, tolerance)
              .map(d -> "first difference at " + tolerance + ": " + d);
    };
  }

  private static String string(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
  }

  private static double number(JsonObject o, String key, double fallback) {
    if (!o.has(key)) {
      return fallback;
    }
    JsonElement e = o.get(key);
    if (!(e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber())) {
      throw new IllegalArgumentException(
          "metadata \"" + METADATA_KEY + "\"." + key + " must be a number >= 0, found " + e);
    }
    return e.getAsDouble();
  }
}
