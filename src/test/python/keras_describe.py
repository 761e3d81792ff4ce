"""Loads .keras files with keras.models.load_model and says what each computes.

Usage: keras_describe.py [--data data/mnist] FILE...

For the i-th FILE prints
  layers_<i> Class:activation,Class:activation,...   (every layer; activation where it has one)
  accuracy_<i> A                                     (argmax over every test digit, fed as Keras
                                                      feeds the model: raw 0-255 pixels when its
                                                      first layer (Flatten aside) is Rescaling,
                                                      else pixels/255)
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

    return raw("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28, 1), \
        raw("t10k-labels-idx1-ubyte", 8)


def describe(layer):
    a = getattr(layer, "activation", None)
    name = getattr(a, "__name__", None) if a is not None else None
    return type(layer).__name__ + (":" + name if name else "")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/mnist")
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    pixels, labels = read_test(a.data)
    for i, path in enumerate(a.files):
        m = keras.models.load_model(path)
        print(f"layers_{i} " + ",".join(describe(l) for l in m.layers))
        first = [l for l in m.layers if not isinstance(l, (keras.layers.Flatten,
                                                            keras.layers.Reshape))][0]
        rescaled = isinstance(first, keras.layers.Rescaling)
        x = pixels.astype(np.float32) if rescaled else pixels.astype(np.float32) * (1.0 / 255.0)
        if m.input_shape[1:] == (784,):
            x = x.reshape(-1, 784)
        y = np.asarray(m(x, training=False))
        print(f"accuracy_{i} {float(np.mean(np.argmax(y, 1) == labels))!r}")


if __name__ == "__main__":
    main()
