"""`sluice schema ...` against the registry of a real `sluice serve`: the real binary, its exit
codes, its text and `--output json`, checked against what confluent-kafka's client sees."""
import json
import os
import subprocess
import tempfile

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from conftest import SLUICE_BIN, SluiceNode

SCHEMAS = os.path.join(os.path.dirname(__file__), "../../schemas")
V1, V2, V3 = (os.path.join(SCHEMAS, n) for n in ("user-v1.avsc", "user-v2.avsc", "user-v3-incompatible.avsc"))
ORDER = os.path.join(SCHEMAS, "order.schema.json")


def sluice(node, *args, stdin=None, env=None):
    """Runs `sluice schema ARGS --registry <node>`; returns the CompletedProcess."""
    return subprocess.run([SLUICE_BIN, "schema", *args, *([] if node is None else ["--registry", node.registry_url])],
                          input=stdin, capture_output=True, text=True, timeout=60, env=env)


def ok(node, *args, **kwargs):
    result = sluice(node, *args, **kwargs)
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_json(node, *args):
    return json.loads(ok(node, *args, "--output", "json"))


@pytest.fixture
def client(node):
    return SchemaRegistryClient({"url": node.registry_url})


def test_register_get_list_versions(node, client):
    first = as_json(node, "register", "users-value", V1)
    assert first["subject"] == "users-value" and first["version"] == 1 and first["id"] >= 1 and first["guid"]
    # Registering the same schema again is idempotent; a compatible change makes version 2.
    assert as_json(node, "register", "users-value", V1)["id"] == first["id"]
    second = as_json(node, "register", "users-value", V2)
    assert second["version"] == 2 and second["id"] != first["id"]
    assert "registered users-value version 2 with id" in ok(node, "register", "users-value", V2)

    assert client.get_latest_version("users-value").schema_id == second["id"]
    latest = as_json(node, "get", "users-value")
    assert (latest["subject"], latest["version"], latest["id"]) == ("users-value", 2, second["id"])
    assert json.loads(latest["schema"])["fields"][3]["name"] == "email"
    assert as_json(node, "get", "users-value", "--version", "1")["id"] == first["id"]
    assert as_json(node, "get", "--id", str(first["id"]))["schema"] == client.get_schema(first["id"]).schema_str
    assert as_json(node, "get", "--guid", first["guid"])["schema"] == as_json(node, "get", "users-value", "--version", "1")["schema"]
    assert json.loads(ok(node, "get", "users-value", "--schema-only"))["name"] == "User"

    ok(node, "register", "orders-value", ORDER)  # typed JSON by its file name
    assert client.get_latest_version("orders-value").schema.schema_type == "JSON"
    assert as_json(node, "list") == ["orders-value", "users-value"]
    assert ok(node, "list", "--prefix", "users").split() == ["users-value"]
    assert as_json(node, "versions", "users-value") == [
        {"version": 1, "id": first["id"], "deleted": False}, {"version": 2, "id": second["id"], "deleted": False}]


def test_compatible_prints_every_incompatibility_with_its_path(node):
    ok(node, "register", "users-value", V1)
    ok(node, "register", "users-value", V2)
    assert "compatible with users-value" in ok(node, "compatible", "users-value", V2)
    result = sluice(node, "compatible", "users-value", V3)
    assert result.returncode == 1
    out = result.stdout
    assert "incompatible with users-value" in out
    assert "TYPE_MISMATCH at /fields/0/type" in out, out
    assert "READER_FIELD_MISSING_DEFAULT_VALUE at /fields/5" in out, out
    verdict = json.loads(sluice(node, "compatible", "users-value", V3, "--output", "json").stdout)
    assert verdict["compatible"] is False
    kinds = {(p["type"], p["path"]) for p in verdict["incompatibilities"]}
    assert {("TYPE_MISMATCH", "/fields/0/type"), ("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/5")} <= kinds
    # Registering it is refused by the registry with its code and reasons, on stderr.
    refused = sluice(node, "register", "users-value", V3)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "HTTP 409" in refused.stderr and "TYPE_MISMATCH" in refused.stderr


def test_config_and_mode(node, client):
    assert as_json(node, "config") == {"subject": None, "compatibility": "BACKWARD", "inherited": False}
    ok(node, "register", "users-value", V1)
    assert as_json(node, "config", "users-value")["inherited"] is True
    assert as_json(node, "config", "users-value", "--set", "full")["compatibility"] == "FULL"
    assert client.get_compatibility("users-value") == "FULL"
    assert "users-value: FULL" in ok(node, "config", "users-value")
    assert as_json(node, "config", "users-value", "--delete") == {"subject": "users-value", "compatibility": "BACKWARD", "inherited": True}
    assert as_json(node, "mode") == {"subject": None, "mode": "READWRITE"}
    assert as_json(node, "mode", "--set", "readonly")["mode"] == "READONLY"
    refused = sluice(node, "register", "other-value", V1)
    assert refused.returncode == 1 and "42205" in refused.stderr
    ok(node, "mode", "--set", "READWRITE")
    bad = sluice(node, "config", "--set", "sideways")
    assert bad.returncode != 0 and "sideways" in bad.stderr


