"""The registry's Avro compatibility verdicts against Apache Avro 1.12's checker (Python
`avro.compatibility.ReaderWriterCompatibilityChecker`) on generated evolution pairs, under every
level (with one earlier version, a transitive level checks what its plain level checks). Java and Python agree on everything the generator makes (it avoids relative aliases,
where they differ: the compatibility notes, §2.1), so agreement must be 100%."""
import json

import avro.schema
import httpx
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from avro_evolution import SchemaGenerator

PAIRS = 1500
LEVELS = ["BACKWARD", "FORWARD", "FULL", "BACKWARD_TRANSITIVE", "FORWARD_TRANSITIVE", "FULL_TRANSITIVE", "NONE"]


def python_compatible(reader, writer):
    result = ReaderWriterCompatibilityChecker().get_compatibility(
        avro.schema.parse(json.dumps(reader)), avro.schema.parse(json.dumps(writer)))
    return result.compatibility == SchemaCompatibilityType.compatible


def test_compatibility_agrees_with_avro_1_12(node):
    generator = SchemaGenerator(seed=20261125)
    disagreements = []
    counts = {True: 0, False: 0}
    with httpx.Client(base_url=node.registry_url, timeout=30) as sr:
        for i in range(PAIRS):
            old = generator.record()
            new = generator.evolve(old)
            level = LEVELS[i % len(LEVELS)]
            subject = f"pair-{i}"
            assert sr.put(f"/config/{subject}", json={"compatibility": level}).status_code == 200
            registered = sr.post(f"/subjects/{subject}/versions", json={"schema": json.dumps(old)})
            assert registered.status_code == 200, (old, registered.text)
            answer = sr.post(f"/compatibility/subjects/{subject}/versions/1", params={"verbose": "true"},
                             json={"schema": json.dumps(new)})
            assert answer.status_code == 200, (new, answer.text)
            sluice = answer.json()["is_compatible"]
            expected = True
            if level.startswith(("BACKWARD", "FULL")):
                expected &= python_compatible(new, old)
            if level.startswith(("FORWARD", "FULL")):
                expected &= python_compatible(old, new)
            counts[expected] += 1
            if sluice != expected:
                disagreements.append({"level": level, "old": old, "new": new, "sluice": answer.json()})
    assert counts[True] > PAIRS // 10 and counts[False] > PAIRS // 10, counts
    assert not disagreements, json.dumps(disagreements[:5], indent=1)
