"""A zoo of small Keras 3 models, each saved in every form Keras and TensorFlow write, with Keras's
own outputs, for KerasZooIT to check Java against.

Usage: keras_zoo.py OUT_DIR [--data data/mnist] [--only NAME,NAME]

Every model is small (width 16), seeded, and fitted for 16 steps (batch 64, Adam; SGD for the
float16 and bfloat16 models) on the first 1,024 embedded training digits: its weights are
trained, not initial. Images are fed as Keras users feed MNIST: pixels/255 (float32 `x * (1/255)`, as
read_data_sets), except for a model whose first layer is Rescaling, which is fed raw pixels 0-255.

For each model NAME it writes, under OUT_DIR/NAME/:
  model.keras         m.save("model.keras")
  model.h5            m.save("model.h5")              (legacy HDF5 full model)
  model.weights.h5    m.save_weights("model.weights.h5")
  ckpt/               tf.train.Checkpoint(model=m).save(".../ckpt/ckpt")
  export/             m.export(dir)                   (SavedModel, Keras's serving endpoint)
  saved_model/        tf.saved_model.save(m, dir)
  pre.txt             the values before the last softmax (Java's "logits") for the first COUNT
                      test digits, 10 per line, repr of each float32
  out.txt             what m.predict returns for them (the same unless the model ends in softmax)
  forms.txt           one line per form: "FORM saved", or "FORM unsaved REASON" when Keras itself
                      cannot write that form for this model (a subclassed model's .h5)
and prints one line per model (and appends it to OUT_DIR/index.txt):
  NAME ACCURACY OUTPUT DTYPE
ACCURACY: Keras's on all the test digits (argmax of m.predict, a Python float); OUTPUT: logits or
probabilities (what out.txt holds); DTYPE: the dtype the last layer computes in (float32, float16,
bfloat16).
"""
import argparse
import gzip
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras

COUNT = 200
WIDTH = 16
FORMS = ("model.keras", "model.h5", "model.weights.h5", "ckpt", "export", "saved_model")


