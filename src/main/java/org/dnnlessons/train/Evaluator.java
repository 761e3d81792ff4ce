package org.dnnlessons.train;

import org.dnnlessons.data.Batch;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.nn.Classifier;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** Measures a network on a whole split, as the notebook does: {@code sess.run(accuracy, ...)}. */
public final class Evaluator {

  private Evaluator() {}

  /**
   * The accuracy on an already built batch (for repeated evaluation of the same examples, e.g. a
   * benchmark, without converting the pixels again).
   *
   * @param session the session holding {@code net}'s trained variables
   * @param net the network whose {@code accuracy} op is run
   * @param batch the examples, with one-hot labels ({@link Batch#oneHotLabels()} throws for class
   *     ids)
   * @return the fraction of correct predictions, float32 in {@code [0, 1]}, as Python's {@code
   *     accuracy.eval(feed_dict)}
   */
  public static float accuracy(Session session, Classifier net, Batch batch) {
    try (Result r =
        session
            .runner()
            .feed(net.x(), batch.images())
            .feed(net.y(), batch.oneHotLabels())
            .fetch(net.accuracy())
            .run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /**
   * The accuracy on every example of {@code data}, fed in one run with {@code keep_prob} at its
   * default 1.0, exactly as Python computes it; NaN for an empty split.
   *
   * @param session the session holding {@code net}'s trained variables
   * @param net the network whose {@code accuracy} op is run
   * @param data the split to evaluate (validation or test)
   * @return the fraction of correct predictions, float32 in {@code [0, 1]}, or NaN
   */
  public static float accuracy(Session session, Classifier net, DataSet data) {
    if (data.numExamples() == 0) {
      return Float.NaN;
    }
    try (Batch all = data.all();
        Result r =
            session
                .runner()
                .feed(net.x(), all.images())
                .feed(net.y(), all.oneHotLabels())
                .fetch(net.accuracy())
                .run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }
}
