package org.dnnlessons.lessons;

import org.dnnlessons.nn.Classifier;
import org.dnnlessons.nn.Initializers;
import org.dnnlessons.nn.ModelGraph;
import org.dnnlessons.nn.NamedVariable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The model of the notebook's "Save a Trained Model" cell: {@code logits = features W + b} over
 * flat 784-pixel images, mean softmax cross-entropy, gradient descent at 0.001, and accuracy. Its
 * variables keep the notebook's automatic names, {@code Variable} (weights) and {@code Variable_1}
 * (bias).
 */
record SingleLayerModel(
    ModelGraph model,
    Placeholder<TFloat32> features,
    Placeholder<TFloat32> labels,
    NamedVariable<TFloat32> weights,
    NamedVariable<TFloat32> bias,
    Operand<TFloat32> cost,
    Op optimizer,
    Operand<TFloat32> accuracyOp)
    implements Classifier {

  static final double LEARNING_RATE = 0.001;
  static final int N_INPUT = 784;
  static final int N_CLASSES = 10;

  static SingleLayerModel build(Graph graph, Long seed) {
    ModelGraph g = seed == null ? ModelGraph.create(graph) : ModelGraph.create(graph, seed);
    Ops tf = g.tf();
    // Features and Labels
    Placeholder<TFloat32> features =
        tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, N_INPUT)));
    Placeholder<TFloat32> labels =
        tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, N_CLASSES)));
    // Weights & bias
    NamedVariable<TFloat32> weights =
        g.variable(tf, Initializers.randomNormal(g, tf, Shape.of(N_INPUT, N_CLASSES)));
    NamedVariable<TFloat32> bias =
        g.variable(tf, Initializers.randomNormal(g, tf, Shape.of(N_CLASSES)));
    // Logits - xW + b
    Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(features, weights), bias);
    // Define loss and optimizer
    Operand<TFloat32> cost =
        tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
    Op optimizer = new GradientDescent(graph, (float) LEARNING_RATE).minimize(cost);
    // Calculate accuracy
    Operand<TInt64> predicted = tf.math.argMax(logits, tf.constant(1));
    Operand<TInt64> actual = tf.math.argMax(labels, tf.constant(1));
    Operand<TFloat32> accuracy =
        tf.math.mean(
            tf.dtypes.cast(tf.math.equal(predicted, actual), TFloat32.class), tf.constant(0));
    return new SingleLayerModel(g, features, labels, weights, bias, cost, optimizer, accuracy);
  }

  @Override
  public Operand<TFloat32> x() {
    return features;
  }

  @Override
  public Operand<TFloat32> y() {
    return labels;
  }

  @Override
  public Operand<TFloat32> keepProb() {
    return null;
  }

  @Override
  public Op trainOp() {
    return optimizer;
  }

  @Override
  public Operand<TFloat32> accuracy() {
    return accuracyOp;
  }
}
