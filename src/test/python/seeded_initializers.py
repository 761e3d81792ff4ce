"""Records what Python TensorFlow draws for the lesson's initializers under fixed seeds.

SeededCases builds the same ops in Java: SeededInitializersIT runs this script and compares every
float bit for bit; InitializersTest compares with the copy recorded below (from one machine) within
4 float32 ulps, since the normals' log, sin and cos come from the C library.
Regenerate (from the repository root, with tensorflow-cpu 2.21 installed):
    python3 src/test/python/seeded_initializers.py \
        > src/test/resources/org/dnnlessons/nn/seeded_initializers.txt
Each case line: name, then the float32 bit patterns in hex, row-major.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def case(name, build):
    g = tf.Graph()
    with g.as_default():
        tensors = build()
        with tf.Session(graph=g) as s:
            values = s.run(tensors)
    for i, v in enumerate(values):
        bits = np.asarray(v, np.float32).reshape(-1).view(np.uint32)
        print(f"{name}#{i} " + " ".join("%08x" % b for b in bits))


def graph_seed_only():
    # tf.set_random_seed(1): op seeds come from the graph's counter, 0, 1, 2, ...
    tf.set_random_seed(1)
    return [tf.truncated_normal([2, 3]), tf.truncated_normal([3]), tf.random_normal([4, 2])]


def op_seed_only():
    # no graph seed: the graph seed defaults to 87654321
    return [tf.random_normal([3, 3], seed=2), tf.truncated_normal([5], mean=1.0, stddev=0.5, seed=7)]


def both_seeds():
    tf.set_random_seed(1)
    return [tf.random_normal([2, 2], seed=2), tf.random_normal([3], mean=-2.0, stddev=3.0)]


def dropout_masks():
    tf.set_random_seed(42)
    x = tf.ones([4, 5])
    keep_prob = tf.placeholder_with_default(0.5, [])
    return [tf.nn.dropout(x, keep_prob), tf.nn.dropout(x, 0.25, seed=3)]


case("graph_seed_only", graph_seed_only)
case("op_seed_only", op_seed_only)
case("both_seeds", both_seeds)
case("dropout_masks", dropout_masks)
