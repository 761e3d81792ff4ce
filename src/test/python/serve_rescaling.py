"""Models whose first layer is Rescaling(1/255): their own input is raw pixels 0-255, as Keras
users feed them. `ServeRescalingIT` serves each form with `serve` and checks the answer against
Keras's model(raw_pixels).

Usage: serve_rescaling.py OUT_DIR
For each model NAME (flat: Input(784) -> Rescaling(1/255) -> Dense(16, relu) -> Dense(10);
image: Input(28, 28, 1) -> Rescaling(1/255) -> Flatten -> Dense(16, relu) -> Dense(10)), seeded,
fitted 16 steps on random digits so its weights are trained, it writes under OUT_DIR/NAME/:
  model.keras     m.save
  export/         m.export (SavedModel, Keras's serving endpoint)
  saved_model/    tf.saved_model.save
  raw.txt         8 images of raw pixels 0-255, 784 integers a line
  p.txt           softmax(model(raw)) of each, 10 float32 reprs a line
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def model(name):
    if name == "flat":
        return keras.Sequential([keras.Input((784,)), keras.layers.Rescaling(1 / 255),
                                 keras.layers.Dense(16, activation="relu"), keras.layers.Dense(10)])
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Rescaling(1 / 255),
                             keras.layers.Flatten(), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(10)])


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(26)
    raw = rng.integers(0, 256, size=(8, 784)).astype(np.float32)
    raw[:, :300] = 0  # a background, as digits have
    train = rng.integers(0, 256, size=(256, 784)).astype(np.float32)
    labels = rng.integers(0, 10, size=256)
    for name in ("flat", "image"):
        keras.utils.set_random_seed(1)
        m = model(name)
        shape = (-1, 784) if name == "flat" else (-1, 28, 28, 1)
        m.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        m.fit(train.reshape(shape), labels, batch_size=16, epochs=1, verbose=0)
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        m.save(os.path.join(d, "model.keras"))
        m.export(os.path.join(d, "export"), verbose=False)
        tf.saved_model.save(m, os.path.join(d, "saved_model"))
        p = tf.nn.softmax(m(raw.reshape(shape))).numpy()
        with open(os.path.join(d, "raw.txt"), "w") as f:
            for row in raw:
                f.write(" ".join(str(int(v)) for v in row) + "\n")
        with open(os.path.join(d, "p.txt"), "w") as f:
            for row in p:
                f.write(" ".join(repr(float(v)) for v in row) + "\n")
        print(name, "saved")


if __name__ == "__main__":
    main()
