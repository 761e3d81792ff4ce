package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A {@code var_list} entry is a {@code VariableV2}, or the {@code NAME/read} of one, which is what
 * {@link NamedVariable} hands out as its value: the saver knows the layout, not the {@code nn}
 * class, so {@code checkpoint} does not depend on {@code nn}. That a {@code NamedVariable} is saved
 * and restored under its key is {@code SaverTest.explicitKeyMapLoadsIntoRenamedVariables}.
 */
class SaverVarListTest {

  @Test
  void anotherIdentityOfAVariableIsRefused() {
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      NamedVariable<TFloat32> v = g.variable(tf, "w", tf.constant(new float[] {1, 2}));
      var copy = tf.withName("copy").identity(v.variable());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Saver.builder(graph).variables(Map.of("key", copy)));
      assertEquals("Saver covers VariableV2 ops, found 'copy' of type Identity", e.getMessage());
    }
  }
}
