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

  /**
   * The input placeholder; its shape says how a batch's images must be laid out.
   *
   * @return the placeholder {@code x}: {@code [?, 784]} or {@code [?, 28, 28, 1]} float32 pixels in
   *     [0, 1]
   */
  Operand<TFloat32> x();

  /**
   * The one-hot label placeholder {@code [?, 10]}.
   *
   * @return the placeholder {@code y}, float32
   */
  Operand<TFloat32> y();

  /**
   * The {@code keep_prob} placeholder, or {@code null} when the graph has no dropout.
   *
   * @return the scalar float32 placeholder with default 1.0, or {@code null}
   */
  Operand<TFloat32> keepProb();

  /**
   * One training step.
   *
   * @return the optimizer's update op, Python's {@code optimizer.minimize(cost)}
   */
  Op trainOp();

  /**
   * The mean loss of a batch.
   *
   * @return a float32 scalar: the batch's mean loss (the softmax cross-entropy, {@code
   *     tf.reduce_mean}, in the lesson's models)
   */
  Operand<TFloat32> cost();

  /**
   * The fraction of a batch classified correctly.
   *
   * @return a float32 scalar in [0, 1]: the share of rows whose highest logit is the label's class
   */
  Operand<TFloat32> accuracy();

  /**
   * Runs one training step on a batch: feeds {@code images} to {@link #x()} and {@code labels} to
   * {@link #y()} and runs {@link #trainOp()}; {@code keep_prob} stays at its default.
   *
   * @param session the session holding this model's variables, initialized or restored
   * @param images a float32 batch, in the shape {@link #x()} takes
   * @param labels the batch's one-hot labels, float32 {@code [n, 10]}
   */
  default void trainStep(Session session, Tensor images, Tensor labels) {
    session.runner().feed(x(), images).feed(y(), labels).addTarget(trainOp()).run().close();
  }
}
