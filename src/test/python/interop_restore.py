"""Java to Python: restores a checkpoint directory written by `dnn-lessons train --save`.

(a) builds the lesson's MLP with this project's names and restores it with tf.train.Saver;
(b) from nothing but the directory: latest_checkpoint, import_meta_graph, x:0 and logits:0.
Prints `saver_accuracy A`, `meta_accuracy A`, `global_step N` (tf.train.get_global_step after
import_meta_graph, or None) and `variables name:d0,d1;...` (list_variables).
Usage: interop_restore.py DIR --hidden 64,32 [--data data/mnist] [--validation-size 1000]
"""
import argparse

import numpy as np

from lesson_graphs import Mlp, read_mnist, tf


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--hidden", default="256")
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--validation-size", type=int, default=1000)
    a = p.parse_args()
    _, _, test_x, test_y = read_mnist(a.data, a.validation_size)
    path = tf.train.latest_checkpoint(a.dir)

    with tf.Graph().as_default():
        net = Mlp([int(h) for h in a.hidden.split(",")])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, path)
            acc = sess.run(net.accuracy, {net.x: test_x, net.y: test_y})
    print("saver_accuracy %.6f" % acc)

    with tf.Graph().as_default() as g:
        with tf.Session() as sess:
            saver = tf.train.import_meta_graph(path + ".meta")
            saver.restore(sess, path)
            logits = sess.run(g.get_tensor_by_name("logits:0"),
                              {g.get_tensor_by_name("x:0"): test_x})
            # train writes Python's global_step; Python finds it by name as its own
            step = tf.train.get_global_step(g)
            global_step = sess.run(step) if step is not None else None
    acc = np.mean((np.argmax(logits, 1) == np.argmax(test_y, 1)).astype(np.float32))
    print("meta_accuracy %.6f" % acc)
    print("global_step %s" % global_step)
    print("variables " + ";".join("%s:%s" % (n, ",".join(map(str, s)))
                                  for n, s in tf.train.list_variables(a.dir)))


if __name__ == "__main__":
    main()
