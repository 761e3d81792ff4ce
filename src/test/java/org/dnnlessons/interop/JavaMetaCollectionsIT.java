package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.ModelGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The {@code .meta} of a graph whose variables were built with plain TensorFlow Java ops (no {@code
 * name/Assign} or {@code name/read}) still lists every variable for Python: after {@code
 * import_meta_graph}, {@code tf.compat.v1.global_variables()} and {@code trainable_variables()}
 * name them all, {@code global_variables_initializer()} gives their initial values and the imported
 * saver restores the saved ones.
 */
class JavaMetaCollectionsIT {

  @TempDir Path dir;

  @Test
  void pythonListsInitializesAndRestoresVariablesOfPlainJavaOps() throws Exception {
    String prefix = dir.resolve("plain.ckpt").toString();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      // Ops.variable(init): VariableV2 "a" initialized by an Assign named "a_1"
      Variable<TFloat32> a = tf.withName("a").variable(tf.constant(new float[] {1, 2}));
      // a bare variable and its own Assign, in a scope
      Ops scope = tf.withSubScope("layer");
      Variable<TFloat32> b = scope.withName("b").variable(Shape.of(3), TFloat32.class);
      var initB = scope.withName("init_b").assign(b, scope.constant(new float[] {3, 4, 5}));
      // the lesson's own layout, for comparison: name/Assign and name/read
      ModelGraph g = ModelGraph.create(graph);
      var c = g.variable(tf, "c", tf.constant(6f));
      Saver saver = Saver.builder(graph).build();
      try (Session s = new Session(graph)) {
        s.runner().addTarget(graph.operation("a_1")).addTarget(initB).run().close();
        s.run(g.globalVariablesInitializer());
        s.runner()
            .addTarget(tf.assign(a, tf.constant(new float[] {10, 20})))
            .addTarget(scope.assign(b, scope.constant(new float[] {30, 40, 50})))
            .addTarget(tf.assign(c.variable(), tf.constant(60f)))
            .run()
            .close();
        saver.save(s, prefix);
      }
    }
    Map<String, String> python = PythonTensorFlow.run("interop_meta_collections.py", prefix);
    assertEquals("a:0,c:0,layer/b:0", python.get("global"));
    assertEquals("a:0,c:0,layer/b:0", python.get("trainable"));
    assertEquals("1.0 2.0", python.get("initial_a"));
    assertEquals("3.0 4.0 5.0", python.get("initial_layer/b"));
    assertEquals("6.0", python.get("initial_c"));
    assertEquals("10.0 20.0", python.get("restored_a"));
    assertEquals("30.0 40.0 50.0", python.get("restored_layer/b"));
    assertEquals("60.0", python.get("restored_c"));
  }
}
