"""Executes a notebook of notebooks-equivalent/ through Jupyter's own machinery (nbclient starts
the kernel its metadata names, dnn-lessons-java, from JUPYTER_PATH) and compares every code
cell's new output with the stored one, as `dnn-lessons notebook verify` does: exactly, or with
numbers free in cells whose metadata says "dnn_lessons": {"check": "shape"}.

Prints `cells N` and one `mismatch ...` line per differing cell.
Usage: JUPYTER_PATH=DIR execute_notebook.py NOTEBOOK
"""
import copy
import re
import sys

import nbformat
from nbclient import NotebookClient

NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def text(cell):
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append(o["text"])
        elif o["output_type"] in ("execute_result", "display_data") and "text/plain" in o["data"]:
            out.append(o["data"]["text/plain"] + "\n")
        elif o["output_type"] == "error":
            out.append("%s: %s\n" % (o["ename"], o["evalue"]))
    return "".join(out)


def shape(s):
    return re.sub(r"[ \t]+", "", NUMBER.sub("#", s)).strip()


def main():
    path = sys.argv[1]
    stored = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(stored)
    NotebookClient(fresh, timeout=600, kernel_name=stored.metadata.kernelspec.name,
                   resources={"metadata": {"path": "."}}).execute()
    count = 0
    for old, new in zip(stored.cells, fresh.cells):
        if old.cell_type != "code":
            continue
        count += 1
        check = old.metadata.get("dnn_lessons", {}).get("check", "exact")
        a, b = text(old), text(new)
        if (shape(a) != shape(b)) if check == "shape" else (a != b):
            print("mismatch cell %d: got %r, stored %r" % (count, b[:200], a[:200]))
    print("cells %d" % count)


if __name__ == "__main__":
    main()
