"""Writes the checkpoints made by Python TensorFlow that the Java tests read.

Regenerate (from the repository root, with tensorflow-cpu 2.21 installed):
    python3 src/test/python/make_checkpoint_fixtures.py src/test/resources/org/dnnlessons/checkpoint/python [DATA_DIR]

Writes, under the given directory:
  dtypes/    every dtype the Java reader supports, saved by SaveV2 (scalars and an empty tensor too);
             expected.txt holds each tensor's values as Python reads them back
             (name, dtype, shape, then the raw little-endian bytes in hex, or the strings in hex);
             inspect.txt and inspect_all.txt hold inspect_checkpoint's output for it
  sharded/   a tf.compat.v1 Saver(sharded=True) checkpoint split over two devices (two data shards)
  tf2/       a TensorFlow 2 tf.train.Checkpoint (keys like w/.ATTRIBUTES/VARIABLE_VALUE)
  mlp/       the lesson's MLP with this project's names (hidden 32), trained by Python for 2 epochs
             on data/mnist; accuracy.txt holds Python's test accuracy
  tf2_mlp/   the same trained weights as a tf.train.Checkpoint (hidden_weights, hidden_biases,
             out_weights, out_biases)
"""
import contextlib
import gzip
import io
import os
import shutil
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


def write_expected(prefix, path):
    reader = tf.train.load_checkpoint(prefix)
    with open(path, "w") as f:
        for name, shape in sorted(tf.train.list_variables(prefix)):
            value = reader.get_tensor(name)
            dtype = reader.get_variable_to_dtype_map()[name].name
            shape_text = ",".join(str(d) for d in shape)
            if dtype == "string":
                flat = np.asarray(value, dtype=object).reshape(-1)
                body = " ".join(bytes(v).hex() or "-" for v in flat)
            else:
                arr = np.asarray(value)
                if dtype == "bfloat16":
                    arr = arr.astype(tf.bfloat16.as_numpy_dtype)
                body = np.ascontiguousarray(arr).reshape(-1).view(np.uint8).tobytes().hex() or "-"
            f.write(f"{name}\t{dtype}\t{shape_text}\t{body}\n")


def inspect(prefix, *extra):
    out = subprocess.run([sys.executable, "-m", "tensorflow.python.tools.inspect_checkpoint",
                          "--file_name=" + prefix, *extra], capture_output=True, text=True,
                         check=True)
    return out.stdout


def dtypes(out):
    os.makedirs(out)
    prefix = os.path.join(out, "model.ckpt")
    tensors = {
        "a_float32": np.array([[0.1, -2.5, 3.0e-7], [np.inf, -0.0, 1e30]], np.float32),
        "b_float64": np.array([1 / 3, -1e-300, 2.5], np.float64),
        "c_float16": np.array([0.5, -65504, 6e-8, 1.0009765625], np.float16),
        "d_bfloat16": tf.cast(tf.constant([1.5, -3.0, 1e-3]), tf.bfloat16),
        "e_int8": np.array([-128, 0, 127], np.int8),
        "f_int16": np.array([-32768, 7, 32767], np.int16),
        "g_int32": np.array([[-2147483648, 1], [2, 2147483647]], np.int32),
        "h_int64": np.array([-(2 ** 63), 42, 2 ** 63 - 1], np.int64),
        "i_uint8": np.array([0, 128, 255], np.uint8),
        "j_uint16": np.array([0, 65535], np.uint16),
        "k_bool": np.array([True, False, True]),
        "l_string": np.array([b"hello", b"", b"\xff\x00bytes"], object),
        "m_scalar": np.float32(7.25),
        "n_empty": np.zeros((0, 3), np.float32),
        "hidden_layer/weights": np.arange(6, dtype=np.float32).reshape(2, 3) / 10,
    }
    names = sorted(tensors)
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=names, shape_and_slices=[""] * len(names),
                      tensors=[tf.convert_to_tensor(tensors[n]) for n in names])
    write_expected(prefix, os.path.join(out, "expected.txt"))
    with open(os.path.join(out, "inspect.txt"), "w") as f:
        f.write(inspect(prefix))
    with open(os.path.join(out, "inspect_all.txt"), "w") as f:
        f.write(inspect(prefix, "--all_tensors"))


