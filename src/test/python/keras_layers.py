"""Builds one small Keras 3 model per activation and per layer kind Java describes, and saves each
in the forms that carry (or need) a config, with Keras's own outputs for Java to match.

Usage: keras_layers.py OUT_DIR [--data data/mnist]

For each model NAME it writes, under OUT_DIR/NAME/:
  model.keras        m.save(...)                     (config + weights)
  model.h5           m.save(...) legacy HDF5          (model_config attribute + model_weights)
  model.weights.h5   m.save_weights(...)              (weights only)
  ckpt/ckpt-1.*      tf.train.Checkpoint(model=m)     (weights only)
  model.json         m.to_json()                      (the config the weights-only forms need)
  outputs.txt        model(x) for the first COUNT test digits, fed as Keras feeds the model: raw
                     0-255 pixels when its first layer is Rescaling, else pixels/255
and prints one line per model:
  NAME <accuracy of argmax(model(x)) on every test digit> <1 when the output is a softmax, else 0>
The weights are Keras's initializers' (seeded), with biases, BatchNormalization statistics and
PReLU alphas drawn at random so every term counts; no training (the math is what is tested).
Also writes refused/subclassed.keras and refused/subclassed/ckpt-1 (a subclassed keras.Model),
tfmodule/ckpt (a tf.Module MLP, tanh hidden layer: w1, b1, w2, b2; printed as
`tfmodule A 0`), refused/conv.keras (a Conv2D), refused/noise.keras (a GaussianNoise), and
dtypes/float16/ and dtypes/bfloat16/ (.keras, .weights.h5, ckpt of a model of that dtype).
"""
import argparse
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers as L

COUNT = 100
WIDTH = 16

ACTIVATIONS = ["relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid",
               "tanh", "softplus", "softsign", "silu", "swish", "mish", "exponential", "linear",
               "softmax", "log_softmax", "hard_silu", "hard_swish"]


