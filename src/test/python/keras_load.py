"""Loads what `dnn-lessons export` wrote into Keras 3 and runs it on the first test digits.

Usage: keras_load.py [--keras model.keras] [--weights model.weights.h5] [--checkpoint DIR]
                     [--hidden 32,16] [--count 20] [--data data/mnist]

For --keras: keras.models.load_model(path), no code; prints `keras v,v,...` (the model's outputs,
row-major) and `keras_accuracy A` over all test digits (a second --keras: `keras_1 ...`).
For --weights: the Sequential src/site/markdown/checkpoints.md shows, then model.load_weights(path); prints
`weights_h5 v,v,...` and `weights_h5_accuracy A`.
For --checkpoint (a Java checkpoint): the same Sequential, then set_weights with the checkpoint's
tensors read by tf.train.load_checkpoint; prints `set_weights v,v,...` and `set_weights_accuracy A`.
"""
import argparse
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras


def read_test(data_dir):
    def raw(name, offset):
        with gzip.open(os.path.join(data_dir, name + ".gz"), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    images = raw("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28, 1).astype(np.float32)
    return images * (1.0 / 255.0), raw("t10k-labels-idx1-ubyte", 8)


def report(key, model, x, labels, count):
    logits = np.asarray(model(x[:count]), np.float32)
    print(key + " " + ",".join(repr(float(v)) for v in logits.reshape(-1)))
    predicted = np.argmax(np.asarray(model.predict(x, verbose=0)), 1)
    print(f"{key}_accuracy {float(np.mean(predicted == labels))!r}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--keras", action="append", default=[])
    p.add_argument("--weights")
    p.add_argument("--checkpoint")
    p.add_argument("--hidden", default="")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--data", default="data/mnist")
    a = p.parse_args()
    x, labels = read_test(a.data)
    for i, path in enumerate(a.keras):
        model = keras.models.load_model(path)
        report("keras" if i == 0 else f"keras_{i}", model, x, labels, a.count)
    hidden = [int(h) for h in a.hidden.split(",")] if a.hidden else []

    def sequential():
        return keras.Sequential(
            [keras.Input((28, 28, 1)), keras.layers.Flatten()]
            + [keras.layers.Dense(h, activation="relu") for h in hidden]
            + [keras.layers.Dense(10)])

    if a.weights:
        model = sequential()
        model.load_weights(a.weights)
        report("weights_h5", model, x, labels, a.count)
    if a.checkpoint:
        import tensorflow as tf
        r = tf.train.load_checkpoint(a.checkpoint)
        scopes = ["hidden_layer"] + [f"hidden_layer_{i + 1}" for i in range(1, len(hidden))]
        names = [f"{s}/{v}" for s in scopes + ["out"] for v in ("weights", "biases")]
        model = sequential()
        model.set_weights([r.get_tensor(n) for n in names])
        report("set_weights", model, x, labels, a.count)


if __name__ == "__main__":
    main()
