"""Writes the golden cases for NumpyFormatTest: arrays and what numpy's print() shows for them.

Regenerate (from the repository root, with numpy installed):
    python3 src/test/python/numpy_format_cases.py \
        > src/test/resources/org/dnnlessons/format/numpy_format_cases.txt
"""
import numpy as np

rng = np.random.default_rng(20261128)

CASES = [
    ("relu quiz", np.array([[5.11, 8.44], [0, 0], [24.01, 38.24]], np.float32)),
    ("dropout quiz", np.array([[6.58, 8.46], [0, 0], [48.02, 76.48]], np.float32)),
    ("truncated normal weights", rng.standard_normal((2, 3)).astype(np.float32)),
    ("bias row", np.array([-0.9389026, -1.7627094, -0.70793825], np.float32)),
    ("all zeros", np.zeros((2, 2), np.float32)),
    ("scalar", np.array(3.25, np.float32)),
    ("negative zero", np.array([-0.0, 1.5], np.float32)),
    ("small values switch to scientific", np.array([1e-5, 0.5, 2.0], np.float32)),
    ("large ratio", np.array([0.001, 2.0, 3.0], np.float32)),
    ("huge", np.array([1e9, 1.0], np.float32)),
    ("integers as floats", np.array([1, 2, 300], np.float32)),
    ("wrapped row", rng.standard_normal(20).astype(np.float32)),
    ("rank 3", rng.standard_normal((2, 2, 3)).astype(np.float32)),
    ("nan and inf", np.array([np.nan, -np.inf, 1.25], np.float32)),
    ("summarized", rng.standard_normal((40, 30)).astype(np.float32)),
    ("float64", np.array([[0.1, 0.2], [1 / 3, 2.5]], np.float64)),
    ("empty", np.zeros((0,), np.float32)),
    ("one hot int", np.eye(3, dtype=np.int64)),
    ("ints", np.array([1, -20, 3], np.int64)),
]


def print_case(name, a, *header):
    """One case: its name, the header lines given, dtype, shape, values and numpy's print()."""
    print("### " + name)
    for line in header:
        print(line)
    print("dtype " + str(a.dtype))
    print("shape " + " ".join(str(d) for d in a.shape))
    flat = a.reshape(-1)
    if a.dtype == np.float32:
        vals = flat.view(np.uint32)
    elif a.dtype == np.float64:
        vals = flat.view(np.uint64)
    else:
        vals = flat
    print("values " + " ".join(("%x" % v) if a.dtype.kind == "f" else str(v) for v in vals))
    print("expected")
    print(str(a))
    print("### end")


if __name__ == "__main__":
    for name, a in CASES:
        print_case(name, a)
