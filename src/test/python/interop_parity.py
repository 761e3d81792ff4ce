"""Parity: the lesson's MLP built and trained by Python TensorFlow on the batches Java chose.

Saves PREFIX-init (the initial variables) and PREFIX-trained (after one train_op per line of the
batch file; each line holds the comma-separated indices of one batch in the training split).
Usage: interop_parity.py PREFIX BATCHES --hidden 256 --seed 1 --stddev 1.0 --learning-rate 0.001
       [--keep-prob 1.0] [--data data/mnist] [--validation-size 1000]
"""
import argparse

import numpy as np

from lesson_graphs import Mlp, read_mnist, tf


def main():
    p = argparse.ArgumentParser()
    p.add_argument("prefix")
    p.add_argument("batches")
    p.add_argument("--hidden", default="256")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--stddev", type=float, default=1.0)
    p.add_argument("--learning-rate", type=float, default=0.001)
    p.add_argument("--keep-prob", type=float, default=1.0)
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--validation-size", type=int, default=1000)
    a = p.parse_args()
    train_x, train_y, _, _ = read_mnist(a.data, a.validation_size)
    with open(a.batches) as f:
        batches = [np.array([int(i) for i in line.split(",")]) for line in f if line.strip()]
    with tf.Graph().as_default():
        net = Mlp([int(h) for h in a.hidden.split(",")], stddev=a.stddev,
                  learning_rate=a.learning_rate, dropout=a.keep_prob < 1.0, seed=a.seed)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, a.prefix + "-init", write_meta_graph=False)
            for batch in batches:
                feed = {net.x: train_x[batch], net.y: train_y[batch]}
                if a.keep_prob < 1.0:
                    feed[net.keep_prob] = a.keep_prob
                sess.run(net.train_op, feed)
            saver.save(sess, a.prefix + "-trained", write_meta_graph=False)
    print("steps %d" % len(batches))


if __name__ == "__main__":
    main()
