package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Python's {@code random_seed.get_seed} rules, case by case. */
class OpSeedTest {

  @Test
  void noSeedsMeansNondeterministic() {
    OpSeed s = OpSeed.resolve(null, null, 5);
    assertEquals(new OpSeed(0, 0), s);
    assertFalse(s.isDeterministic());
  }

  @Test
  void graphSeedOnlyTakesTheOpSeedFromTheCounter() {
    assertEquals(new OpSeed(1, 0), OpSeed.resolve(1L, null, 0));
    assertEquals(new OpSeed(1, 3), OpSeed.resolve(1L, null, 3));
  }

  @Test
  void opSeedOnlyUsesPythonsDefaultGraphSeed() {
    assertEquals(new OpSeed(87654321L, 2), OpSeed.resolve(null, 2L, 0));
  }

  @Test
  void bothSeedsAreUsedAsGiven() {
    assertEquals(new OpSeed(1, 2), OpSeed.resolve(1L, 2L, 9));
  }

  @Test
  void explicitZeroSeedsAvoidTheNondeterministicPair() {
    OpSeed s = OpSeed.resolve(0L, 0L, 0);
    assertEquals(new OpSeed(0, (1L << 31) - 1), s);
    assertTrue(s.isDeterministic());
  }

  @Test
  void seedsAreTruncatedModuloMaxInt32AsInPython() {
    long max = (1L << 31) - 1;
    // Python: (2**31 + 5) % (2**31 - 1) == 6 and -1 % (2**31 - 1) == 2**31 - 2
    assertEquals(new OpSeed(6, max - 1), OpSeed.resolve((1L << 31) + 5, -1L, 0));
  }

  @Test
  void modelGraphAdvancesTheCounterOnlyForOpsWithoutTheirOwnSeed() {
    try (var graph = new org.tensorflow.Graph()) {
      ModelGraph g = ModelGraph.create(graph, 1);
      assertEquals(new OpSeed(1, 0), g.nextOpSeed(null));
      assertEquals(new OpSeed(1, 7), g.nextOpSeed(7L));
      assertEquals(new OpSeed(1, 1), g.nextOpSeed(null));
    }
  }
}
