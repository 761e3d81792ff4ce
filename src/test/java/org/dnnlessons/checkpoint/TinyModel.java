package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A small graph for save tests: float variables {@code layer/w} [64] and {@code layer/b} [8] (and,
 * with strings, {@code vocab} [2], which makes the saver use TensorFlow's {@code SaveV2}), all set
 * to one value per save so that a checkpoint mixing two saves is visible.
 */
final class TinyModel implements AutoCloseable {

  private final Graph graph = new Graph();
  private final ModelGraph g = ModelGraph.create(graph);
  private final Placeholder<TFloat32> value;
  private final List<Op> assigns = new ArrayList<>();
  private final NamedVariable<TFloat32> w;
  private final Session session;
  final Saver saver;

  /**
   * @param settings applied to the saver's builder (maxToKeep, writeMetaGraph)
   * @param withStrings whether to add the string variable {@code vocab}
   */
  TinyModel(UnaryOperator<Saver.Builder> settings, boolean withStrings) {
    this(settings, withStrings, 64);
  }

  /**
   * @param size the number of elements of {@code layer/w} (64 by default; larger to fill a disk)
   */
  TinyModel(UnaryOperator<Saver.Builder> settings, boolean withStrings, int size) {
    Ops tf = g.tf();
    value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Ops layer = tf.withSubScope("layer");
    w = g.variable(layer, "w", layer.fill(layer.constant(new int[] {size}), layer.constant(0f)));
    NamedVariable<TFloat32> b =
        g.variable(layer, "b", layer.fill(layer.constant(new int[] {8}), layer.constant(0f)));
    assigns.add(tf.assign(w.variable(), tf.fill(tf.constant(new int[] {size}), value)));
    assigns.add(tf.assign(b.variable(), tf.fill(tf.constant(new int[] {8}), value)));
    if (withStrings) {
      NamedVariable<TString> vocab =
          g.variable(
              tf, "vocab", tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects("a", "b")));
      assigns.add(
          tf.assign(
              vocab.variable(), tf.fill(tf.constant(new int[] {2}), tf.dtypes.asString(value))));
    }
    saver = settings.apply(Saver.builder(graph)).build();
    session = g.newSession();
    session.run(g.globalVariablesInitializer());
  }

  /** Sets every variable to {@code v}. */
  TinyModel set(float v) {
    try (TFloat32 t = TFloat32.scalarOf(v)) {
      Session.Runner r = session.runner().feed(value, t);
      assigns.forEach(r::addTarget);
      r.run().close();
    }
    return this;
  }

  String save(Path prefix, float v) throws CheckpointException {
    return set(v).saver.save(session, prefix.toString());
  }

  String save(Path prefix, float v, long step) throws CheckpointException {
    return set(v).saver.save(session, prefix.toString(), step);
  }

  /**
   * Restores {@code prefix} and returns the value of {@code layer/w} (all elements checked equal).
   */
  float restore(Path prefix) throws CheckpointException {
    saver.restore(session, prefix.toString());
    try (Result r = session.runner().fetch(w).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float first = t.getFloat(0);
      for (int i = 0; i < t.shape().size(); i++) {
        assertEquals(first, t.getFloat(i), "layer/w[" + i + "] of " + prefix);
      }
      return first;
    }
  }

  @Override
  public void close() {
    saver.close();
    session.close();
    graph.close();
  }
}
