"""Writes the checkpoints of the reader's harder cases with Python TensorFlow, during the test run.

Usage (from the repository root, in the interop venv):
    python src/test/python/make_reader_fixtures.py OUT_DIR

Writes, under OUT_DIR, one directory per case, each with the checkpoint (prefix model.ckpt),
expected.txt (every tensor as tf.train.load_checkpoint(...).get_tensor reads it: name, dtype, shape,
little-endian bytes or strings in hex), list.txt (tf.train.list_variables: name, dtype, shape as
inspect_checkpoint prints a tensor line), and the output of Python's own inspect_checkpoint:
inspect.txt (names), inspect_all.txt (--all_tensors), and tensor_NAME.txt per tensor where the
case asks for one:
  partitioned/  tf.compat.v1.get_variable(partitioner=fixed_size_partitioner(k, axis)) for k in 2, 3
                and axis 0, 1 (int32, float32, float64 and int64), plus a plain variable, saved by
                the default (V2) Saver
  v1/           the same kinds of variables saved by Saver(write_version=SaverDef.V1): the
                single-file TensorSlice format, a partitioned variable included
  strings/      string tensors with every byte Python escapes (quotes, backslash, \\t \\n \\r, control
                bytes, bytes above 0x7f, empty) and a TF2 object graph
  nonfinite/    float tensors holding nan, inf and -inf
"""
import contextlib
import io
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.core.framework import types_pb2
from tensorflow.python.tools import inspect_checkpoint

v1 = tf.compat.v1


def write_expected(prefix, out):
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    with open(os.path.join(out, "expected.txt"), "w") as f, \
            open(os.path.join(out, "list.txt"), "w") as lst:
        for name, shape in sorted(tf.train.list_variables(prefix)):
            value = get_tensor(reader, prefix, name, dtypes[name], shape)
            dtype = dtypes[name].name
            shape_text = ",".join(str(d) for d in shape)
            enum_name = types_pb2.DataType.Name(dtypes[name].as_datatype_enum)
            lst.write(f"{name} ({enum_name}) [{shape_text}]\n")
            if dtype == "string":
                flat = np.asarray(value, dtype=object).reshape(-1)
                body = " ".join(bytes(v).hex() or "-" for v in flat)
            else:
                arr = np.asarray(value)
                body = np.ascontiguousarray(arr).reshape(-1).view(np.uint8).tobytes().hex() or "-"
            f.write(f"{name}\t{dtype}\t{shape_text}\t{body}\n")


def get_tensor(reader, prefix, name, dtype, shape):
    """reader.get_tensor, or, where TF 2.21's reader refuses (V1 float16 and V1 partitioned
    variables: "Data type not supported"), the value the Saver restores into a variable."""
    try:
        return reader.get_tensor(name)
    except tf.errors.UnimplementedError:
        with tf.Graph().as_default():
            var = v1.get_variable(name, shape=shape, dtype=dtype)
            with v1.Session() as sess:
                v1.train.Saver([var]).restore(sess, prefix)
                return sess.run(var)


