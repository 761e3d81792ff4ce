"""Java to Python, the notebook's own cells: restores what the Java lessons saved.

`save-variables`: the notebook's "Loading Variables" cell (two unnamed variables, created in the
same order, restored by tf.train.Saver). `naming-fix`: the explicit-name cell (bias_0 created
before weights_0). Both print `weights HEX` and `bias HEX`, the float32 bytes restored.
`naming-error`: the "Naming Error" cell (two unnamed variables created in the other order); prints
`error NAME`, the class of the exception the restore raised, or `restored`.
`load-trained`: the "Load a Trained Model" cell (the single-layer model of "Save a Trained Model",
restored, measured on DATA's test images); prints `test_accuracy A`.
Usage: interop_notebook.py save-variables|naming-fix|naming-error PREFIX
       interop_notebook.py load-trained PREFIX DATA
"""
import sys

from lesson_graphs import read_mnist, tf


def load_trained(save_file, data_dir):
    _, _, test_features, test_labels = read_mnist(data_dir, 0)
    n_input = 784  # MNIST data input (img shape: 28*28)
    n_classes = 10  # MNIST total classes (0-9 digits)

    # Features and Labels
    features = tf.placeholder(tf.float32, [None, n_input])
    labels = tf.placeholder(tf.float32, [None, n_classes])

    # Weights & bias
    weights = tf.Variable(tf.random_normal([n_input, n_classes]))
    bias = tf.Variable(tf.random_normal([n_classes]))

    # Logits - xW + b
    logits = tf.add(tf.matmul(features, weights), bias)

    # Calculate accuracy
    correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, save_file)
        test_accuracy = sess.run(
            accuracy,
            feed_dict={features: test_features.reshape(-1, n_input), labels: test_labels})
    print("test_accuracy " + repr(float(test_accuracy)))


def main():
    lesson, save_file = sys.argv[1], sys.argv[2]
    with tf.Graph().as_default():
        if lesson == "load-trained":
            load_trained(save_file, sys.argv[3])
            return
        if lesson == "save-variables":
            weights = tf.Variable(tf.truncated_normal([2, 3]))
            bias = tf.Variable(tf.truncated_normal([3]))
        elif lesson == "naming-error":
            bias = tf.Variable(tf.truncated_normal([3]))
            weights = tf.Variable(tf.truncated_normal([2, 3]))
        else:
            bias = tf.Variable(tf.truncated_normal([3]), name="bias_0")
            weights = tf.Variable(tf.truncated_normal([2, 3]), name="weights_0")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            try:
                # Load the weights and bias
                saver.restore(sess, save_file)
            except Exception as e:  # the naming error's point: the restore fails
                print("error " + type(e).__name__)
                return
            print("restored")
            print("weights " + sess.run(weights).astype("<f4").tobytes().hex())
            print("bias " + sess.run(bias).astype("<f4").tobytes().hex())


if __name__ == "__main__":
    main()
