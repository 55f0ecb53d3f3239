#!/usr/bin/env bash
# The broker's side-by-side benchmark (issue 4's figures): starts the release `sluice serve` on a
# temporary data directory in the repository's filesystem and free loopback ports, runs
# ../shared/bench/sidebyside/side_by_side.py against it (baselines, produce/consume/latency
# series, and with --with-mock the same series against librdkafka's in-memory mock broker),
# prints the results table, and stops the node by its PID.
# Usage: scripts/bench-broker.sh [--quick] [other side_by_side.py flags]
set -euo pipefail
cd "$(dirname "$0")/.."
harness=../shared/bench/sidebyside/side_by_side.py
[[ -f $harness ]] || { echo "bench-broker: $harness not found; skipped"; exit 0; }

source scripts/release-node.sh
build_release sluice sluice-avro-bench
start_release_node bench-broker

python3 "$harness" --bootstrap "127.0.0.1:$kafka" --broker-pid "$pid" --data-dir "$work" \
  --swift-avro-cmd "$PWD/.build/release/sluice-avro-bench" --out "$work/results" --with-mock "$@" >"$work/harness.log" 2>&1 \
  || { tail -30 "$work/harness.log"; exit 1; }
cat "$work/results/results.md"
mkdir -p .build/bench-results
cp "$work/results/results.json" "$work/results/results.md" .build/bench-results/
echo "(kept in .build/bench-results/)"
