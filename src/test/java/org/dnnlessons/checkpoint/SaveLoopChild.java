package org.dnnlessons.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The child process of {@link KillDuringSaveIT}: sets four 1 MB variables to the step number and
 * saves them as {@code DIR/model.ckpt-STEP}, over and over, until it is killed.
 */
public final class SaveLoopChild {

  private SaveLoopChild() {}

  /** {@code SaveLoopChild DIR}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (Graph graph = new Graph()) {
      ModelGraph g = ModelGraph.create(graph);
      Ops tf = g.tf();
      Placeholder<TFloat32> step =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      List<Op> assigns = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Ops scope = tf.withSubScope("layer_" + i);
        NamedVariable<TFloat32> v =
            g.variable(
                scope,
                "weights",
                scope.fill(scope.constant(new int[] {512, 512}), scope.constant(0.0f)));
        assigns.add(tf.assign(v.variable(), tf.fill(tf.constant(new int[] {512, 512}), step)));
      }
      Saver saver = Saver.builder(graph).maxToKeep(2).build();
      try (Session session = g.newSession()) {
        session.run(g.globalVariablesInitializer());
        for (long n = 1; ; n++) {
          try (TFloat32 value = TFloat32.scalarOf(n)) {
            Session.Runner r = session.runner().feed(step, value);
            assigns.forEach(r::addTarget);
            r.run().close();
          }
          saver.save(session, dir.resolve("model.ckpt").toString(), n);
        }
      }
    }
  }
}
