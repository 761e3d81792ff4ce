"""Runs a SavedModel exported by `dnn-lessons train --export DIR` on the first test images.

Prints `logits v,v,...` and `probabilities v,v,...` (row-major, repr of each float32).
Usage: interop_savedmodel.py DIR [--count 20] [--data data/mnist]
"""
import argparse

import tensorflow as tf

from lesson_graphs import read_mnist


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--data", default="data/mnist")
    a = p.parse_args()
    _, _, test_x, _ = read_mnist(a.data, 0)
    # lesson_graphs switches to tf.compat.v1 graph mode; SavedModels load eagerly in TF 2
    tf.compat.v1.enable_eager_execution()
    serve = tf.saved_model.load(a.dir).signatures["serving_default"]
    out = serve(x=tf.constant(test_x[:a.count]))
    for key in ("logits", "probabilities"):
        print(key + " " + ",".join(repr(float(v)) for v in out[key].numpy().reshape(-1)))


if __name__ == "__main__":
    main()
