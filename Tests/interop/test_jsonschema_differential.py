"""`sluice jsonschema validate` against the reference implementation (PyPI `jsonschema`) on
generated documents for schemas covering the supported keywords, in draft-07 and 2020-12."""
import json
import os
import random
import subprocess

import jsonschema

SLUICE = os.environ.get("SLUICE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice"))

SCHEMAS = [
    ("draft7", {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1, "maximum": 50},
                                                   "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
                                                   "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3, "uniqueItems": True}},
                "required": ["id"], "additionalProperties": False}),
    ("draft7", {"definitions": {"node": {"type": "object", "properties": {"v": {"type": "number", "multipleOf": 0.5},
                                                                           "next": {"$ref": "#/definitions/node"}}}},
                "$ref": "#/definitions/node"}),
    ("draft7", {"oneOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer", "exclusiveMinimum": 3}],
                "not": {"const": 7}}),
    ("draft7", {"type": "array", "items": [{"type": "integer"}, {"type": "string"}], "additionalItems": {"type": "boolean"},
                "contains": {"type": "boolean"}, "minItems": 1}),
    ("draft7", {"type": "object", "if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["a"]},
                "else": {"required": ["b"]}, "propertyNames": {"maxLength": 4}, "minProperties": 1,
                "patternProperties": {"^x": {"type": "integer"}}}),
    ("2020-12", {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array",
                 "prefixItems": [{"type": "integer"}, {"type": ["string", "null"]}], "items": {"type": "number"},
                 "dependentRequired": {}, "maxItems": 4}),
    ("2020-12", {"$defs": {"pos": {"type": "integer", "minimum": 0}}, "type": "object",
                 "properties": {"p": {"$ref": "#/$defs/pos"}, "q": {"anyOf": [{"$ref": "#/$defs/pos"}, {"type": "null"}]}},
                 "dependentRequired": {"p": ["q"]}, "maxProperties": 3}),
]


def random_value(rng, depth=0):
    choice = rng.randrange(9 if depth < 3 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, 1, 3, 4, 7, 8, 50, 51, -1, 2.5, 3.0, 0.25])
    if choice == 3:
        return rng.choice(["a", "b", "ab", "abcdef", "Ab", "x1", "", "kind"])
    if choice in (4, 5):
        return rng.choice([0, 1, 2, "a", "abc", 1.5])
    if choice in (6, 7):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    keys = ["id", "name", "tags", "v", "next", "kind", "a", "b", "x1", "xy", "longkey", "p", "q"]
    return {k: random_value(rng, depth + 1) for k in rng.sample(keys, rng.randrange(4))}


def test_validation_verdicts_agree_with_the_jsonschema_package(tmp_path):
    rng = random.Random(5)
    compared = 0
    for draft, schema in SCHEMAS:
        validator = (jsonschema.Draft7Validator if draft == "draft7" else jsonschema.Draft202012Validator)(schema)
        documents = [random_value(rng) for _ in range(300)]
        lines = "\n".join(json.dumps(d) for d in documents) + "\n"
        path = tmp_path / "docs.jsonl"
        path.write_text(lines)
        # Without $schema, sluice assumes draft-07 (as Confluent): name the draft.
        result = subprocess.run([SLUICE, "jsonschema", "validate", "--draft", "7" if draft == "draft7" else "2020-12",
                                 "--schema", json.dumps(schema), str(path)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode in (0, 1), result.stderr
        invalid_lines = {int(line.split(":")[0].split()[1]) for line in result.stdout.splitlines() if not line.endswith(": valid")}
        for number, document in enumerate(documents, start=1):
            expected_valid = validator.is_valid(document)
            assert (number not in invalid_lines) == expected_valid, (schema, document, [l for l in result.stdout.splitlines() if l.startswith(f"line {number}:")])
            compared += 1
    assert compared == 300 * len(SCHEMAS)


def test_exit_codes():
    bad = subprocess.run([SLUICE, "jsonschema", "validate", "--schema", "[1]"], input="{}", capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "object or a boolean" in bad.stderr
    compatible = subprocess.run([SLUICE, "jsonschema", "compatible", "--reader", '{"type":"number"}', "--writer", '{"type":"integer"}'],
                                capture_output=True, text=True, timeout=30)
    assert compatible.returncode == 0
    narrowed = subprocess.run([SLUICE, "jsonschema", "compatible", "--reader", '{"type":"integer"}', "--writer", '{"type":"number"}'],
                              capture_output=True, text=True, timeout=30)
    assert narrowed.returncode == 1 and "TYPE_NARROWED" in narrowed.stdout
