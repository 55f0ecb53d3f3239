"""Python and Swift on one topic, both directions, in Confluent's wire format.

1. confluent-kafka's AvroSerializer writes User v1 records; the Swift evolving consumer reads
   them into User v2 (new fields from their defaults).
2. The Swift typed producer writes User v1 records; confluent-kafka's AvroDeserializer reads them.

    .venv/bin/python examples/python-interop/interop.py     (against `make serve`, after `swift build`)

SLUICE_BOOTSTRAP / SLUICE_REGISTRY choose the node, EXAMPLES_BIN the folder of the built
examples (default .build/debug).
"""
import json
import os
import pathlib
import subprocess
import sys
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

root = pathlib.Path(__file__).resolve().parents[2]
bootstrap = os.environ.get("SLUICE_BOOTSTRAP", "127.0.0.1:9092")
registry = SchemaRegistryClient({"url": os.environ.get("SLUICE_REGISTRY", "http://127.0.0.1:8081")})
examples = pathlib.Path(os.environ.get("EXAMPLES_BIN", root / ".build" / "debug"))
user_v1 = (root / "schemas" / "user-v1.avsc").read_text()
run = uuid.uuid4().hex[:8]


def python_to_swift():
    topic = f"py-to-swift-{run}"
    serializer = AvroSerializer(registry, user_v1)
    producer = Producer({"bootstrap.servers": bootstrap})
    for user in ({"id": 10, "name": "Ada", "tags": ["py"]}, {"id": 11, "name": "Linus", "tags": []}):
        producer.produce(topic, key=str(user["id"]),
                         value=serializer(user, SerializationContext(topic, MessageField.VALUE)))
    producer.flush(10)
    out = subprocess.run([str(examples / "example-evolving-consumer"), topic, "--consume-only", "--count", "2"],
                         capture_output=True, text=True, timeout=60, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def swift_to_python():
    topic = f"swift-to-py-{run}"
    subprocess.run([str(examples / "example-typed-producer"), topic], capture_output=True, timeout=60, check=True)
    deserializer = AvroDeserializer(registry)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"interop-{run}",
                         "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    users = []
    while len(users) < 3:
        message = consumer.poll(10)
        if message is None:
            break
        if message.error():
            continue
        users.append(deserializer(message.value(), SerializationContext(topic, MessageField.VALUE)))
    consumer.close()
    return users


if __name__ == "__main__":
    read_by_swift = python_to_swift()
    read_by_python = swift_to_python()
    for user in read_by_swift:
        print(json.dumps({"read_by": "swift", **user}, sort_keys=True))
    for user in read_by_python:
        print(json.dumps({"read_by": "python", **user}, sort_keys=True))
    sys.exit(0 if len(read_by_swift) == 2 and len(read_by_python) == 3 else 1)
