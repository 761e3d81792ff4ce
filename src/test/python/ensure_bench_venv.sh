#!/usr/bin/env bash
# Creates (once) and checks the benchmark's own Python environment: JAX (CPU) and PyTorch (CPU),
# the peers `bench` times beside Java and Python TensorFlow. Kept apart from the tests'
# environment (venv-tf), which never needs them. TensorFlow's own rows (the lesson's v1 loop,
# tf.function) run in venv-tf.
# Usage: bash src/test/python/ensure_bench_venv.sh [DIR]   (default ~/.cache/dnn-lessons/venv-bench)
# The benchmark runs without it: the JAX and PyTorch rows are then left out, with a line saying so.
set -euo pipefail
VENV="${1:-$HOME/.cache/dnn-lessons/venv-bench}"
PACKAGES="jax[cpu] torch numpy"

check() {
  "$VENV/bin/python" -c "import jax, torch, numpy; print('jax', jax.__version__, 'torch', torch.__version__)" 2>/dev/null
}

if [ -x "$VENV/bin/python" ] && check; then
  echo "bench: ready in $VENV"
  exit 0
fi
command -v python3 >/dev/null || { echo "error: the benchmark environment needs python3" >&2; exit 1; }
echo "bench: creating $VENV with $PACKAGES (once; a few minutes)"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV" || {
  echo "error: 'python3 -m venv $VENV' failed; on Debian/Ubuntu install python3-venv" >&2
  exit 1
}
# PyPI's default torch wheel for Linux is the CUDA build (gigabytes of CUDA libraries); the CPU
# build is served by PyTorch's own index, which pip reaches with --extra-index-url where it is
# reachable, and by a local wheel directory (PIP_FIND_LINKS) otherwise.
"$VENV/bin/pip" install --quiet --retries 0 --timeout 30 "torch" \
    --extra-index-url "${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}" || {
  echo "error: could not install torch into $VENV" >&2
  exit 1
}
"$VENV/bin/pip" install --quiet --retries 0 --timeout 30 "jax[cpu]" numpy || {
  echo "error: could not install jax into $VENV" >&2
  exit 1
}
check || { echo "error: $VENV has no working jax and torch" >&2; exit 1; }
echo "bench: ready in $VENV"
