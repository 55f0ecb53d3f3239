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
# One product per `swift build` (a second --product replaces the first).
for product in sluice sluice-client-check; do swift build -c release --product "$product" >/dev/null; done
work=$(mktemp -d "$PWD/.build/bench-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
# 10,000 partitions want more than the default 1024 descriptors for the clients' sockets.
ulimit -n 65536 2>/dev/null || true
.venv/bin/python scripts/bench_scale.py "$PWD/.build/release/sluice" "$rdperf" "$work" "$@"
