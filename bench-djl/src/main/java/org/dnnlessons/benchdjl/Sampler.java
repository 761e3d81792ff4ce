package org.dnnlessons.benchdjl;

import java.util.Random;

/**
 * Batches of row indices for the timed runs: a fresh permutation per epoch, the last partial batch
 * of an epoch dropped, as {@code bench_peers.Sampler} does (with Java's generator, not numpy's: the
 * timed runs need the same kind of batches, the loss check brings its own).
 */
final class Sampler {
  private final int n;
  private final int batch;
  private final Random random;
  private final long[] order;
  private int at;

  Sampler(int n, int batch, long seed) {
    if (batch < 1 || batch > n) {
      throw new IllegalArgumentException("batch " + batch + " must be 1-" + n);
    }
    this.n = n;
    this.batch = batch;
    this.random = new Random(seed);
    this.order = new long[n];
    shuffle();
  }

  private void shuffle() {
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    at = 0;
  }

  /** The next batch's rows. */
  long[] next() {
    if (at + batch > n) {
      shuffle();
    }
    long[] out = java.util.Arrays.copyOfRange(order, at, at + batch);
    at += batch;
    return out;
  }
}
