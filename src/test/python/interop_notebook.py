"""Java to Python, the notebook's own cells: restores what the Java lessons saved.

`save-variables`: the notebook's "Loading Variables" cell (two unnamed variables, created in the
same order, restored by tf.train.Saver). `naming-fix`: the explicit-name cell (bias_0 created
before weights_0). Prints `weights HEX` and `bias HEX`, the float32 bytes restored.
Usage: interop_notebook.py save-variables|naming-fix PREFIX
"""
import sys

from lesson_graphs import tf


def main():
    lesson, save_file = sys.argv[1], sys.argv[2]
    with tf.Graph().as_default():
        if lesson == "save-variables":
            weights = tf.Variable(tf.truncated_normal([2, 3]))
            bias = tf.Variable(tf.truncated_normal([3]))
        else:
            bias = tf.Variable(tf.truncated_normal([3]), name="bias_0")
            weights = tf.Variable(tf.truncated_normal([2, 3]), name="weights_0")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, save_file)
            print("weights " + sess.run(weights).astype("<f4").tobytes().hex())
            print("bias " + sess.run(bias).astype("<f4").tobytes().hex())


if __name__ == "__main__":
    main()
