"""The runnable examples in examples/, each run as a user runs it against a real node.

The Swift examples are the built executables next to $SLUICE_BIN; the Python interop example
runs with this venv's interpreter (confluent-kafka's serializers on the other side).
"""
import json
import os
import subprocess
import sys

import pytest

from conftest import SLUICE_BIN

BIN = os.path.dirname(os.path.abspath(SLUICE_BIN))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run_example(node, name, *args):
    env = {**os.environ, "SLUICE_BOOTSTRAP": node.bootstrap, "SLUICE_REGISTRY": node.registry_url, "EXAMPLES_BIN": BIN}
    program = [os.path.join(BIN, name), *args] if not name.endswith(".py") else [sys.executable, os.path.join(ROOT, name), *args]
    out = subprocess.run(program, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{name} exited {out.returncode}:\n{out.stdout}\n{out.stderr}\n{node.output()}"
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def test_typed_producer_writes_avro_the_registry_knows(node):
    lines = run_example(node, "example-typed-producer", "users")
    assert [line["produced"] for line in lines] == ["Ada", "Linus", "Grace"]
    assert [line["offset"] for line in lines] == [0, 1, 2]
    import httpx
    versions = httpx.get(f"{node.registry_url}/subjects/users-value/versions").json()
    assert versions == [1]


def test_evolving_consumer_reads_v1_and_v2_into_v2(node):
    lines = run_example(node, "example-evolving-consumer", "evolving")
    assert [(line["name"], line["email"], line["tier"]) for line in lines] == [
        ("Ada", None, "BASIC"), ("Linus", None, "BASIC"), ("Grace", "grace@example.com", "GOLD")]
    import httpx
    assert httpx.get(f"{node.registry_url}/subjects/evolving-value/versions").json() == [1, 2]


def test_json_schema_example_refuses_an_invalid_order_with_the_reason(node):
    lines = run_example(node, "example-json-orders", "orders")
    assert lines[0] == {"produced": 1, "offset": 0}
    assert lines[1]["refused"] == 2 and "/items" in lines[1]["reason"] and "minItems" in lines[1]["reason"]
    assert lines[2] == {"consumed": 1, "customer": "Ada", "items": 1}


def test_broker_validation_example_shows_the_rejection(node):
    lines = run_example(node, "example-broker-validation", "validated")
    assert lines[0]["accepted"] == "typed Avro record"
    assert lines[1]["refused"] == "raw bytes"
    assert "INVALID_RECORD" in lines[1]["reason"] and "magic byte" in lines[1]["reason"]


def test_python_interop_example_both_directions(node):
    lines = run_example(node, "examples/python-interop/interop.py")
    by_swift = [line for line in lines if line["read_by"] == "swift"]
    by_python = [line for line in lines if line["read_by"] == "python"]
    assert [(u["id"], u["tier"], u["email"]) for u in by_swift] == [(10, "BASIC", None), (11, "BASIC", None)]
    assert [u["name"] for u in by_python] == ["Ada", "Linus", "Grace"]
