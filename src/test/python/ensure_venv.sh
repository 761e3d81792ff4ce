#!/usr/bin/env bash
# Creates (once) and checks the Python environment the interop and notebook tests run against:
# Python TensorFlow 2.21 (tensorflow-cpu==2.21.0) and nbclient, in a virtual environment cached
# outside target/.
# Run by `mvn verify` before the integration tests; by hand: bash src/test/python/ensure_venv.sh [DIR]
# Safe when two builds start at once (two worktrees, two CI jobs): one holds DIR.lock while it
# checks or builds; a new venv is built beside DIR under a temporary name and renamed into place,
# so DIR is never half-built and never deleted under a build that uses it.
set -euo pipefail
VENV="${1:-$HOME/.cache/dnn-lessons/venv-tf}"
TF_VERSION=2.21.0

mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
if ! flock -n 9; then
  echo "interop: waiting for another build that is preparing $VENV"
  flock 9
fi

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
  check_notebooks || "$VENV/bin/python" -m pip install --quiet --retries 0 --timeout 5 $NOTEBOOK_PACKAGES || {
    echo "error: could not install $NOTEBOOK_PACKAGES into $VENV; or skip with -Dinterop.skip=true" >&2
    exit 1
  }
}

# Keras 3 and h5py come with tensorflow-cpu; the Keras interop tests (keras_models.py, keras_load.py)
# import them, so a venv that lost them gets them back
KERAS_PACKAGES="keras h5py"
install_keras() {
  "$VENV/bin/python" -c "import keras, h5py" 2>/dev/null \
    || "$VENV/bin/python" -m pip install --quiet --retries 0 --timeout 5 $KERAS_PACKAGES || {
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

# Renames a venv built at $1 to $2, replacing what was there (under the lock), and points its
# scripts' #! lines at the new place (a venv records its path in them).
publish_venv() {
  local built="$1" target="$2" old="$2.old.$$"
  sed -i "1s|^#!$built/|#!$target/|" "$built"/bin/* 2>/dev/null || true
  sed -i "s|$built|$target|g" "$built"/bin/activate* 2>/dev/null || true
  if [ -e "$target" ]; then mv "$target" "$old"; fi
  mv "$built" "$target"
  rm -rf "$old"
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
echo "interop: creating $VENV with tensorflow-cpu==$TF_VERSION (once; about four minutes)"
BUILD="$VENV.building.$$"
rm -rf "$BUILD"
trap 'rm -rf "$BUILD"' EXIT
if ! python3 -m venv "$BUILD"; then
  echo "error: 'python3 -m venv $BUILD' failed; on Debian/Ubuntu install python3-venv," \
       "or skip these tests with -Dinterop.skip=true" >&2
  exit 1
fi
if ! "$BUILD/bin/python" -m pip install --quiet --retries 0 --timeout 5 \
    "tensorflow-cpu==$TF_VERSION" $KERAS_PACKAGES $NOTEBOOK_PACKAGES; then
  echo "error: could not install tensorflow-cpu==$TF_VERSION into $BUILD (no package index" \
       "reachable?); or skip these tests with -Dinterop.skip=true" >&2
  exit 1
fi
publish_venv "$BUILD" "$VENV"
trap - EXIT
check || { echo "error: $VENV has no working TensorFlow $TF_VERSION" >&2; exit 1; }
install_keras
install_notebooks
install_requests
echo "interop: Python TensorFlow $TF_VERSION and nbclient ready in $VENV"
