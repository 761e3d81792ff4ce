"""Writes the small valid Keras/TensorFlow files the reader fuzz (ReaderFuzz) mutates, and the
crafted hostile HDF5 files of issue 24 (HostileKerasFilesTest).

Usage (from the repository root, in the interop venv):
    python src/test/python/make_fuzz_seeds.py src/test/resources/org/dnnlessons/keras/fuzz
    python src/test/python/make_fuzz_seeds.py --hostile OUT_DIR   (h5py only; run by the test)

Writes under OUT_DIR (the seeds are committed, a few kilobytes each; rerun to regenerate):
  seed.weights.h5        m.save_weights(...) of Input(784) -> Dense(2, relu) -> Dense(10)
  seed.keras             m.save(...) of the same model
  saved_model/           m.export(...) of the same model (saved_model.pb + variables/)
  tf2/ckpt-1.*           tf.train.Checkpoint(model=m).save(...)
and with --hostile, under OUT_DIR (not committed: the test writes them in its temporary folder):
  hostile/cycle.weights.h5       layers/dense/loop is a hard link back to layers
  hostile/deep.weights.h5        200 nested groups under layers/ (the reader's limit is 32)
  hostile/gzip_bomb.weights.h5   a gzip-chunked 16384x16384 float32 dataset of zeros (1 GiB
                                 from a file of a few kilobytes: one 2048x2048 chunk deflated once
                                 and written 64 times)
  hostile/unwritten.weights.h5   layers/dense/vars/0 created (784x4) but never written
  hostile/hardlinked.weights.h5  1,000 layers hard-linked to one group holding a 256x256 kernel
"""
import os
import sys
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import h5py


def seeds(out):
    import keras
    import tensorflow as tf
    keras.utils.set_random_seed(24)
    m = keras.Sequential([keras.Input((784,)), keras.layers.Dense(2, activation="relu"),
                          keras.layers.Dense(10)])
    m.save_weights(os.path.join(out, "seed.weights.h5"))
    m.save(os.path.join(out, "seed.keras"))
    m.export(os.path.join(out, "saved_model"), verbose=False)
    tf.train.Checkpoint(model=m).save(os.path.join(out, "tf2", "ckpt"))


def hostile(out):
    os.makedirs(out, exist_ok=True)
    with h5py.File(os.path.join(out, "cycle.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.ones((6, 4), np.float32))
        f["layers/dense/loop"] = f["layers"]
    with h5py.File(os.path.join(out, "deep.weights.h5"), "w") as f:
        g = f.create_group("layers")
        for i in range(200):
            g = g.create_group("g")
    with h5py.File(os.path.join(out, "gzip_bomb.weights.h5"), "w") as f:
        d = f.create_dataset("layers/dense/vars/0", shape=(16384, 16384), dtype="f4",
                             chunks=(2048, 2048), compression="gzip", compression_opts=9)
        chunk = zlib.compress(np.zeros((2048, 2048), np.float32).tobytes(), 9)
        for i in range(0, 16384, 2048):
            for j in range(0, 16384, 2048):
                d.id.write_direct_chunk((i, j), chunk)
    with h5py.File(os.path.join(out, "unwritten.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", shape=(784, 4), dtype="f4")
        f.create_dataset("layers/dense/vars/1", data=np.zeros(4, np.float32))
    with h5py.File(os.path.join(out, "hardlinked.weights.h5"), "w") as f:
        v = f.create_group("shared")
        v.create_dataset("vars/0", data=np.ones((256, 256), np.float32))
        v.create_dataset("vars/1", data=np.ones(256, np.float32))
        layers = f.create_group("layers")
        for i in range(1000):
            layers["dense" if i == 0 else f"dense_{i}"] = v


def main():
    if sys.argv[1] == "--hostile":
        hostile(os.path.join(sys.argv[2], "hostile"))
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds(out)


if __name__ == "__main__":
    main()
