"""The Python side of `java -jar target/dnn-lessons.jar bench`.

Prints one line per task: `time NAME t1 t2 ...`, seconds per repetition after one warm-up.
Run by the Java benchmark; by hand: python3 src/test/python/bench.py --reps 5 --fashion FILE
"""
import argparse
import gzip
import time

import numpy as np


def timed(reps, fn):
    fn()  # warm-up
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def load_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = np.frombuffer(data, ">u4", count=4)
    assert magic == 2051
    return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--fashion", required=True)
    a = p.parse_args()
    t = timed(a.reps, lambda: load_idx_images(a.fashion))
    print("time load_fashion_train_images " + " ".join("%.6f" % x for x in t), flush=True)


if __name__ == "__main__":
    main()
