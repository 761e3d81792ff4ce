#!/usr/bin/env bash
# Creates (once) and checks the Python environment the interop and notebook tests run against:
# Python TensorFlow 2.21 (tensorflow-cpu==2.21.0) and nbclient, in a virtual environment cached
# outside target/.
# Run by `mvn verify` before the integration tests; by hand: bash src/test/python/ensure_venv.sh [DIR]
set -euo pipefail
VENV="${1:-$HOME/.cache/dnn-lessons/venv-tf}"
TF_VERSION=2.21.0

check() {
  "$VENV/bin/python" - <<PY 2>/dev/null
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy, tensorflow
assert tensorflow.__version__ == "$TF_VERSION", tensorflow.__version__
PY
}

# nbclient runs the notebooks of notebooks-equivalent/ through real Jupyter machinery
NOTEBOOK_PACKAGES="nbclient nbformat jupyter_client"
check_notebooks() {
  "$VENV/bin/python" -c "import nbclient, nbformat, jupyter_client" 2>/dev/null
}
install_notebooks() {
  check_notebooks || "$VENV/bin/pip" install --quiet --retries 0 --timeout 5 $NOTEBOOK_PACKAGES || {
    echo "error: could not install $NOTEBOOK_PACKAGES into $VENV; or skip with -Dinterop.skip=true" >&2
    exit 1
  }
}

# Keras 3 and h5py come with tensorflow-cpu; the Keras interop tests (keras_models.py, keras_load.py)
# import them, so a venv that lost them gets them back
KERAS_PACKAGES="keras h5py"
install_keras() {
  "$VENV/bin/python" -c "import keras, h5py" 2>/dev/null \
    || "$VENV/bin/pip" install --quiet --retries 0 --timeout 5 $KERAS_PACKAGES || {
    echo "error: could not install $KERAS_PACKAGES into $VENV; or skip with -Dinterop.skip=true" >&2
    exit 1
  }
}

# requests: serve_client.py talks to serve as TensorFlow Serving's documentation shows
install_requests() {
  "$VENV/bin/python" -c "import requests" 2>/dev/null \
    || "$VENV/bin/pip" install --quiet --retries 0 --timeout 5 requests || {
    echo "error: could not install requests into $VENV; or skip with -Dinterop.skip=true" >&2
    exit 1
  }
}

if [ -x "$VENV/bin/python" ] && check; then
  install_keras
  install_notebooks
  install_requests
  echo "interop: Python TensorFlow $TF_VERSION and nbclient ready in $VENV"
  exit 0
fi

if ! command -v python3 >/dev/null; then
  echo "error: interop tests need python3 (3.9-3.12) to create $VENV;" \
       "install it, or skip these tests with -Dinterop.skip=true" >&2
  exit 1
fi
echo "interop: creating $VENV with tensorflow-cpu==$TF_VERSION (once; about a minute)"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
if ! python3 -m venv "$VENV"; then
  echo "error: 'python3 -m venv $VENV' failed; on Debian/Ubuntu install python3-venv," \
       "or skip these tests with -Dinterop.skip=true" >&2
  exit 1
fi
if ! "$VENV/bin/pip" install --quiet --retries 0 --timeout 5 "tensorflow-cpu==$TF_VERSION"; then
  echo "error: could not install tensorflow-cpu==$TF_VERSION into $VENV (no package index" \
       "reachable?); or skip these tests with -Dinterop.skip=true" >&2
  exit 1
fi
check || { echo "error: $VENV has no working TensorFlow $TF_VERSION" >&2; exit 1; }
install_keras
install_notebooks
install_requests
echo "interop: Python TensorFlow $TF_VERSION and nbclient ready in $VENV"
