"""Broker-side schema validation (DESIGN §2.10) against the real binary: topics with
`confluent.value.schema.validation=true` take records whose schema id is registered under the
subject the topic's strategy names, and refuse whole batches with INVALID_RECORD (87) otherwise;
`sluice.value.schema.validation.level=payload` also decodes each payload with its writer schema.

confluent-kafka produces and consumes (its AvroSerializer and JSONSerializer, the GUID header
framing, Record strategies). librdkafka keeps the broker's message to itself (confluent-kafka's
delivery error is only "Broker failed to validate record"), so the reason is read where a client
shows it: kafka-python 3 raises the per-record error message of Produce v8+."""
import json
import re
import uuid

import httpx
import pytest
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                                   NewTopic)
from confluent_kafka.schema_registry import (Schema, SchemaRegistryClient, header_schema_id_serializer,
                                             record_subject_name_strategy)
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from kafka import KafkaProducer
from kafka.errors import KafkaError

ORDER = json.dumps({"type": "record", "name": "Order", "namespace": "shop",
                    "fields": [{"name": "id", "type": "long"}, {"name": "item", "type": "string"}]})
OTHER = json.dumps({"type": "record", "name": "Invoice", "namespace": "shop",
                    "fields": [{"name": "number", "type": "int"}]})
ORDER_KEY = json.dumps({"type": "record", "name": "OrderKey", "namespace": "shop",
                        "fields": [{"name": "id", "type": "long"}]})
TICKET = json.dumps({"type": "object", "title": "Ticket", "properties": {"seat": {"type": "integer"}},
                     "required": ["seat"], "additionalProperties": False})


@pytest.fixture
def env(node):
    """A registry client, an admin client and a fresh topic name."""
    registry = SchemaRegistryClient({"url": node.registry_url})
    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    yield registry, admin, f"orders-{uuid.uuid4().hex[:8]}"


def create(admin, topic, **configs):
    admin.create_topics([NewTopic(topic, 1, 1, config=configs)])[topic].result(15)


def produce(node, topic, records, **conf):
    """Produces (value, key, headers) tuples in one batch each; the delivery error names (or OK)."""
    producer = Producer({"bootstrap.servers": node.bootstrap, "linger.ms": 0, **conf})
    outcomes = []
    for value, key, headers in records:
        producer.produce(topic, value=value, key=key, headers=headers,
                         on_delivery=lambda err, msg: outcomes.append(err.name() if err else "OK"))
        producer.flush(15)
    return outcomes


def reason(node, topic, value, key=None, headers=None):
    """The message kafka-python's delivery error carries (the broker's per-record error)."""
    producer = KafkaProducer(bootstrap_servers=node.bootstrap, retries=0, linger_ms=0)
    try:
        future = producer.send(topic, value=value, key=key, headers=headers or [])
        with pytest.raises(KafkaError) as raised:
            future.get(timeout=15)
        return str(raised.value)
    finally:
        producer.close()


def end_offset(node, topic):
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "probe"})
    try:
        return consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[1]
    finally:
        consumer.close()


def framed(schema_id, body):
    return b"\x00" + schema_id.to_bytes(4, "big") + body


def test_registered_records_pass_and_others_are_refused_with_their_reason(node, env):
    registry, admin, topic = env
    order_id = registry.register_schema(f"{topic}-value", Schema(ORDER, "AVRO"))
    other_id = registry.register_schema("invoices-value", Schema(OTHER, "AVRO"))
    create(admin, topic, **{"confluent.value.schema.validation": "true"})

    serializer = AvroSerializer(registry, ORDER, conf={"auto.register.schemas": False, "use.latest.version": True})
    good = serializer({"id": 7, "item": "tea"}, SerializationContext(topic, MessageField.VALUE))
    assert good[:5] == framed(order_id, b"")
    outcomes = produce(node, topic, [(good, None, None), (b"raw bytes", None, None), (framed(9999, b"\x02\x02x"), None, None),
                                     (framed(other_id, b"\x02"), None, None), (None, b"tombstone", None)])
    assert outcomes == ["OK", "INVALID_RECORD", "INVALID_RECORD", "INVALID_RECORD", "OK"]

    # Only the good record and the tombstone were appended; the good one reads back typed.
    assert end_offset(node, topic) == 2
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": uuid.uuid4().hex, "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition(topic, 0, 0)])
    message = consumer.poll(15)
    consumer.close()
    assert message is not None and message.error() is None
    decoded = AvroDeserializer(registry)(message.value(), SerializationContext(topic, MessageField.VALUE))
    assert decoded == {"id": 7, "item": "tea"}

    # The reasons, as a client that shows Produce v8's record errors sees them.
    assert "not magic byte 0" in reason(node, topic, b"raw bytes")
    assert "value schema id 9999 is not registered in the schema registry" in reason(node, topic, framed(9999, b"x"))
    wrong = reason(node, topic, framed(other_id, b"\x02"))
    assert f'value schema id {other_id} is not registered under subject "{topic}-value" (TopicNameStrategy)' in wrong
    assert '"invoices-value"' in wrong
    assert "has 3 bytes" in reason(node, topic, b"\x00\x00\x01")

    # Rejections are counted per topic, field and reason.
    metrics = httpx.get(f"{node.admin_url}/metrics").text
    for label in ("not_framed", "unknown_schema", "wrong_subject"):
        pattern = rf'sluice_validation_rejected_records_total\{{[^}}]*reason="{label}"[^}}]*topic="{topic}"[^}}]*\}} (\d+)'
        found = re.search(pattern, metrics) or re.search(
            rf'sluice_validation_rejected_records_total\{{[^}}]*topic="{topic}"[^}}]*reason="{label}"[^}}]*\}} (\d+)', metrics)
        assert found and int(found.group(1)) >= 1, (label, [l for l in metrics.splitlines() if "validation" in l])


