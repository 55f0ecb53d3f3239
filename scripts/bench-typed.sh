#!/usr/bin/env bash
# Typed Avro produce + consume (TypedProducer / TypedConsumer with Sluice's Avro serializers)
# against raw bytes of the same size through the same client, on one release node, in one run.
# Usage: scripts/bench-typed.sh [RECORDS [generated|codable|serde]]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release-node.sh
build_release sluice sluice-typed-bench
start_release_node bench-typed
.build/release/sluice-typed-bench "127.0.0.1:$kafka" "http://127.0.0.1:$registry" "${1:-200000}" ${2:-}