def sharded(out):
    os.makedirs(out)
    g = tf.Graph()
    with g.as_default():
        with tf.device("/cpu:0"):
            w = v1.Variable(np.arange(12, dtype=np.float32).reshape(3, 4), name="weights")
        with tf.device("/cpu:1"):
            b = v1.Variable(np.array([1.5, -2.5, 3.5, -4.5], np.float32), name="biases")
        saver = v1.train.Saver(sharded=True)
        config = v1.ConfigProto(device_count={"CPU": 2})
        with v1.Session(graph=g, config=config) as sess:
            sess.run(v1.global_variables_initializer())
            saver.save(sess, os.path.join(out, "model.ckpt"))
    write_expected(os.path.join(out, "model.ckpt"), os.path.join(out, "expected.txt"))


def tf2(out):
    os.makedirs(out)
    ckpt = tf.train.Checkpoint(w=tf.Variable(np.full((3, 2), 0.25, np.float32)),
                               b=tf.Variable(np.array([1.0, -1.0], np.float32)))
    path = ckpt.save(os.path.join(out, "ckpt"))
    write_expected(path, os.path.join(out, "expected.txt"))


def tf2_mlp(out, mlp_dir):
    """The Python-trained MLP again, as a TensorFlow 2 object-based checkpoint."""
    os.makedirs(out)
    reader = tf.train.load_checkpoint(os.path.join(mlp_dir, "model.ckpt"))
    ckpt = tf.train.Checkpoint(
        hidden_weights=tf.Variable(reader.get_tensor("hidden_layer/weights")),
        hidden_biases=tf.Variable(reader.get_tensor("hidden_layer/biases")),
        out_weights=tf.Variable(reader.get_tensor("out/weights")),
        out_biases=tf.Variable(reader.get_tensor("out/biases")))
    ckpt.save(os.path.join(out, "ckpt"))


def read_mnist(data):
    def images(name):
        with gzip.open(os.path.join(data, name)) as f:
            raw = np.frombuffer(f.read(), np.uint8, offset=16)
        return raw.reshape(-1, 28, 28, 1).astype(np.float32) * (1.0 / 255.0)

    def labels(name):
        with gzip.open(os.path.join(data, name)) as f:
            return np.eye(10, dtype=np.float32)[np.frombuffer(f.read(), np.uint8, offset=8)]

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def mlp(out, data="data/mnist"):
    os.makedirs(out)
    train_x, train_y, test_x, test_y = read_mnist(data)
    train_x, train_y = train_x[1000:], train_y[1000:]
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(7)
        x = v1.placeholder(tf.float32, [None, 28, 28, 1], name="x")
        y = v1.placeholder(tf.float32, [None, 10], name="y")
        x_flat = tf.reshape(x, [-1, 784], name="x_flat")
        # "scope/" (trailing slash) re-enters a scope; a plain second "hidden_layer" would
        # become "hidden_layer_1", just as a second withSubScope does in Java
        with tf.name_scope("hidden_layer/"):
            w1 = v1.Variable(v1.random_normal([784, 32], stddev=0.1), name="weights")
        with tf.name_scope("out/"):
            w2 = v1.Variable(v1.random_normal([32, 10], stddev=0.1), name="weights")
        with tf.name_scope("hidden_layer/"):
            b1 = v1.Variable(v1.random_normal([32], stddev=0.1), name="biases")
        with tf.name_scope("out/"):
            b2 = v1.Variable(v1.random_normal([10], stddev=0.1), name="biases")
        hidden = tf.nn.relu(tf.add(tf.matmul(x_flat, w1), b1))
        logits = tf.identity(tf.add(tf.matmul(hidden, w2), b2), name="logits")
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y),
                              name="cost")
        train_op = v1.train.GradientDescentOptimizer(0.1).minimize(cost, name="train_op")
        correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
        saver = v1.train.Saver()
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            for epoch in range(2):
                for i in range(0, len(train_x) - 127, 128):
                    sess.run(train_op, {x: train_x[i:i + 128], y: train_y[i:i + 128]})
            acc = sess.run(accuracy, {x: test_x, y: test_y})
            saver.save(sess, os.path.join(out, "model.ckpt"))
    with open(os.path.join(out, "accuracy.txt"), "w") as f:
        f.write("%.6f\n" % acc)


def main():
    root = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else "data/mnist"
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    # eager first (SaveV2 runs as it is called), then the tf.compat.v1 graphs
    dtypes(os.path.join(root, "dtypes"))
    tf2(os.path.join(root, "tf2"))
    sharded(os.path.join(root, "sharded"))
    mlp(os.path.join(root, "mlp"), data)
    tf2_mlp(os.path.join(root, "tf2_mlp"), os.path.join(root, "mlp"))


if __name__ == "__main__":
    main()
