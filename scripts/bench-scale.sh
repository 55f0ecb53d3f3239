#!/usr/bin/env bash
# `make bench-scale`: the scale claim on one broker (issue 10), release build, temporary data
# directory in the repository's filesystem, every server stopped by its PID. Prints a table of
# each figure next to its target. Needs rdperf (../shared/bench/rdperf, librdkafka-dev).
# Usage: scripts/bench-scale.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
rdperf=../shared/bench/rdperf/rdperf
if [[ ! -x $rdperf ]]; then
  [[ -f ../shared/bench/rdperf/build.sh ]] || { echo "bench-scale: ../shared/bench/rdperf not found; skipped"; exit 0; }
  ../shared/bench/rdperf/build.sh >/dev/null
fi
source scripts/release-node.sh   # build_release (this script starts its own nodes, from bench_scale.py)
build_release sluice sluice-client-check
work=$(mktemp -d "$PWD/.build/bench-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
# 10,000 partitions want more than the default 1024 descriptors for the clients' sockets.
ulimit -n 65536 2>/dev/null || true
.venv/bin/python scripts/bench_scale.py "$PWD/.build/release/sluice" "$rdperf" "$work" "$@"
