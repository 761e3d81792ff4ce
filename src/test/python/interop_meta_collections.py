"""Imports a Java-written PREFIX.meta with tf.compat.v1.train.import_meta_graph, as a Python user
does, and prints what Python sees: `global NAMES` (tf.compat.v1.global_variables()), `trainable
NAMES`, `initial_NAME VALUES` after global_variables_initializer, `restored_NAME VALUES` after the
imported saver's restore. Used by JavaMetaCollectionsIT."""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

tf1 = tf.compat.v1


def values(sess, v):
    return " ".join(repr(float(x)) for x in sess.run(v).ravel())


def main():
    prefix = sys.argv[1]
    tf1.disable_eager_execution()
    graph = tf.Graph()
    with graph.as_default():
        saver = tf1.train.import_meta_graph(prefix + ".meta")
        variables = sorted(tf1.global_variables(), key=lambda v: v.name)
        print("global", ",".join(v.name for v in variables))
        print("trainable", ",".join(sorted(v.name for v in tf1.trainable_variables())))
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            for v in variables:
                print("initial_" + v.op.name, values(sess, v))
            saver.restore(sess, prefix)
            for v in variables:
                print("restored_" + v.op.name, values(sess, v))


if __name__ == "__main__":
    main()
