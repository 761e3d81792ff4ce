package org.dnnlessons.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

class ModelDescriptionTest {

  @Test
  void theLessonIsOneValueAndNamesLiveHere() {
    ModelDescription lesson = ModelDescription.lesson(List.of(256));
    assertTrue(lesson.isLessonMlp());
    assertEquals(List.of(256), lesson.hidden());
    assertEquals(Mlp.Options.lesson().model(), lesson);
    assertEquals(
        List.of("hidden_layer/weights", "out/weights", "hidden_layer/biases", "out/biases"),
        lesson.variableNames());
    assertFalse(
        ModelDescription.mlp(List.of(256), Activation.of(Activation.Kind.TANH)).isLessonMlp());
    assertFalse(lesson.withInputScale(255).isLessonMlp());
  }

  @Test
  void noHiddenLayerAndNoBiasBuild() {
    ModelDescription single = ModelDescription.lesson(List.of());
    assertEquals(List.of("out/weights", "out/biases"), single.variableNames());
    ModelDescription noBias =
        new ModelDescription(
            1.0,
            List.of(
                new ModelDescription.Dense("a", 8, false, Activation.of(Activation.Kind.GELU)),
                new ModelDescription.Dense("b", 10, true, Activation.LINEAR)));
    assertEquals(
        List.of("hidden_layer/weights", "out/weights", "out/biases"), noBias.variableNames());
    for (ModelDescription m : List.of(single, noBias)) {
      try (Graph g = new Graph()) {
        Mlp.Network net = Mlp.build(g, Mlp.Options.lesson().withModel(m));
        List<String> names = new ArrayList<>();
        net.variables().forEach(v -> names.add(v.name()));
        assertEquals(m.variableNames(), names);
        assertEquals(
            List.of(-1L, 10L), List.of(net.logits().shape().size(0), net.logits().shape().size(1)));
      }
    }
  }

  @Test
  void everyActivationKerasNamesBuilds() {
    List<String> failed = new ArrayList<>();
    for (String name : Activation.names()) {
      ModelDescription m = ModelDescription.mlp(List.of(4), Activation.named(name));
      try (Graph g = new Graph()) {
        Mlp.build(g, Mlp.Options.lesson().withModel(m));
      } catch (RuntimeException e) {
        failed.add(name + ": " + e.getMessage().split("\\.")[0]);
      }
    }
    assertEquals(List.of(), failed);
    assertEquals(Activation.Kind.SILU, Activation.named("swish").kind());
    assertEquals(0.2, Activation.named("leaky_relu").negativeSlope());
    assertThrows(IllegalArgumentException.class, () -> Activation.named("sparsemax"));
  }

  @Test
  void theOutputMustHaveTenUnits() {
    assertEquals(
        "the last Dense layer has 3 units, expected 10",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new ModelDescription(
                        1.0, List.of(new ModelDescription.Dense("o", 3, true, Activation.LINEAR))))
            .getMessage());
  }
}
