"""`sluice jsonschema validate|compatible` as a user runs them (exit codes, every violation with
its paths, --reference documents), and the registry answering 422 / 42201 with the compiled
validator's reason for an invalid JSON Schema."""
import json
import os
import subprocess

import httpx
import jsonschema
import pytest

SLUICE = os.environ.get("SLUICE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice"))

ADDRESS = {"$defs": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}}, "type": "object",
           "properties": {"zip": {"$ref": "#/$defs/zip"}, "city": {"type": "string"}}, "required": ["zip"]}
ORDER = {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}, "to": {"$ref": "address.json"},
                                          "email": {"type": "string", "format": "email"}},
         "required": ["id", "to"], "additionalProperties": False}


def sluice(*args, stdin=None):
    return subprocess.run([SLUICE, "jsonschema", *args], input=stdin, capture_output=True, text=True, timeout=60)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "address.json").write_text(json.dumps(ADDRESS))
    (tmp_path / "order.json").write_text(json.dumps(ORDER))
    return tmp_path


def test_validate_prints_every_violation_with_its_paths(files):
    good = {"id": 1, "to": {"zip": "12345"}, "email": "a@example.com"}
    bad = {"id": 0, "to": {"zip": "123", "city": 5}, "email": "nope", "extra": True}
    lines = json.dumps(good) + "\n" + json.dumps(bad) + "\n"
    result = sluice("validate", "--schema", str(files / "order.json"), "--reference", f"address.json={files / 'address.json'}",
                    stdin=lines)
    assert result.returncode == 1, result.stderr
    output = result.stdout.splitlines()
    assert output[0] == "line 1: valid"
    assert sorted(output[1:]) == sorted([
        "line 2: /id: 0 is below the minimum 1 (schema /properties/id/minimum)",
        'line 2: /to/zip: "123" does not match "^[0-9]{5}$" (schema /properties/to/$ref/properties/zip/$ref/pattern)',
        "line 2: /to/city: expected string, found a number (schema /properties/to/$ref/properties/city/type)",
        'line 2: /email: "nope" is not a valid email (schema /properties/email/format)',
        'line 2: /extra: the property "extra" is not allowed (schema /additionalProperties)',
    ])
    # The reference implementation agrees on both verdicts.
    registry = {"address.json": ADDRESS}
    checker = jsonschema.Draft7Validator(ORDER, resolver=jsonschema.RefResolver("", ORDER, store=registry),
                                         format_checker=jsonschema.FormatChecker())
    assert checker.is_valid(good) and not checker.is_valid(bad)


def test_validate_reads_one_whole_document(files):
    document = files / "doc.json"
    document.write_text(json.dumps({"id": 2, "to": {"zip": "54321"}}, indent=2))
    result = sluice("validate", "--schema", str(files / "order.json"), "--reference", f"address.json={files / 'address.json'}",
                    str(document))
    assert (result.returncode, result.stdout) == (0, "document: valid\n")


@pytest.mark.parametrize("schema, path", [
    ('{"type":"strin"}', "/type"),
    ('{"properties":{"a":{"pattern":"(x"}}}', "/properties/a/pattern"),
    ('{"properties":{"to":{"$ref":"address.json"}}}', "/properties/to/$ref"),
    ('[1]', None),
])
def test_invalid_schemas_exit_2_with_the_path(schema, path):
    result = sluice("validate", "--schema", schema, stdin="{}")
    assert result.returncode == 2
    assert "invalid schema" in result.stderr
    if path:
        assert f"{path}:" in result.stderr, result.stderr


def test_compatible_with_references(files):
    widened = dict(ADDRESS, properties={"zip": {"type": ["string", "integer"]}, "city": {"type": "string"}})
    (files / "address-v2.json").write_text(json.dumps(widened))
    same = sluice("compatible", "--reader", str(files / "order.json"), "--writer", str(files / "order.json"),
                  "--reference", f"address.json={files / 'address.json'}")
    assert (same.returncode, same.stdout) == (0, "compatible\n"), same.stderr
    narrowed = sluice("compatible", "--reader", str(files / "address.json"), "--writer", str(files / "address-v2.json"))
    assert narrowed.returncode == 1 and "TYPE_NARROWED at /properties/zip" in narrowed.stdout, narrowed.stdout
    invalid = sluice("compatible", "--reader", '{"minLength":"x"}', "--writer", "{}")
    assert invalid.returncode == 2 and "/minLength" in invalid.stderr
    missing = sluice("compatible", "--reader", str(files / "order.json"), "--writer", "{}")
    assert missing.returncode == 2 and "cannot be resolved" in missing.stderr


@pytest.mark.parametrize("schema, reason", [
    ({"type": "object", "properties": {"n": {"type": "integr"}}}, "/properties/n/type"),
    ({"properties": {"s": {"pattern": "[unclosed"}}}, "/properties/s/pattern"),
    ({"required": "id"}, "/required"),
    ({"$ref": "#/definitions/nowhere"}, "/$ref"),
])
def test_registry_rejects_invalid_json_schemas_with_the_reason(node, schema, reason):
    with httpx.Client(base_url=node.registry_url, timeout=10) as client:
        response = client.post("/subjects/bad-value/versions", json={"schema": json.dumps(schema), "schemaType": "JSON"})
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error_code"] == 42201
        assert reason in body["message"], body
        good = client.post("/subjects/good-value/versions", json={"schema": json.dumps(ADDRESS), "schemaType": "JSON"})
        assert good.status_code == 200, good.text


def test_registry_compiles_deeply_nested_schemas_without_crashing(node):
    schema = "true"
    for _ in range(510):  # the JSON parser allows 512 levels
        schema = '{"not":' + schema + '}'
    with httpx.Client(base_url=node.registry_url, timeout=30) as client:
        response = client.post("/subjects/deep-value/versions", json={"schema": schema, "schemaType": "JSON"})
        assert response.status_code == 200, response.text
        assert client.get("/subjects").json() == ["deep-value"]
