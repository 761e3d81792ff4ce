"""Executes a notebook of notebooks-equivalent/ through Jupyter's own machinery (nbclient starts
the kernel its metadata names, dnn-lessons-java, from JUPYTER_PATH) and writes the executed copy
to OUT. NotebookJupyterIT compares its outputs with the stored ones the way `dnn-lessons notebook
verify` does (the same Java code: numbers within each cell's tolerance, the rest exact).

Prints `cells N`, the number of code cells.
Usage: JUPYTER_PATH=DIR execute_notebook.py NOTEBOOK OUT
"""
import copy
import sys

import nbformat
from nbclient import NotebookClient


def main():
    path, out = sys.argv[1], sys.argv[2]
    stored = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(stored)
    NotebookClient(fresh, timeout=600, kernel_name=stored.metadata.kernelspec.name,
                   resources={"metadata": {"path": "."}}).execute()
    nbformat.write(fresh, out)
    print("cells %d" % sum(1 for c in fresh.cells if c.cell_type == "code"))


if __name__ == "__main__":
    main()
