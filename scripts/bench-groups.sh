#!/usr/bin/env bash
# Consumer-group benchmark (release build): rebalance time after a LeaveGroup with 3 and 20
# members, commits/s and commit p99 with 8 committing clients, memory per group and per
# committed partition. The clients are confluent-kafka from the interop venv.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice >/dev/null
.venv/bin/python scripts/bench-groups.py .build/release/sluice
