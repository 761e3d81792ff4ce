"""Writes the small valid Keras/TensorFlow files the reader fuzz (ReaderFuzz) mutates, and the
crafted hostile HDF5 files of issue 24 (HostileKerasFilesTest).

Usage (from the repository root, in the interop venv):
    python src/test/python/make_fuzz_seeds.py src/test/resources/org/dnnlessons/keras/fuzz
    python src/test/python/make_fuzz_seeds.py --hostile OUT_DIR   (h5py only; run by the test)
    python src/test/python/make_fuzz_seeds.py --budget OUT_DIR    (h5py only; HdfByteBudgetIT)

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
and with --budget, under OUT_DIR (files whose datasets together exceed a per-file byte budget,
though each dataset alone and the file are small):
  links.weights.h5     64 layers (dense, dense_1, ...) hard-linked to one group holding a 1 MiB
                       256x1024 float32 kernel and its bias: 64 MiB read by layer
  links_keras2.h5      the same as a Keras 2 weights file (layer_names, weight_names)
  links.keras          links.weights.h5 zipped with a config.json of 64 Dense(1024) layers
  deflated.weights.h5  24 layers, each a distinct 2 MiB float32 kernel of zeros, deflated in
                       256 KiB chunks: 48 MiB of datasets in a file of ~200 KiB
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


def budget(out):
    import json
    import zipfile
    os.makedirs(out, exist_ok=True)
    layers = 64

    def linked(f, names):
        v = f.create_group("shared")
        v.create_dataset("vars/0", data=np.ones((256, 1024), np.float32))
        v.create_dataset("vars/1", data=np.ones(1024, np.float32))
        g = f.create_group("layers")
        for name in names:
            g[name] = v

    names = ["dense" if i == 0 else f"dense_{i}" for i in range(layers)]
    with h5py.File(os.path.join(out, "links.weights.h5"), "w") as f:
        linked(f, names)
    with h5py.File(os.path.join(out, "links_keras2.h5"), "w") as f:
        v = f.create_group("shared")
        v.create_dataset("kernel:0", data=np.ones((256, 1024), np.float32))
        v.create_dataset("bias:0", data=np.ones(1024, np.float32))
        v.attrs["weight_names"] = [b"kernel:0", b"bias:0"]
        for name in names:
            f[name] = v
        f.attrs["layer_names"] = [n.encode() for n in names]
    dense = lambda name: {"module": "keras.layers", "class_name": "Dense", "config": {
        "name": name, "units": 1024, "activation": "relu", "use_bias": True}}
    config = {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential",
              "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 256]}}]
              + [dense(n) for n in names]}}
    with zipfile.ZipFile(os.path.join(out, "links.keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3"}))
        z.writestr("config.json", json.dumps(config))
        z.write(os.path.join(out, "links.weights.h5"), "model.weights.h5")
    with h5py.File(os.path.join(out, "deflated.weights.h5"), "w") as f:
        for i in range(24):
            f.create_dataset(f"layers/dense_{i}/vars/0", data=np.zeros((512, 1024), np.float32),
                             chunks=(64, 1024), compression="gzip", compression_opts=9)


def main():
    if sys.argv[1] == "--budget":
        budget(sys.argv[2])
        return
    if sys.argv[1] == "--hostile":
        hostile(os.path.join(sys.argv[2], "hostile"))
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds(out)


if __name__ == "__main__":
    main()