def read_mnist(data_dir):
    def raw(name, offset):
        with gzip.open(os.path.join(data_dir, name + ".gz"), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    def pixels(name):
        return raw(name, 16).reshape(-1, 784).astype(np.float32)

    return (pixels("train-images-idx3-ubyte")[:1024], raw("train-labels-idx1-ubyte", 8)[:1024],
            pixels("t10k-images-idx3-ubyte"), raw("t10k-labels-idx1-ubyte", 8))


def dense_model(activation, output_activation=None, hidden=1, **dense_args):
    layers = [keras.Input((784,))]
    for _ in range(hidden):
        layers.append(keras.layers.Dense(WIDTH, activation=activation, **dense_args))
    layers.append(keras.layers.Dense(10, activation=output_activation))
    return keras.Sequential(layers)


def layer_model(*middle):
    return keras.Sequential([keras.Input((784,)), keras.layers.Dense(WIDTH), *middle,
                             keras.layers.Dense(10)])


class Subclassed(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(WIDTH, activation="relu")
        self.out = keras.layers.Dense(10)

    def call(self, x):
        return self.out(self.hidden(x))


def gelu_approximate(x):
    return keras.activations.gelu(x, approximate=True)


ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "selu", "gelu", "leaky_relu", "softplus",
               "softsign", "silu", "mish", "hard_sigmoid", "relu6", "exponential", "linear")


def models(train_x):
    """(name, build, raw_pixels, dtype_policy) for every model of the zoo."""
    out = [(f"act_{a}", lambda a=a: dense_model(a), False, None) for a in ACTIVATIONS]
    out += [
        ("act_gelu_approximate", lambda: dense_model(gelu_approximate), False, None),
        ("softmax_output", lambda: dense_model("relu", "softmax"), False, None),
        ("layer_activation_tanh", lambda: layer_model(keras.layers.Activation("tanh")), False,
         None),
        ("layer_relu", lambda: layer_model(keras.layers.ReLU()), False, None),
        ("layer_leaky_relu", lambda: layer_model(keras.layers.LeakyReLU(negative_slope=0.1)),
         False, None),
        ("layer_elu", lambda: layer_model(keras.layers.ELU()), False, None),
        ("layer_prelu", lambda: layer_model(keras.layers.PReLU()), False, None),
        ("rescaling_first", lambda: keras.Sequential([
            keras.Input((784,)), keras.layers.Rescaling(1 / 127.5, offset=-1),
            keras.layers.Dense(WIDTH, activation="relu"), keras.layers.Dense(10)]), True, None),
        ("normalization_first", lambda: normalization(train_x), False, None),
        ("batch_normalization", lambda: layer_model(keras.layers.BatchNormalization(),
                                                    keras.layers.ReLU()), False, None),
        ("no_bias", lambda: dense_model("relu", use_bias=False), False, None),
        ("dropout", lambda: layer_model(keras.layers.ReLU(), keras.layers.Dropout(0.2)), False,
         None),
        ("no_hidden", lambda: keras.Sequential([keras.Input((784,)), keras.layers.Dense(10)]),
         False, None),
        ("hidden_2", lambda: dense_model("relu", hidden=2), False, None),
        ("hidden_3", lambda: dense_model("relu", hidden=3), False, None),
        ("flatten_28x28", lambda: keras.Sequential([
            keras.Input((28, 28)), keras.layers.Flatten(),
            keras.layers.Dense(WIDTH, activation="relu"), keras.layers.Dense(10)]), False, None),
        ("subclassed", lambda: Subclassed(), False, None),
        ("cnn", lambda: keras.Sequential([
            keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.MaxPooling2D(), keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax")]), False, None),
        ("float16", lambda: dense_model("relu"), False, "float16"),
        ("bfloat16", lambda: dense_model("relu"), False, "bfloat16"),
        ("mixed_float16", lambda: dense_model("relu"), False, "mixed_float16"),
    ]
    return out


def normalization(train_x):
    n = keras.layers.Normalization()
    n.adapt(train_x / 255.0)
    return keras.Sequential([keras.Input((784,)), n, keras.layers.Dense(WIDTH, activation="relu"),
                             keras.layers.Dense(10)])


def shaped(m, x):
    """x reshaped to the model's input ([-1,784], [-1,28,28] or [-1,28,28,1])."""
    shape = m.inputs[0].shape[1:] if getattr(m, "inputs", None) else (784,)
    return x.reshape((-1,) + tuple(shape))


def ends_in_softmax(m):
    return getattr(m.layers[-1], "activation", None) is keras.activations.softmax


def pre_softmax(m, x):
    """The model's output before a final softmax: what Java calls logits."""
    last = m.layers[-1]
    if ends_in_softmax(m):
        h = x
        for layer in m.layers[:-1]:
            h = layer(h, training=False)
        return np.asarray(ops_dense(last, h), np.float32)
    return np.asarray(m.predict(x, verbose=0, batch_size=500), np.float32)


def ops_dense(layer, h):
    return keras.ops.add(keras.ops.matmul(h, layer.kernel), layer.bias)


def save_all(m, out):
    status = {}
    savers = {
        "model.keras": lambda p: m.save(p),
        "model.h5": lambda p: m.save(p),
        "model.weights.h5": lambda p: m.save_weights(p),
        "ckpt": lambda p: tf.train.Checkpoint(model=m).save(os.path.join(p, "ckpt")),
        "export": lambda p: m.export(p, verbose=False),
        "saved_model": lambda p: tf.saved_model.save(m, p),
    }
    for form in FORMS:
        try:
            savers[form](os.path.join(out, form))
            status[form] = "saved"
        except Exception as e:  # Keras cannot write this form for this model: recorded
            status[form] = "unsaved " + (str(e).splitlines() or [type(e).__name__])[0][:200]
    with open(os.path.join(out, "forms.txt"), "w") as f:
        for form in FORMS:
            f.write(f"{form} {status[form]}\n")


def write(path, values):
    with open(path, "w") as f:
        for row in values:
            f.write(" ".join(repr(float(v)) for v in row) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--only", default="")
    a = p.parse_args()
    train_x, train_y, test_x, test_y = read_mnist(a.data)
    only = set(filter(None, a.only.split(",")))
    for name, build, raw_pixels, policy in models(train_x):
        if only and name not in only:
            continue
        keras.utils.set_random_seed(7)
        keras.config.set_dtype_policy(policy or "float32")
        try:
            m = build()
            scale = np.float32(1.0) if raw_pixels else np.float32(1.0 / 255.0)
            x = shaped(m, train_x * scale) if not isinstance(m, Subclassed) else train_x * scale
            tx = shaped(m, test_x * scale) if not isinstance(m, Subclassed) else test_x * scale
            # Adam's epsilon (1e-7) vanishes in float16: plain SGD trains the low-precision models
            optimizer = (keras.optimizers.SGD(0.05) if policy in ("float16", "bfloat16")
                         else keras.optimizers.Adam(5e-3))
            m.compile(optimizer=optimizer,
                      loss=keras.losses.SparseCategoricalCrossentropy(
                          from_logits=not ends_in_softmax(m)))
            m.fit(x, train_y, batch_size=64, epochs=1, verbose=0)
            out = os.path.join(a.out, name)
            os.makedirs(out, exist_ok=True)
            predicted = np.asarray(m.predict(tx, verbose=0, batch_size=500), np.float32)
            accuracy = float(np.mean(np.argmax(predicted, 1) == test_y))
            write(os.path.join(out, "out.txt"), predicted[:COUNT])
            write(os.path.join(out, "pre.txt"), pre_softmax(m, tx[:COUNT]))
            save_all(m, out)
            kind = "probabilities" if ends_in_softmax(m) else "logits"
            dtype = m.layers[-1].compute_dtype if m.layers else "float32"
            line = f"{name} {accuracy!r} {kind} {dtype}"
            print(line, flush=True)
            with open(os.path.join(a.out, "index.txt"), "a") as f:
                f.write(line + "\n")
        finally:
            keras.config.set_dtype_policy("float32")


if __name__ == "__main__":
    main()
