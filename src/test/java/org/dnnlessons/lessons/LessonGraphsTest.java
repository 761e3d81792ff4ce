package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.dnnlessons.nn.Mlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.proto.NodeDef;

/**
 * The lesson class writes the graph op by op as the notebook does, and the reusable {@link Mlp}
 * builds it in a loop; both must be the same graph: the same nodes in the same order, each with the
 * same name, op, inputs (control inputs included) and attributes (dtypes, shapes, seeds, constants'
 * values, the learning rate).
 */
class LessonGraphsTest {

  static List<Mlp.Options> options() {
    return List.of(
        Mlp.Options.lesson(),
        Mlp.Options.lesson().withGraphSeed(1L),
        Mlp.Options.lesson()
            .withHidden(List.of(256, 128, 64))
            .withLearningRate(0.1)
            .withInitStddev(0.05)
            .withGraphSeed(7L),
        Mlp.Options.lesson().withHidden(List.of(64, 32)).withDropout(true).withGraphSeed(3L),
        Mlp.Options.lesson().withImageSize(8, 8));
  }

  @ParameterizedTest
  @MethodSource("options")
  void theLessonsGraphIsMlpsGraph(Mlp.Options o) {
    try (Graph fromMlp = new Graph();
        Graph fromLesson = new Graph()) {
      Mlp.build(fromMlp, o);
      MlpLesson.buildGraph(fromLesson, o);
      List<NodeDef> expected = fromMlp.toGraphDef().getNodeList();
      List<NodeDef> actual = fromLesson.toGraphDef().getNodeList();
      // names, ops and inputs first, for a readable difference
      assertEquals(summary(expected), summary(actual));
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), actual.get(i), "node " + expected.get(i).getName());
      }
      assertTrue(expected.size() > 40, "a whole network: " + expected.size() + " nodes");
    }
  }

  @Test
  void theComparisonSeesADifferentSeedOrRate() {
    try (Graph a = new Graph();
        Graph b = new Graph();
        Graph c = new Graph()) {
      MlpLesson.buildGraph(a, Mlp.Options.lesson().withGraphSeed(1L));
      MlpLesson.buildGraph(b, Mlp.Options.lesson().withGraphSeed(2L));
      MlpLesson.buildGraph(c, Mlp.Options.lesson().withGraphSeed(1L).withLearningRate(0.01));
      assertEquals(summary(a.toGraphDef().getNodeList()), summary(b.toGraphDef().getNodeList()));
      assertTrue(!a.toGraphDef().getNodeList().equals(b.toGraphDef().getNodeList()), "seeds");
      assertTrue(!a.toGraphDef().getNodeList().equals(c.toGraphDef().getNodeList()), "rate");
    }
  }

  private static String summary(List<NodeDef> nodes) {
    return nodes.stream()
        .map(n -> n.getName() + " = " + n.getOp() + n.getInputList())
        .collect(Collectors.joining("\n"));
  }
}
