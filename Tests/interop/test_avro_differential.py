"""Sluice's Avro codec against fastavro (PyPI) on generated schemas and data: binary bytes,
decoded values, and values resolved from a writer schema into an evolved reader schema.

Known difference, followed from Java: promoting int/long to float rounds to binary32 in Sluice
(and Java); fastavro keeps double precision. Floats are therefore compared as binary32."""
import io
import json
import math
import os
import re
import struct
import subprocess

import avro.schema
import fastavro
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
from fastavro.utils import generate_many

from avro_evolution import SchemaGenerator

SLUICE = os.environ.get("SLUICE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice"))
SCHEMAS = 600
DATUMS = 4


def sluice(*args, stdin):
    result = subprocess.run([SLUICE, "avro", *args], input=stdin, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, (args, result.stderr[-2000:], stdin[:2000])
    # split("\n"), not splitlines(): bytes as JSON strings may hold U+0085 and other breaks.
    return result.stdout.split("\n")[:-1]


def json_lines(schema, records):
    out = io.StringIO()
    fastavro.json_writer(out, schema, records)
    return out.getvalue()


def same(a, b, tolerant=False):
    """Equal values; with `tolerant`, floats may differ by binary32 rounding (Java rounds
    int/long promoted to float, fastavro does not)."""
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool) or isinstance(b, bool):
            return False
        if math.isnan(a) and math.isnan(b):
            return True
        if a == b or (tolerant and math.isclose(a, b, rel_tol=1e-6)):
            return True
        # A float prints as its shortest binary32 form ("0.776597"), read back as a double.
        return abs(a) < 3.4e38 and abs(b) < 3.4e38 and struct.pack("<f", a) == struct.pack("<f", b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], tolerant) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, tolerant) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


BRANCH = re.compile(r"^(null|boolean|int|long|float|double|bytes|string|array|map|(com\.example\.)?[REF]\d+)$")


def plain(json_value):
    """Avro JSON as plain values: union wrappers removed (the generator's field names and map
    keys never look like type names)."""
    if isinstance(json_value, dict):
        if len(json_value) == 1 and BRANCH.match(next(iter(json_value))):
            return plain(next(iter(json_value.values())))
        return {k: plain(v) for k, v in json_value.items()}
    if isinstance(json_value, list):
        return [plain(v) for v in json_value]
    return json_value


def fastavro_plain(value):
    """fastavro's values in the same form: bytes as the code points of a string."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict):
        return {k: fastavro_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [fastavro_plain(v) for v in value]
    return value


def compatible(reader, writer):
    return ReaderWriterCompatibilityChecker().get_compatibility(
        avro.schema.parse(json.dumps(reader)), avro.schema.parse(json.dumps(writer))
    ).compatibility == SchemaCompatibilityType.compatible


def test_binary_encoding_decoding_and_resolution_agree_with_fastavro():
    generator = SchemaGenerator(seed=11)
    checked = {"encoded": 0, "decoded": 0, "resolved": 0}
    for _ in range(SCHEMAS):
        writer = generator.record()
        parsed = fastavro.parse_schema(writer)
        records = list(generate_many(parsed, DATUMS))
        expected = []
        for record in records:
            buffer = io.BytesIO()
            fastavro.schemaless_writer(buffer, parsed, record)
            expected.append(buffer.getvalue().hex())
        schema_text = json.dumps(writer)
        # JSON encoding in, binary out: byte for byte.
        produced = sluice("jsontofrag", "--schema", schema_text, "--hex", stdin=json_lines(parsed, records))
        assert produced == expected, (schema_text, records)
        checked["encoded"] += len(records)
        # Binary in, JSON out, read back by fastavro: the same values.
        decoded = sluice("fragtojson", "--writer", schema_text, "--hex", stdin="\n".join(expected) + "\n")
        ours = [plain(json.loads(line)) for line in decoded]
        originals = [fastavro_plain(fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(h)), parsed, parsed)) for h in expected]
        assert same(ours, originals), (schema_text, ours, originals)
        # And exactly: Sluice's JSON output encodes back to the same bytes.
        assert sluice("jsontofrag", "--schema", schema_text, "--hex", stdin="\n".join(decoded) + "\n") == expected
        checked["decoded"] += len(records)
        # Resolution into an evolved reader schema that Avro says can read the writer.
        reader = generator.evolve(writer)
        if not compatible(reader, writer):
            continue
        reader_parsed = fastavro.parse_schema(reader)
        resolved = sluice("fragtojson", "--writer", schema_text, "--reader", json.dumps(reader), "--hex",
                          stdin="\n".join(expected) + "\n")
        ours = [plain(json.loads(line)) for line in resolved]
        try:
            theirs = [fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(h)), parsed, reader_parsed) for h in expected]
        except UnicodeDecodeError:
            # Random bytes read as a string: fastavro refuses, Java (and Sluice) replace
            # invalid UTF-8 with U+FFFD. No reference to compare with.
            continue
        assert same(ours, fastavro_plain(theirs), tolerant=True), (schema_text, json.dumps(reader), ours, theirs)
        checked["resolved"] += len(records)
    assert checked["encoded"] == SCHEMAS * DATUMS and checked["resolved"] > SCHEMAS // 4 * DATUMS, checked


def test_avro_c_bytes_for_the_bench_event_schema(tmp_path):
    """The bench's event.avsc records, encoded by Sluice, equal avro-c's (the contract in
    ../shared/bench/README.md) — checked here against fastavro, which matches avro-c byte for byte."""
    schema = {"type": "record", "name": "Event", "namespace": "bench", "fields": [
        {"name": "id", "type": "long"}, {"name": "ts", "type": "long"}, {"name": "user", "type": "string"},
        {"name": "amount", "type": "double"}, {"name": "ok", "type": "boolean"},
        {"name": "note", "type": ["null", "string"], "default": None},
        {"name": "tags", "type": {"type": "array", "items": "string"}}]}
    parsed = fastavro.parse_schema(schema)
    records = [{"id": i, "ts": 1700000000000 + i, "user": f"user-{i % 1000}", "amount": i * 0.25, "ok": i % 2 == 0,
                "note": f"note number {i}" if i % 3 == 0 else None, "tags": ["alpha", "beta", "gamma"][: i % 3 + 1]}
               for i in range(200)]
    expected = []
    for record in records:
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, parsed, record)
        expected.append(buffer.getvalue().hex())
    assert sluice("jsontofrag", "--schema", json.dumps(schema), "--hex", stdin=json_lines(parsed, records)) == expected


def test_a_datum_the_reader_cannot_read_names_the_field():
    writer = json.dumps({"type": "record", "name": "R", "fields": [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}}]})
    reader = json.dumps({"type": "record", "name": "R", "fields": [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}}]})
    result = subprocess.run([SLUICE, "avro", "fragtojson", "--writer", writer, "--reader", reader, "--hex"],
                            input="02\n", capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "symbol B" in result.stderr, result.stderr
    bad = subprocess.run([SLUICE, "avro", "canonical", '{"type":"record","name":"R"}'], capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "fields" in bad.stderr
