#!/usr/bin/env bash
# JSON Schema validation benchmark (release build): `sluice jsonschema validate` on N generated
# order documents (JSON lines; about one in ten invalid) against the PyPI `jsonschema` package
# validating the same lines in-process (json.loads + is_valid, formats checked on both sides),
# in one run on this machine. Both figures include parsing each line; sluice's also includes its
# process start and printing one verdict line per document, measured alone with the schema
# `true` and printed as its parse-and-print baseline. Prints validations/s and the ratio.
# (Integer multipleOf: the package computes 19.99 / 0.01 in floats and calls it no multiple.)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50000}
if ! log=$(swift build -c release --product sluice 2>&1); then
  echo "bench-jsonschema: the release build failed:"; grep -E "error:" <<<"$log" | head -5; exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

.venv/bin/python - "$out" "$N" <<'PY'
import json, random, sys
out, n = sys.argv[1], int(sys.argv[2])
schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": {
        "address": {"type": "object", "properties": {
            "street": {"type": "string", "minLength": 1, "maxLength": 80},
            "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
            "country": {"enum": ["DE", "FR", "US", "GB"]}}, "required": ["street", "zip"], "additionalProperties": False},
        "line": {"type": "object", "properties": {
            "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
            "cents": {"type": "integer", "exclusiveMinimum": 0, "multipleOf": 5}}, "required": ["sku", "quantity", "cents"]}},
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "created": {"type": "string", "format": "date-time"},
        "email": {"type": "string", "format": "email"},
        "status": {"oneOf": [{"const": "open"}, {"const": "paid"}, {"const": "shipped"}]},
        "shipTo": {"$ref": "#/definitions/address"},
        "lines": {"type": "array", "items": {"$ref": "#/definitions/line"}, "minItems": 1, "maxItems": 50},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "note": {"type": ["string", "null"]}},
    "required": ["id", "created", "status", "lines"],
    "additionalProperties": False}
rng = random.Random(7)
def document(i):
    d = {"id": "%08x-aa98-11ea-b4aa-73b441d16380" % i, "created": "2024-05-%02dT12:30:00Z" % (1 + i % 28),
         "email": f"user{i}@example.com", "status": rng.choice(["open", "paid", "shipped"]),
         "shipTo": {"street": "Main Street %d" % i, "zip": "%05d" % (i % 100000), "country": rng.choice(["DE", "US"])},
         "lines": [{"sku": "ABC-%04d" % rng.randrange(10000), "quantity": rng.randrange(1, 20),
                    "cents": 5 * rng.randrange(1, 20000)} for _ in range(rng.randrange(1, 8))],
         "tags": rng.sample(["a", "b", "c", "d", "e"], rng.randrange(4)), "note": rng.choice([None, "leave at door"])}
    if i % 10 == 9:
        d["lines"][0]["quantity"] = 0
    return d
json.dump(schema, open(f"{out}/schema.json", "w"))
with open(f"{out}/docs.jsonl", "w") as f:
    for i in range(n):
        f.write(json.dumps(document(i)) + "\n")
PY

base_start=$(date +%s.%N)
.build/release/sluice jsonschema validate --schema true "$out/docs.jsonl" >/dev/null
base_end=$(date +%s.%N)

start=$(date +%s.%N)
set +e
.build/release/sluice jsonschema validate --schema "$out/schema.json" "$out/docs.jsonl" >"$out/sluice.txt"
status=$?
set -e
end=$(date +%s.%N)
[[ $status -le 1 ]] || { echo "bench-jsonschema: sluice failed ($status)"; exit 1; }
swift_invalid=$(grep -v ': valid$' "$out/sluice.txt" | cut -d: -f1 | sort -u | wc -l)

.venv/bin/python - "$out" "$N" "$start" "$end" "$swift_invalid" "$base_start" "$base_end" <<'PY'
import importlib.metadata, json, sys, time
import jsonschema
out, n, start, end, swift_invalid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
base_seconds = float(sys.argv[7]) - float(sys.argv[6])
schema = json.load(open(f"{out}/schema.json"))
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
lines = open(f"{out}/docs.jsonl").read().splitlines()
began = time.perf_counter()
invalid = sum(1 for line in lines if not validator.is_valid(json.loads(line)))
python_seconds = time.perf_counter() - began
swift_rate, python_rate = n / (end - start), n / python_seconds
print(f"documents: {n}, invalid: sluice {swift_invalid}, jsonschema {invalid}")
print(f"sluice jsonschema validate: {swift_rate:,.0f} validations/s "
      f"(parse and print alone, schema true: {n / base_seconds:,.0f} documents/s)")
print(f"jsonschema {importlib.metadata.version('jsonschema')} (Python): {python_rate:,.0f} validations/s")
print(f"ratio sluice/jsonschema: {swift_rate / python_rate:.1f}x")
if swift_invalid != invalid:
    sys.exit("verdicts differ")
PY