def test_one_bad_record_refuses_the_whole_batch_and_names_itself(node, env):
    registry, admin, topic = env
    order_id = registry.register_schema(f"{topic}-value", Schema(ORDER, "AVRO"))
    create(admin, topic, **{"confluent.value.schema.validation": "true"})
    # kafka-python batches the three sends (linger), so they share one batch: all fail together,
    # and only record 1 carries its own reason.
    producer = KafkaProducer(bootstrap_servers=node.bootstrap, retries=0, linger_ms=500)
    futures = [producer.send(topic, value=v) for v in (framed(order_id, b"\x02\x02x"), b"{}", framed(order_id, b"\x04\x02y"))]
    producer.flush(15)
    errors = []
    for future in futures:
        with pytest.raises(KafkaError) as raised:
            future.get(timeout=15)
        errors.append(str(raised.value))
    producer.close()
    assert "not magic byte 0" in errors[1]
    assert "not magic byte 0" not in errors[0] and "not magic byte 0" not in errors[2]
    assert end_offset(node, topic) == 0


def test_compressed_batches_are_validated(node, env):
    registry, admin, topic = env
    order_id = registry.register_schema(f"{topic}-value", Schema(ORDER, "AVRO"))
    create(admin, topic, **{"confluent.value.schema.validation": "true"})
    for codec in ("gzip", "snappy", "lz4", "zstd"):
        outcomes = produce(node, topic, [(framed(order_id, b"\x02\x02x") * 1, None, None), (b"x" * 200, None, None)],
                           **{"compression.type": codec})
        assert outcomes == ["OK", "INVALID_RECORD"], codec


def test_payload_level_decodes_each_payload(node, env):
    registry, admin, topic = env
    order_id = registry.register_schema(f"{topic}-value", Schema(ORDER, "AVRO"))
    create(admin, topic, **{"confluent.value.schema.validation": "true", "sluice.value.schema.validation.level": "payload"})
    serializer = AvroSerializer(registry, ORDER, conf={"auto.register.schemas": False, "use.latest.version": True})
    good = serializer({"id": 1, "item": "coffee"}, SerializationContext(topic, MessageField.VALUE))
    garbage = framed(order_id, b"\x02\x7f")   # id 1, then a string length of -64
    trailing = good + b"\x00"                   # a valid datum with a byte left over
    assert produce(node, topic, [(good, None, None), (garbage, None, None), (trailing, None, None)]) == \
        ["OK", "INVALID_RECORD", "INVALID_RECORD"]
    message = reason(node, topic, garbage)
    assert f'value does not decode with schema id {order_id} (subject "{topic}-value"): Avro:' in message
    assert "bytes left after the datum" in reason(node, topic, trailing)
    # The id level alone lets the same garbage through.
    plain = f"{topic}-ids"
    registry.register_schema(f"{plain}-value", Schema(ORDER, "AVRO"))
    create(admin, plain, **{"confluent.value.schema.validation": "true"})
    assert produce(node, plain, [(garbage, None, None)]) == ["OK"]


