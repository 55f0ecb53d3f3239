#!/usr/bin/env bash
# Typed Avro produce + consume (TypedProducer / TypedConsumer with Sluice's Avro serializers)
# against raw bytes of the same size through the same client, on one release node, in one run.
# Usage: scripts/bench-typed.sh [RECORDS [generated|codable|serde]]
set -euo pipefail
cd "$(dirname "$0")/.."
# One product per `swift build` (a second --product replaces the first).
for product in sluice sluice-typed-bench; do swift build -c release --product "$product" >/dev/null; done
source scripts/release-node.sh
start_release_node bench-typed
.build/release/sluice-typed-bench "127.0.0.1:$kafka" "http://127.0.0.1:$registry" "${1:-200000}" ${2:-}
