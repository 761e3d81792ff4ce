"""The notebook's "Deep Neural Network in TensorFlow" walkthrough, as the notebook writes it
(tf.compat.v1 graph, random_normal weights dict, AddV2 via tf.add, GradientDescent at 0.001,
20 epochs of int(n/128) batches), on the same files Java reads (data/mnist by default).

Used by `java -jar target/dnn-lessons.jar bench` to compare the lesson's test accuracy averaged
over seeds with Java's. input_data.read_data_sets is gone from TensorFlow 2, so the reading and
next_batch logic (validation = first images, leftovers open the next batch) is reproduced here.
Prints `value lesson_mlp_test_accuracy a1 a2 ...`, one accuracy per seed.
"""
import argparse

from lesson_graphs import DataSet, read_mnist, tf


def load(data_dir, validation_size, seed):
    train_x, train_y, test_x, test_y = read_mnist(data_dir, validation_size)
    return DataSet(train_x, train_y, seed), (test_x, test_y)


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
