"""Sluice's Swift serializers (Serde target, driven through sluice-serde-check) against
confluent-kafka's, both directions, on the registry of a real `sluice serve`:

- bytes written by the Swift AvroSerializer (generic and Codable) and JSONSchemaSerializer are
  decoded by confluent-kafka's AvroDeserializer / JSONDeserializer;
- bytes written by confluent-kafka's AvroSerializer (prefix and header form) are decoded by the
  Swift deserializer, also into the evolved reader schemas/user-v2.avsc with defaulted fields;
- data the reader cannot resolve is refused with topic, partition, offset, schema id and field.
"""
import json
import os
import subprocess
import uuid

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient, header_schema_id_serializer
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

ROOT = os.path.join(os.path.dirname(__file__), "../..")
SCHEMAS = os.path.join(ROOT, "schemas")
CHECK_BIN = os.environ.get("SERDE_CHECK_BIN", os.path.join(ROOT, ".build/debug/sluice-serde-check"))


def schema_file(name):
    return os.path.join(SCHEMAS, name)


def schema_text(name):
    with open(schema_file(name)) as f:
        return f.read()


def check(node, *args, lines):
    """Runs sluice-serde-check; returns (exit code, stdout lines, stderr)."""
    result = subprocess.run([CHECK_BIN, *args, "--registry", node.registry_url], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=60)
    return result.returncode, [line for line in result.stdout.splitlines() if line], result.stderr


def swift_serialize(node, topic, schema, lines, *extra):
    code, out, err = check(node, "serialize", "--topic", topic, "--schema", schema_file(schema), *extra, lines=lines)
    assert code == 0, err
    assert len(out) == len(lines)
    return [bytes.fromhex(line) for line in out]


def swift_deserialize(node, topic, frames, *extra, headers=None):
    lines = [f.hex() + (" " + headers[i].hex() if headers else "") for i, f in enumerate(frames)]
    return check(node, "deserialize", "--topic", topic, *extra, lines=lines)


@pytest.fixture
def registry(node):
    return SchemaRegistryClient({"url": node.registry_url})


@pytest.fixture
def topic():
    return f"users-{uuid.uuid4().hex[:8]}"


V1_RECORDS = [{"id": i, "name": f"user-{i}", "tags": [f"t{i}"] * (i % 3)} for i in range(20)]


def test_swift_generic_avro_is_read_by_confluent(node, registry, topic):
    frames = swift_serialize(node, topic, "user-v1.avsc", [json.dumps(r) for r in V1_RECORDS])
    schema_id = registry.get_latest_version(f"{topic}-value").schema_id
    for frame in frames:
        assert frame[0] == 0 and int.from_bytes(frame[1:5], "big") == schema_id
    ctx = SerializationContext(topic, MessageField.VALUE)
    decoded = [AvroDeserializer(registry)(f, ctx) for f in frames]
    assert decoded == V1_RECORDS
    # The same record encodes to the same bytes as confluent-kafka's serializer.
    python = AvroSerializer(registry, schema_text("user-v1.avsc"))
    assert [python(r, ctx) for r in V1_RECORDS] == frames


def test_swift_typed_avro_is_read_by_confluent(node, registry, topic):
    users = [{"id": 1, "name": "ada", "tags": ["x"], "email": "ada@example.com", "tier": "GOLD"},
             {"id": 2, "name": "bob", "tags": [], "email": None, "tier": "BASIC"}]
    frames = swift_serialize(node, topic, "user-v2.avsc", [json.dumps(u) for u in users], "--typed")
    ctx = SerializationContext(topic, MessageField.VALUE)
    assert [AvroDeserializer(registry)(f, ctx) for f in frames] == users


