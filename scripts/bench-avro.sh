#!/usr/bin/env bash
# Avro codec benchmark (release build): the Swift codec's bench (sluice-avro-bench, following
# the contract in ../shared/bench/README.md) side by side with avro-c (libavro-dev, built here
# with cc) and fastavro (PyPI) on ../shared/bench/avro/event.avsc, in one run through
# ../shared/bench/avro/run_avro.sh, which alternates the three REPS times (each best of 3).
# Prints each codec's best records/s and the ratios: encode and decode against avro-c and
# fastavro, and resolving decode (writer v1 -> reader v2 with an added defaulted field, a
# resolver compiled once) against plain decode.
#
#   scripts/bench-avro.sh            (N=200000 records, REPS=3; `make bench` runs it too)
#   N=50000 REPS=1 scripts/bench-avro.sh
#
# Needs: gcc, pkg-config and libavro-dev (`make deps`), python3 with venv. fastavro comes from
# the interop venv (.venv, pinned in Tests/interop/requirements.txt); it is made here if missing.
# On a shared machine, run it under the CPU lock so the three see the same quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=../shared/bench/avro
[[ -d $bench ]] || { echo "bench-avro: $bench not found; skipped"; exit 0; }
command -v cc >/dev/null || { echo "bench-avro: no C compiler (apt-get install gcc)" >&2; exit 1; }
pkg-config --exists avro-c || { echo "bench-avro: avro-c not found (make deps, or apt-get install libavro-dev pkg-config)" >&2; exit 1; }

python=.venv/bin/python
if ! "$python" -c 'import fastavro' 2>/dev/null; then
    pin=$(grep -E '^fastavro([=<>~ ]|$)' Tests/interop/requirements.txt || echo fastavro)
    echo "bench-avro: installing $pin into .venv"
    [[ -x $python ]] || python3 -m venv .venv
    "$python" -m pip install --quiet "$pin"
fi

swift build -c release --product sluice-avro-bench >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
REPS=${REPS:-3} PYTHON="$PWD/$python" SWIFT_AVRO_BENCH="$PWD/.build/release/sluice-avro-bench" \
    bash "$bench/run_avro.sh" "$out" "${N:-200000}" >"$out/log.txt" 2>&1 || { cat "$out/log.txt"; exit 1; }
grep -v '^RESULT' "$out/log.txt"
grep '^RESULT' "$out/log.txt" >"$out/results.txt"

python3 - "$out/results.txt" <<'PY'
import json, sys

best = {}  # codec -> key -> best records/s over the repetitions
for line in open(sys.argv[1]):
    row = json.loads(line.split(" ", 1)[1])
    mine = best.setdefault(row["codec"], {})
    for key, value in row.items():
        if key.endswith("_records_per_s"):
            mine[key] = max(mine.get(key, 0), value)
        elif key == "bytes_per_record":
            mine[key] = value

swift, avroc, fast = best.get("swift"), best.get("avro-c"), best.get("fastavro")
if not swift:
    sys.exit("bench-avro: the Swift bench printed no RESULT")
print()
print(f"{'records/s':<10} {'swift':>12} {'avro-c':>12} {'fastavro':>12}")
labels = {"encode": "encode", "decode": "decode", "resolve_decode": "resolve",
          "fresh_decode": "decode*", "fresh_resolve_decode": "resolve*"}
for op, label in labels.items():
    key = f"{op}_records_per_s"
    if op.startswith("fresh"):
        cells = [f"{c[key]:>12,.0f}" if c and key in c else f"{'-':>12}" for c in (swift,)]
        cells += [f"{avroc['decode_records_per_s']:>12,.0f}" if avroc and op == "fresh_decode" else f"{'-':>12}",
                  f"{fast['decode_records_per_s']:>12,.0f}" if fast and op == "fresh_decode" else f"{'-':>12}"]
    else:
        cells = [f"{c[key]:>12,.0f}" if c and key in c else f"{'-':>12}" for c in (swift, avroc, fast)]
    print(f"{label:<10} {' '.join(cells)}")
print("(decode: swift reads into one reused value, as avro-c does; decode*: a fresh value per datum, as fastavro does)")
print()
if avroc and swift.get("bytes_per_record") != avroc.get("bytes_per_record"):
    print(f"WARNING: swift writes {swift.get('bytes_per_record')} B/record, avro-c {avroc.get('bytes_per_record')}")
for op in ("encode", "decode"):
    key = f"{op}_records_per_s"
    if avroc: print(f"{op}: swift/avro-c   = {swift[key] / avroc[key]:.2f}x  (target >= 1.0, aim 1.5)")
    if fast:  print(f"{op}: swift/fastavro = {swift[key] / fast[key]:.1f}x  (target >= 10)")
if "fresh_decode_records_per_s" in swift:
    if avroc: print(f"decode*: swift fresh/avro-c   = {swift['fresh_decode_records_per_s'] / avroc['decode_records_per_s']:.2f}x")
    if fast:  print(f"decode*: swift fresh/fastavro = {swift['fresh_decode_records_per_s'] / fast['decode_records_per_s']:.1f}x")
if "resolve_decode_records_per_s" in swift:
    ratio = swift["resolve_decode_records_per_s"] / swift["decode_records_per_s"]
    print(f"resolving decode (v1 -> v2, added defaulted field) / plain decode = {ratio:.2f}x  (target >= 0.8)")
    if "fresh_resolve_decode_records_per_s" in swift:
        ratio = swift["fresh_resolve_decode_records_per_s"] / swift["fresh_decode_records_per_s"]
        print(f"resolving decode* / plain decode* (fresh values) = {ratio:.2f}x")
PY
