package org.dnnlessons.nn;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * The parts of a classification graph a training loop needs: what to feed, what to run, what to
 * measure. {@link Mlp.Network} is one; the notebook's single-layer model is another.
 */
public interface Classifier {

  /** The input placeholder; its shape says how a batch's images must be laid out. */
  Operand<TFloat32> x();

  /** The one-hot label placeholder {@code [?, 10]}. */
  Operand<TFloat32> y();

  /** The {@code keep_prob} placeholder, or {@code null} when the graph has no dropout. */
  Operand<TFloat32> keepProb();

  /** One training step. */
  Op trainOp();

  /** The mean loss of a batch. */
  Operand<TFloat32> cost();

  /** The fraction of a batch classified correctly. */
  Operand<TFloat32> accuracy();

  /**
   * Runs one training step on a batch: feeds {@code images} to {@link #x()} and {@code labels} to
   * {@link #y()} and runs {@link #trainOp()}; {@code keep_prob} stays at its default.
   */
  default void trainStep(Session session, Tensor images, Tensor labels) {
    session.runner().feed(x(), images).feed(y(), labels).addTarget(trainOp()).run().close();
  }
}
