#!/usr/bin/env bash
# Avro codec benchmark (release build): the Swift codec's bench (sluice-avro-bench, following
# the contract in ../shared/bench/README.md) side by side with avro-c and fastavro on
# ../shared/bench/avro/event.avsc, through ../shared/bench/avro/run_avro.sh, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=../shared/bench/avro
[[ -d $bench ]] || { echo "bench-avro: $bench not found; skipped"; exit 0; }
swift build -c release --product sluice-avro-bench >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
REPS=${REPS:-1} PYTHON="$PWD/.venv/bin/python" SWIFT_AVRO_BENCH="$PWD/.build/release/sluice-avro-bench" \
  bash "$bench/run_avro.sh" "$out" "${N:-200000}" | grep '^RESULT' | tee "$out/results.txt"
python3 - "$out/results.txt" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line.split(" ", 1)[1]); rows[r["codec"]] = r
s, c, f = rows.get("swift"), rows.get("avro-c"), rows.get("fastavro")
for op in ("encode", "decode"):
    key = f"{op}_records_per_s"
    if s and c: print(f"{op}: swift/avro-c = {s[key] / c[key]:.2f}  (target >= 1.0)")
    if s and f: print(f"{op}: swift/fastavro = {s[key] / f[key]:.1f}  (target >= 10)")
PY
