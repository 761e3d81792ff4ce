"""Trains small Keras 3 models on the embedded digits and saves each in every form Java reads.

Usage: keras_models.py OUT_DIR [--data data/mnist]

For each model NAME it writes, under OUT_DIR/NAME/:
  ckpt/ckpt-1.index, .data-...   tf.train.Checkpoint(model=m).save(...) (TF2 object checkpoint;
                                 with the Adam optimizer too, so slot variables exist)
  model.weights.h5               m.save_weights(...)
  model.keras                    m.save(...)
  saved_model/                   m.export(...) (SavedModel: variables/ + saved_model.pb)
  logits.txt                     the pre-softmax outputs for the first COUNT test digits
  hostile/                       crafted bad files (see hostile())
and prints one line per model for the Java test:
  NAME <accuracy on all test digits> <hidden widths, comma-separated>
Models: one_hidden (Input(784) -> Dense relu -> Dense, Adam), two_hidden (Input(28,28,1) ->
Flatten -> Dense relu -> Dropout -> Dense relu -> Dense softmax, Adam), uncompiled (never compiled
or trained), conv (a Conv2D: Java must refuse it), and slot_trap (one hidden layer whose Adam
moments have the kernel's shape and values far from the kernel's, as a trap for a reader that
picks variables by shape).
"""
import argparse
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import h5py
import keras

COUNT = 50


def read_mnist(data_dir):
    def raw(name, offset):
        with gzip.open(os.path.join(data_dir, name + ".gz"), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    def images(name):
        return raw(name, 16).reshape(-1, 28, 28, 1).astype(np.float32) * (1.0 / 255.0)

    return (images("train-images-idx3-ubyte"), raw("train-labels-idx1-ubyte", 8),
            images("t10k-images-idx3-ubyte"), raw("t10k-labels-idx1-ubyte", 8))


def one_hidden():
    return keras.Sequential([keras.Input((784,)), keras.layers.Dense(24, activation="relu"),
                             keras.layers.Dense(10)]), (784,)


def two_hidden():
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dropout(0.2),
                             keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")]), (28, 28, 1)


def conv():
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3),
                             keras.layers.Flatten(), keras.layers.Dense(10)]), (28, 28, 1)


def save_all(m, out, optimizer=None):
    os.makedirs(out, exist_ok=True)
    ckpt = tf.train.Checkpoint(model=m, optimizer=optimizer) if optimizer else \
        tf.train.Checkpoint(model=m)
    ckpt.save(os.path.join(out, "ckpt", "ckpt"))
    m.save_weights(os.path.join(out, "model.weights.h5"))
    m.save(os.path.join(out, "model.keras"))
    m.export(os.path.join(out, "saved_model"), verbose=False)


def pre_softmax(m, x):
    """The last Dense layer's output before its activation: Java's logits."""
    h = x
    for layer in m.layers:
        if layer is m.layers[-1]:
            return h @ layer.kernel.numpy() + layer.bias.numpy()
        h = layer(h, training=False)
    raise AssertionError("no layers")


def hostile(out):
    """Crafted files Java must refuse with one line: an HDF5 dataset whose shape claims 2^40
    float32 (no storage written), and TF2 checkpoints whose object graph refers past its end,
    wraps the model in _functional without end, or is not a proto at all."""
    from tensorflow.core.protobuf import trackable_object_graph_pb2 as tog
    os.makedirs(out, exist_ok=True)
    with h5py.File(os.path.join(out, "huge.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", shape=(1 << 20, 1 << 20), dtype="f4",
                         chunks=(1, 1024))
        f.create_dataset("layers/dense/vars/1", data=np.zeros(1 << 20, np.float32)[:4])

    def checkpoint(name, graph_bytes):
        tf.raw_ops.SaveV2(prefix=os.path.join(out, name),
                          tensor_names=["_CHECKPOINTABLE_OBJECT_GRAPH", "k"],
                          shape_and_slices=["", ""],
                          tensors=[tf.constant(graph_bytes), tf.zeros((784, 10))])

    g = tog.TrackableObjectGraph()
    g.nodes.add().children.add(node_id=7, local_name="model")
    checkpoint("dangling", g.SerializeToString())
    g = tog.TrackableObjectGraph()
    root = g.nodes.add()
    root.children.add(node_id=1, local_name="model")
    g.nodes.add().children.add(node_id=1, local_name="_functional")
    checkpoint("loop", g.SerializeToString())
    checkpoint("garbage", b"\xff\xff\xff\xff not a proto")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--data", default="data/mnist")
    a = p.parse_args()
    hostile(os.path.join(a.out, "hostile"))
    keras.utils.set_random_seed(7)
    train_x, train_y, test_x, test_y = read_mnist(a.data)
    train_x, train_y = train_x[:2048], train_y[:2048]
    for name, build, fit in (("one_hidden", one_hidden, True), ("two_hidden", two_hidden, True),
                             ("uncompiled", one_hidden, False), ("conv", conv, False)):
        m, shape = build()
        x = train_x.reshape((-1,) + shape)
        optimizer = None
        if fit:
            optimizer = keras.optimizers.Adam(5e-3)
            loss = keras.losses.SparseCategoricalCrossentropy(
                from_logits=m.layers[-1].activation is keras.activations.linear)
            m.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
            m.fit(x, train_y, batch_size=64, epochs=1, verbose=0)
        out = os.path.join(a.out, name)
        save_all(m, out, optimizer)
        tx = test_x.reshape((-1,) + shape)
        if name == "conv":
            continue
        logits = np.asarray(pre_softmax(m, tx), np.float32)
        keras_out = np.asarray(m.predict(tx, verbose=0), np.float32)
        accuracy = float(np.mean(np.argmax(keras_out, 1) == test_y))
        np.savetxt(os.path.join(out, "logits.txt"), logits[:COUNT], fmt="%.9g")
        hidden = ",".join(str(l.units) for l in m.layers[:-1] if isinstance(l, keras.layers.Dense))
        print(f"{name} {accuracy!r} {hidden}")


if __name__ == "__main__":
    main()
