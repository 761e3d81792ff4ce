package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;

/**
 * The unrolled steps' graph grows linearly in the layers: its ops and control edges per hidden
 * layer are the same at 8, 16 and 32 layers. Each step's reads waited on every update of the step
 * before, and each update on every gradient, so a network of {@code V} variables had {@code 2 V^2}
 * control edges per step: at 300 layers 360,000 per step, and TensorFlow's graph optimizer (its
 * memory pass simulates every edge) took minutes and gigabytes before the first step.
 */
class UnrolledGraphSizeTest {

  /**
   * The ops and control edges that unrolling 3 steps of a network of {@code layers} hidden layers
   * adds (the network's own single step, TensorFlow Java's {@code GradientDescent.minimize}, keeps
   * its own quadratic edges: every update waits on every gradient).
   */
  private static long[] size(int layers) {
    try (Graph graph = new Graph()) {
      Mlp.Options options =
          Mlp.Options.lesson().withHidden(Collections.nCopies(layers, 4)).withImageSize(4, 4);
      Mlp.Network net = Mlp.build(graph, options);
      long[] before = count(graph);
      UnrolledTraining.build(net, options, 3, 2);
      long[] all = count(graph);
      return new long[] {all[0] - before[0], all[1] - before[1]};
    }
  }

  private static long[] count(Graph graph) {
    long ops = 0;
    long controlEdges = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      ops++;
      controlEdges += op.numControlInputs();
    }
    return new long[] {ops, controlEdges};
  }

  @Test
  void opsAndControlEdgesGrowLinearlyInTheLayers() {
    long[] s8 = size(8);
    long[] s16 = size(16);
    long[] s32 = size(32);
    // the same increment per 8 layers: linear (a V^2 term doubles the increment each time)
    assertEquals(
        List.of(2 * (s16[0] - s8[0]), 2 * (s16[1] - s8[1])),
        List.of(s32[0] - s16[0], s32[1] - s16[1]),
        "ops and control edges at 8, 16, 32 layers: "
            + List.of(s8[0], s16[0], s32[0])
            + " "
            + List.of(s8[1], s16[1], s32[1]));
  }
}
