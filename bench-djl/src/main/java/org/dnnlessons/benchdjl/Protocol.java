package org.dnnlessons.benchdjl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reading one request of {@code bench.py --serve}'s line protocol, and its answer. */
final class Protocol {

  /** The shapes of the weights file's arrays, in order: W1, W2, b1, b2. */
  static final int[] SIZES = {784 * 256, 256 * 10, 256, 10};

  /** The largest batch and step count a request may ask for. */
  static final int MAX = 1 << 20;

  /** A request this peer cannot answer: its message names the request and what was expected. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  private Protocol() {}

  /** The answer line to {@code words}, one request split at spaces. */
  static String answer(DjlPeer peer, String[] words) throws IOException {
    String request = String.join(" ", words);
    if (words[0].equals("train") && words.length == 4) {
      name(words[1], request);
      int batch = number(words[2], "BATCH", request);
      int steps = number(words[3], "STEPS", request);
      return String.format(
          Locale.ROOT, "time %s %d %.6f", DjlPeer.NAME, batch, peer.train(batch, steps));
    }
    if (words[0].equals("check") && words.length == 5) {
      name(words[1], request);
      int batch = number(words[2], "BATCH", request);
      float[][] weights = weights(Path.of(words[3]));
      int[] indices = indices(Path.of(words[4]));
      float loss;
      try {
        loss = peer.check(batch, weights, indices);
      } catch (IllegalArgumentException e) {
        throw new BadRequest(words[4] + ": " + e.getMessage());
      }
      return String.format(Locale.ROOT, "loss %s %d %.9g", DjlPeer.NAME, batch, loss);
    }
    if (words[0].equals("describe") && words.length == 2) {
      name(words[1], request);
      return "describe " + DjlPeer.NAME + " " + DjlPeer.describe();
    }
    throw new BadRequest(
        "cannot read request '"
            + request
            + "' (expected train djl BATCH STEPS, check djl BATCH WEIGHTS INDICES, describe djl"
            + " or quit)");
  }

  private static void name(String peer, String request) {
    if (!peer.equals(DjlPeer.NAME)) {
      throw new BadRequest(
          "peer '" + peer + "' is not served here (only " + DjlPeer.NAME + "): " + request);
    }
  }

  private static int number(String word, String what, String request) {
    int v;
    try {
      v = Integer.parseInt(word);
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 1 || v > MAX) {
      throw new BadRequest(
          what + " '" + word + "' in '" + request + "' is not a whole number 1-" + MAX);
    }
    return v;
  }

  /** W1, W2, b1, b2 from raw little-endian float32. */
  static float[][] weights(Path file) throws IOException {
    long expected = 0;
    for (int s : SIZES) {
      expected += 4L * s;
    }
    long size = Files.size(file);
    if (size != expected) {
      throw new BadRequest(
          file + ": " + size + " bytes, expected " + expected + " (W1, W2, b1, b2 as float32)");
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[][] out = new float[SIZES.length][];
    for (int i = 0; i < SIZES.length; i++) {
      out[i] = new float[SIZES[i]];
      b.asFloatBuffer().get(out[i]);
      b.position(b.position() + 4 * SIZES[i]);
    }
    return out;
  }

  /** Raw little-endian int32s. */
  static int[] indices(Path file) throws IOException {
    long size = Files.size(file);
    if (size % 4 != 0 || size > 4L * MAX * 64) {
      throw new BadRequest(file + ": " + size + " bytes, expected int32 indices (a multiple of 4)");
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[(int) (size / 4)];
    b.asIntBuffer().get(out);
    return out;
  }
}
