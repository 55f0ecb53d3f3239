"""The Swift client (KafkaClient, driven by the sluice-client-check tool) against the real
`sluice serve`, checked byte for byte against confluent-kafka and kafka-python both ways: what
the Swift producer writes the Python clients read unchanged, and what they write the Swift
consumer reads unchanged, for every codec."""
import os
import random
import subprocess
import uuid

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from kafka import KafkaConsumer as PyConsumer
from kafka import KafkaProducer as PyProducer
from kafka import TopicPartition as PyTopicPartition
from kafka import codec as py_codec

CHECK_BIN = os.environ.get(
    "SLUICE_CLIENT_CHECK", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice-client-check"))
CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
# kafka-python reads and writes the codecs whose Python libraries are installed (gzip always).
PY_CODECS = {"none", "gzip"} | {name for name in ("snappy", "lz4", "zstd") if getattr(py_codec, f"has_{name}")()}


def topic_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_topic(bootstrap, name, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])[name].result(15)


def check(*args, input_text=None, timeout=90):
    result = subprocess.run([CHECK_BIN, *args], input=input_text, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"sluice-client-check {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
    return result.stdout


def random_records(count, seed):
    """Keys, values and headers with the cases that break codecs: null and empty keys and
    values, binary bytes, several headers, a header with a null value."""
    rng = random.Random(seed)
    records = []
    for i in range(count):
        key = None if i % 7 == 0 else (b"" if i % 11 == 0 else bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20))))
        value = None if i % 13 == 0 else bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 100, 3000])))
        headers = [] if i % 3 else [("h1", bytes([i % 256])), ("trace", b"x" * (i % 5)), ("nothing", None)]
        records.append((key, value, headers))
    return records


def to_hex(data):
    return "-" if data is None else data.hex()


def from_hex(text):
    return None if text == "-" else bytes.fromhex(text)


def parse_consumed(stdout):
    """Lines of `partition offset timestamp key value headers` from the Swift consumer."""
    out = []
    for line in stdout.splitlines():
        partition, offset, _, key, value, headers = line.split("\t")
        parsed = []
        if headers:
            for pair in headers.split(","):
                name, data = pair.split("=", 1)
                parsed.append((name, from_hex(data)))
        out.append((int(partition), int(offset), from_hex(key), from_hex(value), parsed))
    return out


def confluent_read(bootstrap, topic, partitions, expected):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    seen = []
    for _ in range(200):
        if len(seen) >= expected:
            break
        for message in consumer.consume(500, 0.2):
            assert message.error() is None, message.error()
            seen.append((message.partition(), message.offset(), message.key(), message.value(),
                         [(k, v) for k, v in (message.headers() or [])]))
    consumer.close()
    return sorted(seen, key=repr)


def kafka_python_read(bootstrap, topic, partitions, expected):
    consumer = PyConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=15000)
    consumer.assign([PyTopicPartition(topic, p) for p in range(partitions)])
    consumer.seek_to_beginning()
    seen = []
    for message in consumer:
        seen.append((message.partition, message.offset, message.key, message.value,
                     [(k, v) for k, v in message.headers]))
        if len(seen) >= expected:
            break
    consumer.close()
    return sorted(seen, key=repr)


@pytest.mark.parametrize("codec", CODECS)
def test_swift_producer_is_read_byte_identical_by_confluent_and_kafka_python(node, codec):
    topic = topic_name(f"swift-out-{codec}")
    create_topic(node.bootstrap, topic, 3)
    records = random_records(120, seed=len(codec))
    lines = "".join(f"{to_hex(k)}\t{to_hex(v)}\t{','.join(f'{n}={to_hex(d)}' for n, d in h)}\n" for k, v, h in records)
    placed = [tuple(map(int, line.split("\t"))) for line in
              check("produce", "--bootstrap", node.bootstrap, "--topic", topic, "--compression", codec,
                    "--linger-ms", "20", input_text=lines).splitlines()]
    assert len(placed) == len(records)
    expected = sorted(((p, o, k, v, h) for (p, o), (k, v, h) in zip(placed, records)), key=repr)
    assert len({(p, o) for p, o, *_ in expected}) == len(records), "every record has its own offset"
    assert confluent_read(node.bootstrap, topic, 3, len(records)) == expected
    if codec in PY_CODECS:
        assert kafka_python_read(node.bootstrap, topic, 3, len(records)) == expected


@pytest.mark.parametrize("codec", CODECS)
def test_python_producers_are_read_byte_identical_by_the_swift_consumer(node, codec):
    topic = topic_name(f"swift-in-{codec}")
    create_topic(node.bootstrap, topic, 2)
    records = random_records(80, seed=100 + len(codec))
    confluent = Producer({"bootstrap.servers": node.bootstrap, "compression.type": codec, "linger.ms": 10})
    for key, value, headers in records[:40]:
        confluent.produce(topic, key=key, value=value, headers=headers or None)
    assert confluent.flush(30) == 0
    python = PyProducer(bootstrap_servers=node.bootstrap, compression_type=codec if codec in PY_CODECS - {"none"} else None)
    # kafka-python cannot send a header with a null value: those become empty in its share.
    records[40:] = [(k, v, [(n, b"" if d is None else d) for n, d in h]) for k, v, h in records[40:]]
    for key, value, headers in records[40:]:
        python.send(topic, key=key, value=value, headers=headers)
    python.flush(30)
    python.close()
    consumed = parse_consumed(check("consume", "--bootstrap", node.bootstrap, "--topic", topic, "--count", str(len(records)),
                                    "--idle-ms", "15000"))
    got = sorted(((k, v, h) for _, _, k, v, h in consumed), key=repr)
    assert got == sorted(((k, v, list(h)) for k, v, h in records), key=repr)
    assert len({(p, o) for p, o, *_ in consumed}) == len(records)
    # Each partition reads in offset order.
    for partition in (0, 1):
        offsets = [o for p, o, *_ in consumed if p == partition]
        assert offsets == sorted(offsets)


@pytest.mark.parametrize("acks", ["0", "1", "all"])
def test_swift_producer_acks_and_keyed_partitioning_match_java(node, acks):
    topic = topic_name(f"swift-acks-{acks}")
    create_topic(node.bootstrap, topic, 6)
    keys = [f"key-{i}".encode() for i in range(60)]
    lines = "".join(f"{k.hex()}\t{(b'v' * 10).hex()}\t\n" for k in keys)
    placed = check("produce", "--bootstrap", node.bootstrap, "--topic", topic, "--acks", acks, input_text=lines).splitlines()
    partitions = [int(line.split("\t")[0]) for line in placed]
    # librdkafka's murmur2_random partitioner is Java's default partitioner for keyed records.
    probe = Producer({"bootstrap.servers": node.bootstrap, "partitioner": "murmur2_random"})
    seen = {}
    for key in keys:
        probe.produce(topic, key=key, value=b"probe",
                      on_delivery=lambda err, msg: seen.__setitem__(msg.key(), msg.partition()))
    probe.flush(30)
    assert partitions == [seen[key] for key in keys]
    consumed = confluent_read(node.bootstrap, topic, 6, 2 * len(keys))
    assert sum(1 for *_, value, _ in consumed if value == b"v" * 10) == len(keys)
