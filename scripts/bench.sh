#!/usr/bin/env bash
# `make bench`: every benchmark in release builds, each printing its figures and its ratios
# against a baseline measured in the same run on the same machine. Nothing here runs in tests.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== log store (append/read vs dd/cat, group commit, CRC-32C)"
scripts/bench-logstore.sh

echo
echo "== schema registry (wrk: reads against the HTTP stack, registrations, memory)"
scripts/bench-registry.sh

echo
echo "== consumer groups (rebalance after leave, commits, memory)"
scripts/bench-groups.sh

echo
echo "== Avro codec (Swift vs avro-c vs fastavro, event.avsc)"
scripts/bench-avro.sh

echo
echo "== broker-side schema validation (no validation vs id vs payload level, kcat, wire-format records)"
scripts/bench-validation.sh

echo
echo "== JSON Schema validator (Swift vs the jsonschema package, same documents)"
scripts/bench-jsonschema.sh

echo
echo "== Swift client (producer and consumer MB/s vs librdkafka's rdperf, same broker)"
scripts/bench-client.sh

echo
echo "== typed Avro produce + consume vs raw bytes of the same size (TypedKafka)"
scripts/bench-typed.sh
