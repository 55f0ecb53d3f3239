#!/usr/bin/env bash
# JSON Schema validation benchmark (release build): N generated order documents (nested $refs,
# patterns, formats, oneOf, uniqueItems, additionalProperties: false; one in ten invalid),
# validated by Sluice's compiled validator (sluice-jsonschema-bench: isValid and
# violations(of:)) and by the PyPI `jsonschema` package (Draft7Validator.is_valid, formats
# checked), on the same documents, in one run on this machine. Prints validations/s of each,
# parse-and-validate rates (OrderedJSON's parser vs Python's json), and the ratios; the verdicts
# must agree. (Integer multipleOf: the package computes 19.99 / 0.01 in floats and calls it no
# multiple.)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50000}
if ! log=$(swift build -c release --product sluice-jsonschema-bench 2>&1); then
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

swift=$(.build/release/sluice-jsonschema-bench "$out/schema.json" "$out/docs.jsonl")

.venv/bin/python - "$out" "$swift" <<'PY'
import importlib.metadata, json, sys, time
import jsonschema
out, swift = sys.argv[1], json.loads(sys.argv[2])
schema = json.load(open(f"{out}/schema.json"))
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
lines = open(f"{out}/docs.jsonl").read().splitlines()
began = time.perf_counter()
documents = [json.loads(line) for line in lines]
parse_rate = len(lines) / (time.perf_counter() - began)
began = time.perf_counter()
invalid = sum(1 for document in documents if not validator.is_valid(document))
python_rate = len(lines) / (time.perf_counter() - began)
both = lambda parse, validate: 1 / (1 / parse + 1 / validate)
version = importlib.metadata.version("jsonschema")
print(f"documents: {len(lines)}, invalid: sluice {swift['invalid']} (violations {swift['reported']}), jsonschema {invalid}")
print(f"validation only: sluice isValid {swift['is_valid_per_s']:,}/s, violations(of:) {swift['violations_per_s']:,}/s; "
      f"jsonschema {version} is_valid {python_rate:,.0f}/s")
print(f"ratio sluice/jsonschema (validation): {swift['is_valid_per_s'] / python_rate:.1f}x isValid, "
      f"{swift['violations_per_s'] / python_rate:.1f}x violations")
swift_both, python_both = both(swift['parse_per_s'], swift['is_valid_per_s']), both(parse_rate, python_rate)
print(f"parse and validate: sluice {swift_both:,.0f}/s (parse alone {swift['parse_per_s']:,}/s), "
      f"Python json + jsonschema {python_both:,.0f}/s; ratio {swift_both / python_both:.1f}x")
if not (swift["invalid"] == swift["reported"] == invalid):
    sys.exit("verdicts differ")
PY