def test_confluent_avro_is_read_by_swift_with_an_evolved_reader(node, registry, topic):
    ctx = SerializationContext(topic, MessageField.VALUE)
    frames = [AvroSerializer(registry, schema_text("user-v1.avsc"))(r, ctx) for r in V1_RECORDS[:5]]
    v2 = {"id": 99, "name": "new", "tags": [], "email": "n@example.com", "tier": "GOLD"}
    frames.append(AvroSerializer(registry, schema_text("user-v2.avsc"))(v2, ctx))
    assert len(registry.get_versions(f"{topic}-value")) == 2
    code, out, err = swift_deserialize(node, topic, frames, "--reader-schema", schema_file("user-v2.avsc"))
    assert code == 0, err
    decoded = [json.loads(line) for line in out]
    # Old records get the defaults of the fields v1 lacks (Avro's JSON encoding: unions wrapped).
    assert decoded[:5] == [dict(r, email=None, tier="BASIC") for r in V1_RECORDS[:5]]
    assert decoded[5] == dict(v2, email={"string": "n@example.com"})
    # The typed reader sees the same.
    code, out, err = swift_deserialize(node, topic, frames, "--typed", "--reader-schema", schema_file("user-v2.avsc"))
    assert code == 0, err
    assert json.loads(out[0]) == {"id": 0, "name": "user-0", "tags": [], "tier": "BASIC"}
    assert json.loads(out[5]) == v2


def test_confluent_header_form_is_read_by_swift(node, registry, topic):
    serializer = AvroSerializer(registry, schema_text("user-v1.avsc"), conf={"schema.id.serializer": header_schema_id_serializer})
    frames, headers = [], []
    for record in V1_RECORDS[:3]:
        record_headers = []
        frames.append(serializer(record, SerializationContext(topic, MessageField.VALUE, record_headers)))
        (name, value), = record_headers
        assert name == "__value_schema_id" and value[0] == 1 and len(value) == 17
        headers.append(value)
    # The payload is unframed: the header names the schema by GUID.
    code, out, err = swift_deserialize(node, topic, frames, "--reader-schema", schema_file("user-v1.avsc"), headers=headers)
    assert code == 0, err
    assert [json.loads(line) for line in out] == V1_RECORDS[:3]


def test_unresolvable_data_names_topic_partition_offset_schema_and_field(node, registry, topic):
    ctx = SerializationContext(topic, MessageField.VALUE)
    frames = [AvroSerializer(registry, schema_text("user-v1.avsc"))(r, ctx) for r in V1_RECORDS[:2]]
    schema_id = int.from_bytes(frames[0][1:5], "big")
    code, out, err = swift_deserialize(node, topic, frames, "--partition", "4",
                                       "--reader-schema", schema_file("user-v3-incompatible.avsc"))
    assert code == 1 and out == []
    for part in [f"topic {topic}", "partition 4", "offset 0", f"schema id {schema_id}", "field id", "country"]:
        assert part in err, err


def test_json_schema_both_directions(node, registry):
    topic = f"orders-{uuid.uuid4().hex[:8]}"
    ctx = SerializationContext(topic, MessageField.VALUE)
    orders = [{"id": i, "customer": f"c{i}", "items": [{"sku": "A", "quantity": i}]} for i in range(1, 6)]
    frames = swift_serialize(node, topic, "order.schema.json", [json.dumps(o) for o in orders], "--format", "json")
    assert [JSONDeserializer(None, schema_registry_client=registry)(f, ctx) for f in frames] == orders
    python = JSONSerializer(schema_text("order.schema.json"), registry)
    code, out, err = swift_deserialize(node, topic, [python(o, ctx) for o in orders], "--format", "json")
    assert code == 0, err
    assert [json.loads(line) for line in out] == orders
    # The Swift serializer validates: a bad document is refused with the path of the violation.
    code, out, err = check(node, "serialize", "--topic", topic, "--schema", schema_file("order.schema.json"), "--format", "json",
                           lines=[json.dumps({"id": 0, "customer": "c", "items": []})])
    assert code == 1 and out == []
    assert "/id" in err and "/items" in err, err


def test_record_name_strategy_registers_under_the_full_name(node, registry, topic):
    swift_serialize(node, topic, "user-v1.avsc", [json.dumps(V1_RECORDS[0])], "--strategy", "RecordNameStrategy")
    swift_serialize(node, topic, "user-v1.avsc", [json.dumps(V1_RECORDS[0])], "--strategy", "TopicRecordNameStrategy")
    subjects = registry.get_subjects()
    assert "sluice.examples.User" in subjects and f"{topic}-sluice.examples.User" in subjects


def test_lookup_only_serializer_refuses_an_unregistered_schema(node, registry, topic):
    code, out, err = check(node, "serialize", "--topic", topic, "--schema", schema_file("user-v1.avsc"), "--no-auto-register",
                           lines=[json.dumps(V1_RECORDS[0])])
    assert code == 1 and f"{topic}-value" in err and "autoRegisterSchemas" in err, err