def test_delete_soft_then_permanent(node, client):
    ok(node, "register", "users-value", V1)
    ok(node, "register", "users-value", V2)
    assert as_json(node, "delete", "users-value", "--version", "1")["versions"] == [1]
    assert client.get_versions("users-value") == [2]
    assert [v["deleted"] for v in as_json(node, "versions", "users-value", "--deleted")] == [True, False]
    hard_first = sluice(node, "delete", "users-value", "--permanent")
    assert hard_first.returncode == 1 and "40405" in hard_first.stderr
    assert "deleted users-value version 2" in ok(node, "delete", "users-value")
    assert as_json(node, "delete", "users-value", "--permanent")["versions"] == [1, 2]
    assert as_json(node, "list", "--deleted") == []


def test_export_then_import_keeps_ids_and_versions(node, tmp_path):
    ok(node, "register", "users-value", V1)
    ok(node, "register", "users-value", V2)
    ok(node, "register", "orders-value", ORDER)
    ok(node, "register", "copy-value", V2)  # the same id under a second subject
    ok(node, "config", "orders-value", "--set", "NONE")
    ok(node, "delete", "users-value", "--version", "1")
    exported = ok(node, "export")
    lines = [json.loads(line) for line in exported.splitlines()]
    versions = [l for l in lines if "schema" in l]
    assert [l["id"] for l in versions] == sorted(l["id"] for l in versions)
    assert {(l["subject"], l["version"], l.get("deleted", False)) for l in versions} == {
        ("users-value", 1, True), ("users-value", 2, False), ("orders-value", 1, False), ("copy-value", 1, False)}
    assert {"subject": "orders-value", "compatibility": "NONE"} in lines

    target = SluiceNode(str(tmp_path / "target")).start()
    try:
        target.wait_healthy()
        export_file = tmp_path / "export.jsonl"
        export_file.write_text(exported)
        # In a pipe: quiet, no progress bar.
        result = sluice(target, "import", str(export_file))
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert "imported 4 versions of 3 subjects and 1 subject levels" in result.stdout
        assert ok(target, "export") == exported
        assert as_json(target, "mode")["mode"] == "READWRITE"
        # The target keeps going from the imported ids.
        fresh = as_json(target, "register", "new-value", '{"type":"string"}')
        assert fresh["id"] > max(l["id"] for l in versions)
    finally:
        target.stop()


def test_import_reports_the_bad_line(node, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"subject":"a","version":1,"id":5,"schema":"\\"string\\""}\nnot json\n')
    result = sluice(node, "import", str(bad))
    assert result.returncode == 1 and "line 2" in result.stderr
    assert as_json(node, "list") == []


def test_errors_go_to_stderr_with_a_nonzero_exit(node):
    missing = sluice(node, "get", "nope-value")
    assert missing.returncode == 1 and missing.stdout == ""
    assert "40401" in missing.stderr and "nope-value" in missing.stderr
    invalid = sluice(node, "register", "x-value", '{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}')
    assert invalid.returncode == 1 and "42201" in invalid.stderr
    # The registry from the environment; a port nothing listens on fails fast and says so.
    env = dict(os.environ, SLUICE_REGISTRY="http://127.0.0.1:9")
    down = sluice(None, "list", env=env)
    assert down.returncode == 1 and "did not answer" in down.stderr and "127.0.0.1:9" in down.stderr
    env = dict(os.environ, SLUICE_REGISTRY=node.registry_url)
    assert sluice(None, "list", "--output", "json", env=env).stdout.strip() == "[]"


def test_the_registry_from_the_profile_file(node, tmp_path):
    profile = tmp_path / "profile"
    profile.write_text(f"# where the registry is\nregistry={node.registry_url}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("SLUICE_REGISTRY", "SLUICE_PROFILE")}
    ok(node, "register", "p-value", V1)
    assert sluice(None, "list", "--profile", str(profile), env=env).stdout.split() == ["p-value"]
    # SLUICE_PROFILE names the file as --profile does.
    env["SLUICE_PROFILE"] = str(profile)
    assert sluice(None, "list", env=env).stdout.split() == ["p-value"]
    missing = sluice(None, "list", "--profile", str(tmp_path / "nope"), env=env)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
