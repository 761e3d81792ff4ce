"""Writes the golden cases for NumpyPrintOptionsTest: arrays, print options and what numpy's
print() shows for them under np.set_printoptions(threshold=..., edgeitems=...).

Regenerate (from the repository root, with numpy installed):
    python3 src/test/python/numpy_print_options_cases.py \
        > src/test/resources/org/dnnlessons/format/numpy_print_options_cases.txt
"""
import numpy as np

from numpy_format_cases import print_case

rng = np.random.default_rng(20261207)

CASES = [
    ("threshold 10 edgeitems 2", 10, 2, rng.standard_normal((5, 7)).astype(np.float32)),
    ("threshold 10 edgeitems 1 ints", 10, 1, np.arange(24, dtype=np.int64).reshape(2, 3, 4)),
    ("threshold 0 summarizes a small array", 0, 3, np.arange(8, dtype=np.int64)),
    ("threshold 0 keeps short axes whole", 0, 3, np.arange(6, dtype=np.float64) / 4),
    ("threshold 5000 prints 2000 whole", 5000, 3, np.arange(2000, dtype=np.int64)),
    ("edgeitems 4 of a float32 matrix", 100, 4, rng.standard_normal((12, 12)).astype(np.float32)),
    ("bools edgeitems 1", 3, 1, np.array([True, False, True, True, False])),
]

for name, threshold, edgeitems, a in CASES:
    np.set_printoptions(threshold=threshold, edgeitems=edgeitems)
    print_case(name, a, "options %d %d" % (threshold, edgeitems))
