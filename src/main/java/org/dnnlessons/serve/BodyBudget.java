package org.dnnlessons.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The bytes of request bodies the server holds at once, read or being read: bodies are read on
 * {@code --io-threads} (64) apart from the {@code --workers} permits, so without a bound 64 bodies
 * of {@code --max-body-bytes} each could be in memory together (512 MiB by default) and the heap
 * run out (a 500 with {@code OutOfMemoryError}). Each body takes its bytes from the budget as they
 * arrive (a stalled upload holds only what it sent, counted in bytes) and gives them back when its
 * request is answered; a body that would go over is answered 503, its connection closed, as
 * TensorFlow Serving answers {@code RESOURCE_EXHAUSTED} when its own limits are reached.
 */
final class BodyBudget {

  private static final int FIRST_CHUNK = 8 * 1024;
  private static final int CHUNK = 64 * 1024;

  private final Semaphore bytes;
  private final long limitBytes;

  /**
   * A budget of {@code limitBytes}.
   *
   * @param limitBytes bytes of bodies held at once, at least 1; at most {@link Integer#MAX_VALUE}
   *     are counted (a larger budget is that)
   */
  BodyBudget(long limitBytes) {
    if (limitBytes < 1) {
      throw new IllegalArgumentException("a body budget of at least 1 byte, found " + limitBytes);
    }
    this.limitBytes = Math.min(Integer.MAX_VALUE, limitBytes);
    this.bytes = new Semaphore((int) this.limitBytes);
  }

  /**
   * The budget a server of {@code options} holds: twice what its workers use at once ({@code 2 x
   * --workers x --max-body-bytes}, 32 MiB by default), so the next bodies are read while the
   * workers run the current ones; overflow-safe.
   *
   * @param options the server's options
   * @return the budget in bytes
   */
  static long defaultBytes(ServeOptions options) {
    return 2L * options.workers() * options.maxBodyBytes();
  }

  /**
   * The limit, in bytes.
   *
   * @return bytes of bodies held at once at most
   */
  long limitBytes() {
    return limitBytes;
  }

  /**
   * Reads {@code in} to its end or to {@code max} bytes, taking each piece from the budget before
   * keeping it.
   *
   * @param in the request body
   * @param max bytes to read at most (a caller passes its limit + 1 to see a body over it)
   * @return the bytes read, holding their share of the budget until closed
   * @throws ApiException 503 when the budget has no room for the next piece (what was taken is
   *     given back)
   * @throws IOException when reading fails (what was taken is given back)
   */
  Held read(InputStream in, int max) throws ApiException, IOException {
    List<byte[]> pieces = new ArrayList<>();
    int total = 0;
    int taken = 0;
    boolean done = false;
    try {
      byte[] piece = new byte[Math.min(FIRST_CHUNK, max)]; // most bodies are small
      int filled = 0;
      while (total < max) {
        int n = in.read(piece, filled, Math.min(piece.length - filled, max - total));
        if (n < 0) {
          break;
        }
        if (!bytes.tryAcquire(n)) {
          throw new ApiException(
              503,
              "the server already holds its limit of "
                  + limitBytes
                  + " bytes of request bodies (2 x --workers x --max-body-bytes); retry later");
        }
        taken += n;
        total += n;
        filled += n;
        if (filled == piece.length) {
          pieces.add(piece);
          piece = new byte[Math.min(CHUNK, Math.max(1, max - total))];
          filled = 0;
        }
      }
      pieces.add(Arrays.copyOf(piece, filled));
      byte[] body = new byte[total];
      int at = 0;
      for (byte[] p : pieces) {
        System.arraycopy(p, 0, body, at, p.length);
        at += p.length;
      }
      done = true;
      return new Held(body, taken);
    } finally {
      if (!done) {
        bytes.release(taken);
      }
    }
  }

  /** A body read, holding its bytes' share of the budget until {@link #close}d. */
  final class Held implements AutoCloseable {
    private final byte[] body;
    private int taken;

    private Held(byte[] body, int taken) {
      this.body = body;
      this.taken = taken;
    }

    /**
     * The body.
     *
     * @return its bytes
     */
    byte[] bytes() {
      return body;
    }

    /** Gives the body's share back; once. */
    @Override
    public void close() {
      bytes.release(taken);
      taken = 0;
    }
  }
}
