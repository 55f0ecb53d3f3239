#!/usr/bin/env bash
# Typed Avro produce + consume (TypedProducer / TypedConsumer with Sluice's Avro serializers)
# against raw bytes of the same size through the same client, on one release node, in one run.
# Usage: scripts/bench-typed.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice --product sluice-typed-bench >/dev/null
work=$(mktemp -d "$PWD/.build/bench-typed.XXXXXX")
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kafka=$(port); registry=$(port); admin=$(port)
.build/release/sluice serve --data-dir "$work/data" --listen "127.0.0.1:$kafka" \
  --registry-listen "127.0.0.1:$registry" --admin-listen "127.0.0.1:$admin" --log-level warning >"$work/node.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  curl -fs "127.0.0.1:$admin/health" >/dev/null 2>&1 && break
  sleep 0.1
done
.build/release/sluice-typed-bench "127.0.0.1:$kafka" "http://127.0.0.1:$registry" "${1:-200000}"
