"""The lesson's graphs in tf.compat.v1, written the way the notebook writes them, with the names
of this project's contract (see src/site/markdown/training.md, "The graph's names"). Shared by the interop scripts.
"""
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def read_mnist(data_dir, validation_size):
    """(train_images, train_labels, test_images, test_labels) as read_data_sets(one_hot=True,
    reshape=False) gives them, the first validation_size training images left out."""
    def raw(name, offset):
        with gzip.open(os.path.join(data_dir, name + ".gz"), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    def images(name):
        return raw(name, 16).reshape(-1, 28, 28, 1).astype(np.float32) * (1.0 / 255.0)

    def labels(name):
        return np.eye(10, dtype=np.float32)[raw(name, 8)]

    return (images("train-images-idx3-ubyte")[validation_size:],
            labels("train-labels-idx1-ubyte")[validation_size:],
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


class DataSet:
    """input_data.DataSet.next_batch: shuffle before the first epoch; leftovers of an epoch open
    the next batch, completed from a freshly shuffled epoch."""

    def __init__(self, images, labels, seed=0):
        self.images, self.labels = images, labels
        self.rng = np.random.RandomState(seed)
        self.n, self.index, self.epochs = len(images), 0, 0

    def next_batch(self, size):
        start = self.index
        if self.epochs == 0 and start == 0:
            perm = self.rng.permutation(self.n)
            self.images, self.labels = self.images[perm], self.labels[perm]
        if start + size > self.n:
            self.epochs += 1
            rest_i, rest_l = self.images[start:], self.labels[start:]
            perm = self.rng.permutation(self.n)
            self.images, self.labels = self.images[perm], self.labels[perm]
            self.index = size - (self.n - start)
            return (np.concatenate([rest_i, self.images[:self.index]]),
                    np.concatenate([rest_l, self.labels[:self.index]]))
        self.index += size
        return self.images[start:self.index], self.labels[start:self.index]


def hidden_scope(i):
    return "hidden_layer" if i == 0 else "hidden_layer_%d" % (i + 1)


class Mlp:
    """The multilayer perceptron: every layer's weights, then every layer's biases, from
    random_normal(stddev); ReLU hidden layers (with dropout when asked); logits; cost; accuracy;
    one GradientDescent step over exactly these variables."""

    def __init__(self, hidden, stddev=1.0, learning_rate=0.001, dropout=False, seed=None):
        if seed is not None:
            tf.set_random_seed(seed)
        self.x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
        self.y = tf.placeholder(tf.float32, [None, 10], name="y")
        self.keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")
        x_flat = tf.reshape(self.x, [-1, 784], name="x_flat")
        widths = [784] + list(hidden) + [10]
        scopes = [hidden_scope(i) for i in range(len(hidden))] + ["out"]
        self.weights, self.biases = [], []
        for i, scope in enumerate(scopes):
            with tf.name_scope(scope + "/"):
                self.weights.append(tf.Variable(
                    tf.random_normal([widths[i], widths[i + 1]], stddev=stddev), name="weights"))
        for i, scope in enumerate(scopes):
            with tf.name_scope(scope + "/"):
                self.biases.append(tf.Variable(
                    tf.random_normal([widths[i + 1]], stddev=stddev), name="biases"))
        layer = x_flat
        for i in range(len(hidden)):
            with tf.name_scope(scopes[i] + "/"):
                layer = tf.nn.relu(tf.add(tf.matmul(layer, self.weights[i]), self.biases[i]))
                if dropout:
                    layer = tf.nn.dropout(layer, self.keep_prob)
        self.logits = tf.identity(tf.add(tf.matmul(layer, self.weights[-1]), self.biases[-1]),
                                  name="logits")
        self.cost = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(logits=self.logits, labels=self.y),
            name="cost")
        self.train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(
            self.cost, var_list=self.weights + self.biases, name="train_op")
        correct = tf.equal(tf.argmax(self.logits, 1), tf.argmax(self.y, 1))
        self.accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
