"""Runs the conformance scenarios in registry/conformance/*.json, each on a fresh node."""
import glob
import json
import os

import httpx
import pytest

CASES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "../../registry/conformance/*.json")))


@pytest.mark.parametrize("path", CASES, ids=[os.path.basename(p) for p in CASES])
def test_scenario(node, path):
    with open(path) as f:
        steps = json.load(f)
    assert steps
    with httpx.Client(base_url=node.registry_url, timeout=10) as sr:
        for index, step in enumerate(steps):
            content = step["raw_body"].encode() if "raw_body" in step else \
                json.dumps(step["body"]).encode() if "body" in step else None
            r = sr.request(step["method"], step["path"], params=step.get("query"), content=content,
                           headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
            where = f"{os.path.basename(path)} step {index}: {step['method']} {step['path']} -> {r.status_code} {r.text[:300]}"
            assert r.status_code == step["status"], where
            body = r.json()
            if "error_code" in step:
                assert body["error_code"] == step["error_code"] and body["message"], where
            if "json" in step:
                assert body == step["json"], where
            for key, value in step.get("json_subset", {}).items():
                assert body.get(key) == value, where
