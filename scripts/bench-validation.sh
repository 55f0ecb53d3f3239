#!/usr/bin/env bash
# What broker-side schema validation costs (issue 9 §4): the release `sluice serve` on a
# temporary data directory and free loopback ports, the same pre-encoded wire-format records
# produced with kcat to a topic without validation, one with confluent.value.schema.validation
# and one with the payload level; prints records/s, broker CPU per record and the ratios against
# no validation (targets 0.9 and 0.6). Run it holding the CPU lock:
#   flock /tmp/sluice-cpu.lock scripts/bench-validation.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kcat >/dev/null || { echo "bench-validation: kcat not found (apt-get install kcat); skipped"; exit 0; }
swift build -c release --product sluice >/dev/null
work=$(mktemp -d "$PWD/.build/bench-validation.XXXXXX")
trap 'rm -rf "$work"' EXIT
.venv/bin/python scripts/bench_validation.py "$PWD/.build/release/sluice" "$work" "$@"