def read_test(data_dir):
    def raw(name, offset):
        with gzip.open(os.path.join(data_dir, name + ".gz"), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    pixels = raw("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28, 1)
    return pixels, raw("t10k-labels-idx1-ubyte", 8), \
        raw("train-images-idx3-ubyte", 16).reshape(-1, 784)[:1000]


def image_input():
    return [keras.Input((28, 28, 1)), L.Flatten()]


def models(train_flat):
    out = {}
    for a in ACTIVATIONS:
        out["act_" + a] = image_input() + [L.Dense(WIDTH, activation=a), L.Dense(10)]
    norm = L.Normalization()
    norm.adapt(train_flat.astype(np.float32) / 255.0)
    out.update({
        "layer_relu_params": image_input() + [
            L.Dense(WIDTH), L.ReLU(max_value=0.8, negative_slope=0.1, threshold=0.05),
            L.Dense(10)],
        "layer_relu6": image_input() + [L.Dense(WIDTH), L.ReLU(max_value=6.0), L.Dense(10)],
        "layer_leaky_relu": image_input() + [L.Dense(WIDTH), L.LeakyReLU(), L.Dense(10)],
        "layer_prelu": image_input() + [L.Dense(WIDTH), L.PReLU(), L.Dense(10)],
        "layer_elu": image_input() + [L.Dense(WIDTH), L.ELU(alpha=0.5), L.Dense(10)],
        "layer_activation": image_input() + [L.Dense(WIDTH), L.Activation("tanh"), L.Dense(10)],
        "layer_softmax_out": image_input() + [L.Dense(WIDTH, activation="relu"), L.Dense(10),
                                              L.Softmax()],
        "dense_softmax_out": image_input() + [L.Dense(WIDTH, activation="tanh"),
                                              L.Dense(10, activation="softmax")],
        "no_bias": image_input() + [L.Dense(WIDTH, activation="sigmoid", use_bias=False),
                                    L.Dense(10, use_bias=False)],
        "no_hidden": image_input() + [L.Dense(10)],
        "three_hidden": image_input() + [L.Dense(WIDTH, activation="elu"),
                                         L.Dense(12, activation="gelu"),
                                         L.Dense(8, activation="tanh"), L.Dense(10)],
        "rescaling": [keras.Input((28, 28, 1)), L.Rescaling(1 / 127.5, offset=-1), L.Flatten(),
                      L.Dense(WIDTH, activation="tanh"), L.Dense(10)],
        "normalization": [keras.Input((784,)), norm, L.Dense(WIDTH, activation="relu"),
                          L.Dense(10)],
        "normalization_given": image_input() + [L.Normalization(mean=0.13, variance=0.09),
                                                L.Dense(WIDTH, activation="relu"), L.Dense(10)],
        "batch_norm": image_input() + [L.Dense(WIDTH), L.BatchNormalization(),
                                       L.Activation("relu"), L.Dense(10)],
        "batch_norm_no_scale": image_input() + [L.Dense(WIDTH, activation="relu"),
                                                L.BatchNormalization(scale=False, epsilon=0.01),
                                                L.Dense(10)],
        "dropout_reshape": [keras.Input((28, 28, 1)), L.Reshape((784,)),
                            L.Dense(WIDTH, activation="relu"), L.Dropout(0.3), L.Dense(10)],
    })
    return out


@keras.saving.register_keras_serializable()
class Subclassed(keras.Model):
    """A subclassed model: its layers are attributes, not a list."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = L.Dense(WIDTH, activation="tanh")
        self.d2 = L.Dense(10)

    def call(self, x):
        return self.d2(self.d1(keras.ops.reshape(x, (-1, 784))))


def randomize(m, rng):
    for layer in m.layers:
        if isinstance(layer, L.Dense) and layer.use_bias:
            layer.bias.assign(rng.normal(0, 0.2, layer.bias.shape).astype(np.float32))
        if isinstance(layer, L.BatchNormalization):
            n = layer.moving_mean.shape
            layer.moving_mean.assign(rng.normal(0, 0.3, n).astype(np.float32))
            layer.moving_variance.assign(rng.uniform(0.2, 2.0, n).astype(np.float32))
            if layer.gamma is not None:
                layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))
            if layer.beta is not None:
                layer.beta.assign(rng.normal(0, 0.2, n).astype(np.float32))
        if isinstance(layer, L.PReLU):
            layer.alpha.assign(rng.uniform(0.0, 0.5, layer.alpha.shape).astype(np.float32))


def save_all(m, out):
    os.makedirs(out, exist_ok=True)
    m.save(os.path.join(out, "model.keras"))
    m.save(os.path.join(out, "model.h5"))
    m.save_weights(os.path.join(out, "model.weights.h5"))
    tf.train.Checkpoint(model=m).save(os.path.join(out, "ckpt", "ckpt"))
    with open(os.path.join(out, "model.json"), "w") as f:
        f.write(m.to_json())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--data", default="data/mnist")
    a = p.parse_args()
    keras.utils.set_random_seed(22)
    rng = np.random.default_rng(22)
    pixels, labels, train_flat = read_test(a.data)
    scaled = pixels.astype(np.float32) * (1.0 / 255.0)
    for name, stack in models(train_flat).items():
        m = keras.Sequential(stack, name=name)
        randomize(m, rng)
        out = os.path.join(a.out, name)
        save_all(m, out)
        rescaled = isinstance(m.layers[0], L.Rescaling)
        x = pixels.astype(np.float32) if rescaled else scaled
        if m.input_shape[1:] == (784,):
            x = x.reshape(-1, 784)
        y = np.asarray(m(x, training=False), np.float32)
        last = m.layers[-1]
        softmax = isinstance(last, L.Softmax) or (
            isinstance(last, L.Dense) and last.activation is keras.activations.softmax)
        np.savetxt(os.path.join(out, "outputs.txt"), y[:COUNT], fmt="%.9g")
        accuracy = float(np.mean(np.argmax(y, 1) == labels))
        print(f"{name} {accuracy!r} {int(softmax)}")
    # a plain tf.Module MLP (no Keras): its TF2 checkpoint's keys are the module's attributes
    module = tf.Module()
    module.w1 = tf.Variable(rng.normal(0, 0.1, (784, WIDTH)).astype(np.float32))
    module.b1 = tf.Variable(rng.normal(0, 0.2, (WIDTH,)).astype(np.float32))
    module.w2 = tf.Variable(rng.normal(0, 0.5, (WIDTH, 10)).astype(np.float32))
    module.b2 = tf.Variable(rng.normal(0, 0.2, (10,)).astype(np.float32))
    tf.train.Checkpoint(module).save(os.path.join(a.out, "tfmodule", "ckpt", "ckpt"))
    y = tf.tanh(scaled.reshape(-1, 784) @ module.w1 + module.b1) @ module.w2 + module.b2
    print(f"tfmodule {float(np.mean(np.argmax(y.numpy(), 1) == labels))!r} 0")
    refused = os.path.join(a.out, "refused")
    os.makedirs(refused, exist_ok=True)
    keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(2, 3), L.Flatten(), L.Dense(10)],
                     name="conv").save(os.path.join(refused, "conv.keras"))
    keras.Sequential([keras.Input((28, 28, 1)), L.Flatten(), L.GaussianNoise(0.1), L.Dense(10)],
                     name="noise").save(os.path.join(refused, "noise.keras"))
    subclassed = Subclassed()
    subclassed(scaled[:1])
    subclassed.save(os.path.join(refused, "subclassed.keras"))
    tf.train.Checkpoint(model=subclassed).save(os.path.join(refused, "subclassed", "ckpt"))
    for dtype in ("float16", "bfloat16"):
        m = keras.Sequential([keras.Input((28, 28, 1)), L.Flatten(),
                              L.Dense(WIDTH, activation="tanh", dtype=dtype),
                              L.Dense(10, dtype=dtype)], name=dtype)
        out = os.path.join(a.out, "dtypes", dtype)
        os.makedirs(out, exist_ok=True)
        m.save(os.path.join(out, "model.keras"))
        m.save_weights(os.path.join(out, "model.weights.h5"))
        tf.train.Checkpoint(model=m).save(os.path.join(out, "ckpt", "ckpt"))


if __name__ == "__main__":
    main()