def inspect(prefix, tensor_name="", all_tensors=False):
    """What python -m tensorflow.python.tools.inspect_checkpoint prints, run in this process (the
    module's main calls the same function with these arguments)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        inspect_checkpoint.print_tensors_in_checkpoint_file(prefix, tensor_name, all_tensors)
    return out.getvalue().encode()


def save_graph(out, build, **saver_args):
    os.makedirs(out)
    prefix = os.path.join(out, "model.ckpt")
    with tf.Graph().as_default():
        build()
        saver = v1.train.Saver(**saver_args)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            path = saver.save(sess, prefix, write_meta_graph=False, write_state=False)
    return path


def sliced(full):
    """An initializer giving each partition its part of the array full, as Python assembles it."""
    full = np.asarray(full)

    def init(shape, dtype=None, partition_info=None):
        offset = partition_info.var_offset if partition_info else [0] * len(shape)
        return tf.constant(full[tuple(slice(o, o + s) for o, s in zip(offset, shape))], dtype=dtype)
    return init


def parted(name, full, k, axis=0):
    full = np.asarray(full)
    v1.get_variable(name, shape=full.shape, dtype=tf.as_dtype(full.dtype), initializer=sliced(full),
                    partitioner=v1.fixed_size_partitioner(k, axis=axis))


def partitioned_variables():
    v1.get_variable("plain", initializer=np.arange(6, dtype=np.float32).reshape(2, 3) / 7)
    for k in (2, 3):
        for axis in (0, 1):
            shape = (8, 5) if axis == 0 else (3, 7)
            for dtype in (np.float32, np.int32):
                init = (np.arange(np.prod(shape)).reshape(shape) * 3 - 11).astype(dtype)
                if dtype == np.float32:
                    init = init / np.float32(9)
                parted(f"p{k}_axis{axis}_{np.dtype(dtype).name}", init, k, axis)
    parted("scope/w64", np.linspace(-1, 1, 12).reshape(6, 2), 3)
    parted("scope/i64", np.arange(10, dtype=np.int64) * (1 << 40), 2)


def v1_variables():
    v1.get_variable("f32", initializer=np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4))
    v1.get_variable("f64", initializer=np.array([1e-300, -0.5, 3.25, 1e300]))
    v1.get_variable("i32", initializer=np.array([[1, -2], [3, 2 ** 31 - 1]], dtype=np.int32))
    v1.get_variable("i64", initializer=np.array([-(2 ** 63), 2 ** 62], dtype=np.int64))
    v1.get_variable("scalar", initializer=np.float32(0.1))
    v1.get_variable("flag", initializer=np.array([True, False, True]))
    v1.get_variable("u8", initializer=np.array([0, 7, 255], dtype=np.uint8))
    v1.get_variable("i16", initializer=np.array([-32768, 5], dtype=np.int16))
    v1.get_variable("half", initializer=np.array([0.5, -2.0, 65504], dtype=np.float16))
    v1.Variable([b"a\nb", b"it's", b""], name="s")
    parted("layer/parts", np.arange(20, dtype=np.float32).reshape(10, 2) - 3.5, 3)


STRINGS = [b"a\nb", b"it's", b'say "hi"', b"both ' and \"", b"tab\tcr\rbs\\", b"\x00\xff",
           b"\x7f\x80\x1b", b"", b"base64:AP8=", "caf\u00e9".encode()]


def strings(out):
    os.makedirs(out)
    prefix = os.path.join(out, "model.ckpt")
    ckpt = tf.train.Checkpoint(s=tf.Variable(STRINGS), one=tf.Variable(b"it's"),
                               grid=tf.Variable([[b"a", b"\\"], [b"'\"", b"\t"]]))
    return ckpt.write(prefix)


def nonfinite(out):
    os.makedirs(out)
    prefix = os.path.join(out, "model.ckpt")
    ckpt = tf.train.Checkpoint(
        f=tf.Variable(np.array([np.nan, np.inf, -np.inf, 1.5], dtype=np.float32)),
        d=tf.Variable(np.array([[np.nan, 1e-9], [-np.inf, 2.0]])),
        n=tf.Variable(np.float32(np.nan)))
    return ckpt.write(prefix)


def record(out, prefix, tensors=()):
    write_expected(prefix, out)
    with open(os.path.join(out, "inspect.txt"), "wb") as f:
        f.write(inspect(prefix))
    with open(os.path.join(out, "inspect_all.txt"), "wb") as f:
        f.write(inspect(prefix, all_tensors=True))
    for name in tensors:
        with open(os.path.join(out, "tensor_" + name.replace("/", "_") + ".txt"), "wb") as f:
            f.write(inspect(prefix, tensor_name=name))


def main():
    out = sys.argv[1]
    prefix = save_graph(os.path.join(out, "partitioned"), partitioned_variables)
    record(os.path.join(out, "partitioned"), prefix, ["p2_axis0_float32", "p3_axis1_int32"])
    prefix = save_graph(os.path.join(out, "v1"), v1_variables,
                        write_version=v1.train.SaverDef.V1)
    record(os.path.join(out, "v1"), prefix, ["f32", "s", "layer/parts"])
    prefix = strings(os.path.join(out, "strings"))
    record(os.path.join(out, "strings"), prefix, ["s/.ATTRIBUTES/VARIABLE_VALUE"])
    prefix = nonfinite(os.path.join(out, "nonfinite"))
    record(os.path.join(out, "nonfinite"), prefix)


if __name__ == "__main__":
    main()
