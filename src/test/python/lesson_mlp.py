"""The notebook's "Deep Neural Network in TensorFlow" walkthrough, as the notebook writes it
(tf.compat.v1 graph, random_normal weights dict, AddV2 via tf.add, GradientDescent at 0.001,
20 epochs of int(n/128) batches), on the same files Java reads (data/mnist by default).

Used by `java -jar target/dnn-lessons.jar bench` to compare the lesson's test accuracy averaged
over seeds with Java's. input_data.read_data_sets is gone from TensorFlow 2, so the reading and
next_batch logic (validation = first images, leftovers open the next batch) is reproduced here.
Prints `value lesson_mlp_test_accuracy a1 a2 ...`, one accuracy per seed.
"""
import argparse
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def read(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


class DataSet:
    def __init__(self, images, labels, rng):
        self.images, self.labels, self.rng = images, labels, rng
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


def load(data_dir, validation_size, seed):
    def images(name):
        return (read(os.path.join(data_dir, name), 16).reshape(-1, 28, 28, 1)
                .astype(np.float32) * (1.0 / 255.0))

    def labels(name):
        return np.eye(10, dtype=np.float32)[read(os.path.join(data_dir, name), 8)]

    train_i, train_l = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    test_i, test_l = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    rng = np.random.RandomState(seed)
    return (DataSet(train_i[validation_size:], train_l[validation_size:], rng),
            (test_i, test_l))


def lesson(data_dir, seed, epochs, validation_size):
    train, (test_images, test_labels) = load(data_dir, validation_size, seed)
    learning_rate, batch_size, n_input, n_classes, n_hidden_layer = 0.001, 128, 784, 10, 256
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        weights = {
            'hidden_layer': tf.Variable(tf.random_normal([n_input, n_hidden_layer])),
            'out': tf.Variable(tf.random_normal([n_hidden_layer, n_classes]))
        }
        biases = {
            'hidden_layer': tf.Variable(tf.random_normal([n_hidden_layer])),
            'out': tf.Variable(tf.random_normal([n_classes]))
        }
        x = tf.placeholder("float", [None, 28, 28, 1])
        y = tf.placeholder("float", [None, n_classes])
        x_flat = tf.reshape(x, [-1, n_input])
        layer_1 = tf.add(tf.matmul(x_flat, weights['hidden_layer']), biases['hidden_layer'])
        layer_1 = tf.nn.relu(layer_1)
        logits = tf.add(tf.matmul(layer_1, weights['out']), biases['out'])
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y))
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)
        correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        init = tf.global_variables_initializer()
        with tf.Session() as sess:
            sess.run(init)
            for epoch in range(epochs):
                total_batch = int(train.n / batch_size)
                for i in range(total_batch):
                    batch_x, batch_y = train.next_batch(batch_size)
                    sess.run(optimizer, feed_dict={x: batch_x, y: batch_y})
            return sess.run(accuracy, feed_dict={x: test_images, y: test_labels})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--validation-size", type=int, default=1000)
    a = p.parse_args()
    accuracies = [lesson(a.data, seed, a.epochs, a.validation_size) for seed in range(1, a.seeds + 1)]
    print("value lesson_mlp_test_accuracy " + " ".join("%.6f" % v for v in accuracies), flush=True)


if __name__ == "__main__":
    main()
