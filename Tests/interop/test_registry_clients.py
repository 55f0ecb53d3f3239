"""confluent-kafka's SchemaRegistryClient and its Avro and JSON serializers against the real
binary: the registry and the broker of one Sluice node, unchanged client code."""
import json
import uuid

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

USER_V1 = json.dumps({"type": "record", "name": "User", "namespace": "shop",
                      "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}]})
USER_V2 = json.dumps({"type": "record", "name": "User", "namespace": "shop",
                      "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
                                 {"name": "email", "type": ["null", "string"], "default": None},
                                 {"name": "level", "type": "int", "default": 1}]})


@pytest.fixture
def client(node):
    return SchemaRegistryClient({"url": node.registry_url})


def test_schema_registry_client_calls(client):
    sid = client.register_schema("users-value", Schema(USER_V1, "AVRO"))
    assert client.get_schema(sid).schema_str is not None
    assert json.loads(client.get_schema(sid).schema_str) == json.loads(USER_V1)
    registered = client.lookup_schema("users-value", Schema(USER_V1, "AVRO"))
    assert registered.schema_id == sid and registered.version == 1
    assert client.get_subjects() == ["users-value"]
    assert client.get_latest_version("users-value").schema_id == sid
    assert client.get_version("users-value", 1).schema_id == sid
    assert client.get_versions("users-value") == [1]
    assert client.test_compatibility("users-value", Schema(USER_V2, "AVRO")) is True
    bad = json.dumps({"type": "record", "name": "User", "namespace": "shop", "fields": [{"name": "id", "type": "string"}]})
    assert client.test_compatibility("users-value", Schema(bad, "AVRO")) is False
    with pytest.raises(SchemaRegistryError) as raised:
        client.register_schema("users-value", Schema(bad, "AVRO"))
    assert raised.value.http_status_code == 409
    assert client.set_compatibility("users-value", "FULL")["compatibility"] == "FULL"
    assert client.get_compatibility("users-value") == "FULL"
    assert client.get_subjects_by_schema_id(sid) == ["users-value"]
    assert sorted(client.get_schema_types()) == ["AVRO", "JSON"]
    assert client.delete_subject("users-value") == [1]
    assert client.delete_subject("users-value", permanent=True) == [1]
    # A new client: the first one caches the latest version.
    fresh = SchemaRegistryClient({"url": client._rest_client.base_urls[0]})
    with pytest.raises(SchemaRegistryError) as raised:
        fresh.get_latest_version("users-value")
    assert raised.value.error_code == 40401


def test_avro_serializer_through_the_broker_with_an_evolved_reader(node, client):
    topic = f"users-{uuid.uuid4().hex[:8]}"
    writer = AvroSerializer(client, USER_V1)
    producer = Producer({"bootstrap.servers": node.bootstrap})
    records = [{"id": i, "name": f"user-{i}"} for i in range(25)]
    for record in records:
        producer.produce(topic, value=writer(record, SerializationContext(topic, MessageField.VALUE)))
    assert producer.flush(30) == 0
    # The v2 schema registers as a compatible evolution of v1.
    client.register_schema(f"{topic}-value", Schema(USER_V2, "AVRO"))
    plain = AvroDeserializer(client)
    evolved = AvroDeserializer(client, USER_V2)
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "avro-readers", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    seen = []
    try:
        while len(seen) < len(records):
            message = consumer.poll(10)
            assert message is not None, "timed out waiting for records"
            assert message.error() is None, message.error()
            context = SerializationContext(topic, MessageField.VALUE)
            assert message.value()[0] == 0
            assert plain(message.value(), context) == records[len(seen)]
            seen.append(evolved(message.value(), context))
    finally:
        consumer.close()
    assert seen == [{**r, "email": None, "level": 1} for r in records]


def test_json_serializer_through_the_broker(node, client):
    topic = f"orders-{uuid.uuid4().hex[:8]}"
    schema = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object",
                         "properties": {"id": {"type": "integer"}, "item": {"type": "string"}}, "required": ["id"]})
    serializer = JSONSerializer(schema, client)
    deserializer = JSONDeserializer(schema, schema_registry_client=client)
    producer = Producer({"bootstrap.servers": node.bootstrap})
    orders = [{"id": i, "item": f"thing-{i}"} for i in range(10)]
    for order in orders:
        producer.produce(topic, value=serializer(order, SerializationContext(topic, MessageField.VALUE)))
    assert producer.flush(30) == 0
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "json-readers", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    got = []
    try:
        while len(got) < len(orders):
            message = consumer.poll(10)
            assert message is not None and message.error() is None
            got.append(deserializer(message.value(), SerializationContext(topic, MessageField.VALUE)))
    finally:
        consumer.close()
    assert got == orders
    assert client.get_latest_version(f"{topic}-value").schema.schema_type == "JSON"
