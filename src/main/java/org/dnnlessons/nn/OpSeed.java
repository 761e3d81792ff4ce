package org.dnnlessons.nn;

/**
 * The pair of seeds a TensorFlow random op carries in its {@code seed} and {@code seed2}
 * attributes.
 *
 * <p>Python's {@code tf.compat.v1.random.get_seed(op_seed)} turns a graph-level seed (set by {@code
 * tf.set_random_seed}) and an optional op-level seed into this pair. {@link #resolve} applies the
 * same four rules, so a Java graph and a Python graph built with the same seeds draw the same
 * numbers:
 *
 * <ol>
 *   <li>no graph seed, no op seed: {@code (0, 0)}, which the kernels read as "seed from the clock"
 *       (nondeterministic);
 *   <li>graph seed only: the op seed is taken from a per-graph counter of such ops (0, 1, 2, ... in
 *       creation order), exactly as TensorFlow 2.x does;
 *   <li>op seed only: the graph seed defaults to {@link #DEFAULT_GRAPH_SEED};
 *   <li>both: used as given.
 * </ol>
 *
 * Both seeds are reduced modulo 2<sup>31</sup>-1, and a resolved pair of {@code (0, 0)} becomes
 * {@code (0, 2^31-1)} so that an explicit zero never means "nondeterministic".
 *
 * @param seed the op's {@code seed} attribute (derived from the graph-level seed)
 * @param seed2 the op's {@code seed2} attribute (derived from the op-level seed)
 */
public record OpSeed(long seed, long seed2) {

  /** The graph-level seed Python uses when only an op seed is given. */
  public static final long DEFAULT_GRAPH_SEED = 87654321L;

  /** Python's {@code _MAXINT32}: seeds are truncated modulo this value. */
  static final long MAX_INT32 = (1L << 31) - 1;

  /** The unseeded pair: TensorFlow draws a fresh random seed every time the session starts. */
  public static final OpSeed NONDETERMINISTIC = new OpSeed(0, 0);

  /**
   * Applies Python's seed rules.
   *
   * @param graphSeed the graph-level seed, or {@code null} when none was set
   * @param opSeed the op-level seed, or {@code null} when none was given
   * @param autoSeedCounter the graph's counter of random ops created with a graph seed but no op
   *     seed; used only when {@code graphSeed != null && opSeed == null}
   * @return the attributes to put on the random op
   */
  public static OpSeed resolve(Long graphSeed, Long opSeed, long autoSeedCounter) {
    OpSeed seeds;
    if (graphSeed != null) {
      long op = opSeed != null ? opSeed : autoSeedCounter;
      seeds = new OpSeed(truncate(graphSeed), truncate(op));
    } else if (opSeed != null) {
      seeds = new OpSeed(DEFAULT_GRAPH_SEED, truncate(opSeed));
    } else {
      return NONDETERMINISTIC;
    }
    if (seeds.seed == 0 && seeds.seed2 == 0) {
      return new OpSeed(0, MAX_INT32);
    }
    return seeds;
  }

  /**
   * True unless this is the clock-seeded pair {@code (0, 0)}.
   *
   * @return true when the op's random values repeat from run to run of the program
   */
  public boolean isDeterministic() {
    return seed != 0 || seed2 != 0;
  }

  // Python's `seed % _MAXINT32`: the result takes the divisor's sign, so it is never negative.
  private static long truncate(long seed) {
    return Math.floorMod(seed, MAX_INT32);
  }
}
