#!/usr/bin/env bash
# Typed Avro produce + consume (TypedProducer / TypedConsumer with Sluice's Avro serializers)
# against raw bytes of the same size through the same client, on one release node, in one run.
# Usage: scripts/bench-typed.sh [RECORDS [generated|codable|serde]]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice --product sluice-typed-bench >/dev/null
source scripts/release-node.sh
start_release_node bench-typed
.build/release/sluice-typed-bench "127.0.0.1:$kafka" "http://127.0.0.1:$registry" "${1:-200000}" ${2:-}
