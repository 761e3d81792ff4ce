#!/usr/bin/env bash
# Creates (once) and checks the benchmark's own Python environment: JAX (CPU) and PyTorch (CPU),
# the peers `bench` times beside Java and Python TensorFlow. Kept apart from the tests'
# environment (venv-tf), which never needs them. TensorFlow's own rows (the lesson's v1 loop,
# tf.function) run in venv-tf, and so does `bench --serve`'s Python server (Flask calling Keras):
# Flask is installed into that interpreter ($DNN_LESSONS_PYTHON, else venv-tf) when it exists.
# Usage: bash src/test/python/ensure_bench_venv.sh [DIR]   (default ~/.cache/dnn-lessons/venv-bench)
# The benchmark runs without it: the JAX and PyTorch rows are then left out, with a line saying so.
# Safe when two runs start at once: DIR.lock is held while checking or building, and a new venv
# is built under a temporary name and renamed into place.
set -euo pipefail
VENV="${1:-$HOME/.cache/dnn-lessons/venv-bench}"
PACKAGES="jax[cpu] torch numpy"

mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
if ! flock -n 9; then
  echo "bench: waiting for another run that is preparing $VENV"
  flock 9
fi

# bench --serve's peer, src/test/python/serve_peer.py, runs Flask in the TensorFlow interpreter
TF_PYTHON="${DNN_LESSONS_PYTHON:-$HOME/.cache/dnn-lessons/venv-tf/bin/python}"
ensure_flask() {
  if [ ! -x "$TF_PYTHON" ]; then
    echo "bench: no TensorFlow interpreter at $TF_PYTHON (src/test/python/ensure_venv.sh makes it); Flask for bench --serve not installed"
    return 0
  fi
  if "$TF_PYTHON" -c "import flask" 2>/dev/null; then
    return 0
  fi
  echo "bench: installing flask into $TF_PYTHON (for bench --serve)"
  "$TF_PYTHON" -m pip install --quiet --retries 0 --timeout 30 flask || {
    echo "error: could not install flask into $TF_PYTHON (bench --serve needs it)" >&2
    exit 1
  }
  "$TF_PYTHON" -c "import flask" || { echo "error: $TF_PYTHON has no working flask" >&2; exit 1; }
}

check() {
  "$VENV/bin/python" -c "import jax, torch, numpy; print('jax', jax.__version__, 'torch', torch.__version__)" 2>/dev/null
}

if [ -x "$VENV/bin/python" ] && check; then
  ensure_flask
  echo "bench: ready in $VENV"
  exit 0
fi
command -v python3 >/dev/null || { echo "error: the benchmark environment needs python3" >&2; exit 1; }
echo "bench: creating $VENV with $PACKAGES (once; a few minutes)"
BUILD="$VENV.building.$$"
rm -rf "$BUILD"
trap 'rm -rf "$BUILD"' EXIT
python3 -m venv "$BUILD" || {
  echo "error: 'python3 -m venv $BUILD' failed; on Debian/Ubuntu install python3-venv" >&2
  exit 1
}
# PyPI's default torch wheel for Linux is the CUDA build (gigabytes of CUDA libraries); the CPU
# build is served by PyTorch's own index, which pip reaches with --extra-index-url where it is
# reachable, and by a local wheel directory (PIP_FIND_LINKS) otherwise.
"$BUILD/bin/python" -m pip install --quiet --retries 0 --timeout 30 "torch" \
    --extra-index-url "${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}" || {
  echo "error: could not install torch into $BUILD" >&2
  exit 1
}
"$BUILD/bin/python" -m pip install --quiet --retries 0 --timeout 30 "jax[cpu]" numpy || {
  echo "error: could not install jax into $BUILD" >&2
  exit 1
}
# the #! lines of the venv's scripts name the build directory: point them at the final place
sed -i "1s|^#!$BUILD/|#!$VENV/|" "$BUILD"/bin/* 2>/dev/null || true
sed -i "s|$BUILD|$VENV|g" "$BUILD"/bin/activate* 2>/dev/null || true
OLD="$VENV.old.$$"
if [ -e "$VENV" ]; then mv "$VENV" "$OLD"; fi
mv "$BUILD" "$VENV"
trap - EXIT
rm -rf "$OLD"
check || { echo "error: $VENV has no working jax and torch" >&2; exit 1; }
ensure_flask
echo "bench: ready in $VENV"
