package org.dnnlessons.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * TensorBoard event files written with TensorFlow's own summary ops ({@code
 * CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code WriteGraphSummary}), so {@code
 * tensorboard --logdir DIR} shows the run as it shows a Python one: scalars per epoch and the
 * training graph.
 *
 * <p>The writer lives in a small graph of its own, so the model's graph (and its checkpoints' meta
 * graph) carry no summary ops. Close it to flush the file.
 */
public final class TensorBoardLog implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Placeholder<TString> graphDef;
  private final Op writeScalar;
  private final Op writeGraph;
  private final Op flush;
  private final Op closeWriter;

  /**
   * Opens an event file in {@code logdir}, creating the directory.
   *
   * @param logdir the log directory, as Python's {@code tf.summary.create_file_writer(logdir)}
   * @throws IOException when the directory cannot be created
   */
  public TensorBoardLog(Path logdir) throws IOException {
    Files.createDirectories(logdir);
    Ops tf = Ops.create(graph);
    SummaryWriter writer = tf.summary.summaryWriter();
    Op create =
        tf.summary.createSummaryFileWriter(
            writer,
            tf.constant(logdir.toString()),
            tf.constant(10),
            tf.constant(1000),
            tf.constant(".dnn-lessons"));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    graphDef = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    writeScalar = tf.summary.writeScalarSummary(writer, step, tag, value);
    writeGraph = tf.summary.writeGraphSummary(writer, step, graphDef);
    flush = tf.summary.flushSummaryWriter(writer);
    closeWriter = tf.summary.closeSummaryWriter(writer);
    session = new Session(graph);
    session.run(create);
  }

  /**
   * Records {@code value} of the scalar {@code name} at {@code step}.
   *
   * @param name the scalar's tag, e.g. {@code cost}
   * @param atStep the step (or epoch) on TensorBoard's x axis
   * @param scalar the value, stored as float32
   */
  public void scalar(String name, long atStep, double scalar) {
    try (TInt64 s = TInt64.scalarOf(atStep);
        TString t = TString.scalarOf(name);
        TFloat32 v = TFloat32.scalarOf((float) scalar)) {
      session
          .runner()
          .feed(step, s)
          .feed(tag, t)
          .feed(value, v)
          .addTarget(writeScalar)
          .run()
          .close();
    }
  }

  /**
   * Records the model graph, shown on TensorBoard's Graphs tab.
   *
   * @param model the graph to show; it is only read
   */
  public void graph(Graph model) {
    byte[] bytes = model.toGraphDef().toByteArray();
    try (TInt64 s = TInt64.scalarOf(0);
        TString g = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes))) {
      session.runner().feed(step, s).feed(graphDef, g).addTarget(writeGraph).run().close();
    }
  }

  /** Writes what is buffered to the event file. */
  public void flush() {
    session.run(flush);
  }

  @Override
  public void close() {
    try {
      session.run(closeWriter);
    } finally {
      session.close();
      graph.close();
    }
  }
}
