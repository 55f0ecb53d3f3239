#!/usr/bin/env bash
# Installs what the build and the tests need, only what is missing, so a second run is fast:
# Debian packages with apt-get, then the interop tests' Python venv (.venv) from PyPI.
# `--bench` adds what ../shared/bench's harness measures against (iperf3, fio, Redis, the C
# clients it builds); the benchmarks need it, the build and the tests do not.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libavro-dev libjansson-dev libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev pkg-config
          python3-venv kcat curl procps wrk)
if [[ ${1:-} == --bench ]]; then
  packages+=(gcc make iperf3 fio redis-server redis-tools librdkafka-dev libhiredis-dev)
fi
missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "deps: installing Debian packages: ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

requirements=Tests/interop/requirements.txt
stamp=.venv/.requirements-installed
if [[ ! -f $stamp || $requirements -nt $stamp ]]; then
  echo "deps: creating the Python venv in .venv"
  [[ -x .venv/bin/python ]] || /usr/bin/python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