def test_json_schema_payloads(node, env):
    registry, admin, topic = env
    registry.register_schema(f"{topic}-value", Schema(TICKET, "JSON"))
    create(admin, topic, **{"confluent.value.schema.validation": "true", "sluice.value.schema.validation.level": "payload"})
    serializer = JSONSerializer(TICKET, registry, conf={"auto.register.schemas": False, "use.latest.version": True})
    good = serializer({"seat": 12}, SerializationContext(topic, MessageField.VALUE))
    bad = good[:5] + b'{"seat": "twelve"}'
    not_json = good[:5] + b"{seat"
    assert produce(node, topic, [(good, None, None), (bad, None, None), (not_json, None, None)]) == \
        ["OK", "INVALID_RECORD", "INVALID_RECORD"]
    assert "JSON Schema: /seat" in reason(node, topic, bad)
    assert "not JSON" in reason(node, topic, not_json)


def test_guid_header_framing_and_record_name_strategy_for_keys(node, env):
    registry, admin, topic = env
    registry.register_schema(f"{topic}-value", Schema(ORDER, "AVRO"))
    registry.register_schema("shop.OrderKey", Schema(ORDER_KEY, "AVRO"))
    create(admin, topic, **{
        "confluent.value.schema.validation": "true",
        "confluent.key.schema.validation": "true",
        "confluent.key.subject.name.strategy": "io.confluent.kafka.serializers.subject.RecordNameStrategy",
    })
    value_serializer = AvroSerializer(registry, ORDER, conf={
        "auto.register.schemas": False, "use.latest.version": True, "schema.id.serializer": header_schema_id_serializer})
    key_serializer = AvroSerializer(registry, ORDER_KEY, conf={
        "auto.register.schemas": False, "use.latest.version": True, "subject.name.strategy": record_subject_name_strategy})
    headers = []
    value = value_serializer({"id": 3, "item": "jam"}, SerializationContext(topic, MessageField.VALUE, headers))
    key = key_serializer({"id": 3}, SerializationContext(topic, MessageField.KEY))
    assert headers and headers[0][0] == "__value_schema_id" and headers[0][1][0] == 1
    # The value is unframed (its schema is in the header); a header naming no schema is refused.
    unknown_guid = [("__value_schema_id", b"\x01" + uuid.uuid4().bytes)]
    assert produce(node, topic, [(value, key, headers), (value, key, unknown_guid), (value, value, headers)]) == \
        ["OK", "INVALID_RECORD", "INVALID_RECORD"]
    assert "value schema GUID" in reason(node, topic, value, key=key, headers=unknown_guid)
    # A key framed with a registered id whose record name is not the key's subject.
    order_id = registry.get_latest_version(f"{topic}-value").schema_id
    wrong_key = reason(node, topic, value, key=framed(order_id, b"\x06"), headers=headers)
    assert f'key schema id {order_id} is not registered under subject "shop.Order" (RecordNameStrategy)' in wrong_key


def test_configs_are_checked_described_and_altered(node, env):
    registry, admin, topic = env
    with pytest.raises(KafkaException) as raised:
        create(admin, topic, **{"confluent.value.schema.validation": "yes"})
    assert raised.value.args[0].name() == "INVALID_CONFIG"
    assert "confluent.value.schema.validation" in raised.value.args[0].str()
    with pytest.raises(KafkaException) as raised:
        create(admin, topic, **{"confluent.value.subject.name.strategy": "NoSuchStrategy"})
    assert raised.value.args[0].name() == "INVALID_CONFIG"
    with pytest.raises(KafkaException):
        create(admin, topic, **{"confluent.value.schema.validation.frobnicate": "true"})

    create(admin, topic)
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic)
    described = admin.describe_configs([resource])[resource].result(15)
    assert described["confluent.value.schema.validation"].value == "false"
    assert described["confluent.key.subject.name.strategy"].value == \
        "io.confluent.kafka.serializers.subject.TopicNameStrategy"
    assert described["sluice.value.schema.validation.level"].value == "id"
    assert produce(node, topic, [(b"anything", None, None)]) == ["OK"]

    # Turned on for an existing topic, validation applies to the next batch.
    change = ConfigResource(ConfigResource.Type.TOPIC, topic, incremental_configs=[
        ConfigEntry("confluent.value.schema.validation", "true", incremental_operation=AlterConfigOpType.SET),
        ConfigEntry("confluent.value.subject.name.strategy", "TopicRecordNameStrategy", incremental_operation=AlterConfigOpType.SET)])
    admin.incremental_alter_configs([change])[change].result(15)
    described = admin.describe_configs([resource])[resource].result(15)
    assert described["confluent.value.schema.validation"].value == "true"
    assert described["confluent.value.schema.validation"].source == 1  # DYNAMIC_TOPIC_CONFIG
    assert produce(node, topic, [(b"anything", None, None)]) == ["INVALID_RECORD"]
    order_id = registry.register_schema(f"{topic}-shop.Order", Schema(ORDER, "AVRO"))
    assert produce(node, topic, [(framed(order_id, b"\x02\x02x"), None, None)]) == ["OK"]
