#!/usr/bin/env bash
# Makes sure the system packages the tests read are installed, so that `mvn verify` passes on a
# fresh machine: Debian's dataset-fashion-mnist (full Fashion-MNIST at
# /usr/share/datasets/fashion-mnist), graphviz (`dot`, which draws the notebooks' pictures) and
# strace (SyscallOrderIT traces the system calls of a checkpoint save), chromium and
# chromium-driver (DrawingPageIT draws digits on serve's page in headless Chromium) and wrk (ServeLoadIT
# loads serve from a second process).
# Installs what is missing when it can (root with apt-get); otherwise says what to run.
set -euo pipefail
missing=()
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
command -v dot >/dev/null || missing+=(graphviz)
command -v strace >/dev/null || missing+=(strace)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -eq 0 ]; then
  echo "test packages: dataset-fashion-mnist, graphviz, strace, chromium, chromium-driver and wrk present"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "error: the tests need ${missing[*]}; run 'sudo apt-get install ${missing[*]}'" \
       "(elsewhere: the Fashion-MNIST files in /usr/share/datasets/fashion-mnist, Graphviz's dot, strace and wrk on PATH, Chromium at /usr/bin/chromium with /usr/bin/chromedriver)" >&2
  exit 1
fi
