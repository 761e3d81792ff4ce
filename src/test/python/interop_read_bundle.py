"""Reads every tensor of a checkpoint with Python TensorFlow's own reader (tf.train.load_checkpoint)
and prints one line per tensor: `NAME DTYPE SHAPE HEX`, HEX being the tensor's bytes as numpy holds
them (little-endian, row-major), `-` for an empty tensor. Used by JavaWrittenBundleIT."""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


def main():
    reader = tf.train.load_checkpoint(sys.argv[1])
    for name, dtype in sorted(reader.get_variable_to_dtype_map().items()):
        value = reader.get_tensor(name)
        shape = "x".join(str(d) for d in value.shape) or "scalar"
        print(name, dtype.name, shape, value.tobytes().hex() or "-")


if __name__ == "__main__":
    main()
