"""The broker as Kafka clients see it: confluent-kafka (librdkafka 2.16), kafka-python, aiokafka
and Debian's kcat (librdkafka 2.0.2) produce and consume against the real `sluice` binary."""
import asyncio
import subprocess
import time
import uuid

import pytest
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import SluiceNode

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def topic_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_topic(bootstrap, name, partitions=1, config=None):
    admin = AdminClient({"bootstrap.servers": bootstrap})  # must outlive the future
    futures = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1, config=config or {})])
    futures[name].result(15)


def consume_all(bootstrap, topic, partitions, expected, timeout=30, start_offset=0):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, start_offset) for p in range(partitions)])
    messages = []
    deadline = time.monotonic() + timeout
    while len(messages) < expected and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        assert message.error() is None, message.error()
        messages.append(message)
    consumer.close()
    return messages


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("acks", ["0", "1", "all"])
def test_confluent_kafka_round_trip(node, codec, acks):
    topic = topic_name("ck")
    create_topic(node.bootstrap, topic, partitions=3)
    producer = Producer({"bootstrap.servers": node.bootstrap, "acks": acks, "compression.type": codec, "linger.ms": 5})
    failures = []
    base_ts = 1_700_000_000_000
    for i in range(1000):
        producer.produce(topic, key=f"key-{i % 37}".encode(), value=f"value-{i}".encode(), timestamp=base_ts + i,
                         headers=[("seq", str(i).encode()), ("empty", b"")],
                         on_delivery=lambda err, msg: failures.append(err) if err else None)
    assert producer.flush(30) == 0
    assert failures == []
    messages = consume_all(node.bootstrap, topic, 3, 1000)
    assert len(messages) == 1000
    by_seq = {int(dict(m.headers())["seq"]): m for m in messages}
    assert sorted(by_seq) == list(range(1000))
    for i, message in by_seq.items():
        assert message.value() == f"value-{i}".encode()
        assert message.key() == f"key-{i % 37}".encode()
        assert message.timestamp()[1] == base_ts + i
        assert dict(message.headers())["empty"] == b""
    # The default partitioner keeps one key in one partition.
    partitions_of_key = {}
    for message in messages:
        partitions_of_key.setdefault(message.key(), set()).add(message.partition())
    assert all(len(p) == 1 for p in partitions_of_key.values())


def test_idempotent_producer_writes_each_record_once(node):
    topic = topic_name("idem")
    create_topic(node.bootstrap, topic)
    producer = Producer({"bootstrap.servers": node.bootstrap, "enable.idempotence": True, "linger.ms": 2})
    for i in range(500):
        producer.produce(topic, value=str(i).encode())
    assert producer.flush(30) == 0
    messages = consume_all(node.bootstrap, topic, 1, 500, timeout=20)
    assert [int(m.value()) for m in messages] == list(range(500))
    assert [m.offset() for m in messages] == list(range(500))


def test_kafka_python_and_aiokafka_interoperate_with_librdkafka(node):
    from kafka import KafkaConsumer, KafkaProducer
    from kafka import TopicPartition as KTP
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
    from aiokafka.structs import TopicPartition as ATP

    topic = topic_name("cross")
    create_topic(node.bootstrap, topic)
    # kafka-python is idempotent by default: it needs InitProducerId.
    producer = KafkaProducer(bootstrap_servers=node.bootstrap, compression_type="gzip")
    for i in range(100):
        producer.send(topic, key=b"kp", value=b"kafka-python-%d" % i)
    producer.flush()
    producer.close()

    async def aio():
        p = AIOKafkaProducer(bootstrap_servers=node.bootstrap)
        await p.start()
        for i in range(100):
            await p.send_and_wait(topic, key=b"aio", value=b"aiokafka-%d" % i)
        await p.stop()
        c = AIOKafkaConsumer(bootstrap_servers=node.bootstrap, enable_auto_commit=False)
        await c.start()
        c.assign([ATP(topic, 0)])
        c.seek(ATP(topic, 0), 0)
        values = []
        deadline = time.monotonic() + 20
        while len(values) < 200 and time.monotonic() < deadline:
            for records in (await c.getmany(timeout_ms=500)).values():
                values += [r.value for r in records]
        await c.stop()
        return values

    aio_values = asyncio.run(aio())
    assert aio_values[:100] == [b"kafka-python-%d" % i for i in range(100)]
    assert aio_values[100:] == [b"aiokafka-%d" % i for i in range(100)]

    consumer = KafkaConsumer(bootstrap_servers=node.bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000)
    consumer.assign([KTP(topic, 0)])
    consumer.seek(KTP(topic, 0), 0)
    assert [r.value for r in consumer] == aio_values
    consumer.close()
    # And librdkafka reads what the Python clients wrote.
    assert [m.value() for m in consume_all(node.bootstrap, topic, 1, 200)] == aio_values


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_kcat_librdkafka_2_0_produces_and_consumes(node, codec):
    topic = topic_name("kcat")
    lines = "".join(f"k{i}:v{i}\n" for i in range(50))
    produce = subprocess.run(["kcat", "-b", node.bootstrap, "-t", topic, "-P", "-K:", "-z", codec],
                             input=lines, capture_output=True, text=True, timeout=60)
    assert produce.returncode == 0, produce.stderr
    consume = subprocess.run(["kcat", "-b", node.bootstrap, "-t", topic, "-C", "-e", "-f", "%k=%s\n"],
                             capture_output=True, text=True, timeout=60)
    assert consume.returncode == 0, consume.stderr
    assert consume.stdout.splitlines() == [f"k{i}=v{i}" for i in range(50)]


def test_offsets_for_times_mid_batch_start_and_a_large_record(node):
    topic = topic_name("misc")
    create_topic(node.bootstrap, topic)
    producer = Producer({"bootstrap.servers": node.bootstrap, "linger.ms": 50, "message.max.bytes": 2_000_000})
    for i in range(10):
        producer.produce(topic, value=b"m%d" % i, timestamp=1_000_000 + i * 10)
    big = bytes(range(256)) * (900 * 1024 // 256)
    producer.produce(topic, value=big, timestamp=2_000_000)
    assert producer.flush(30) == 0

    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "unused"})
    found = consumer.offsets_for_times([TopicPartition(topic, 0, 1_000_045)], timeout=10)
    assert found[0].offset == 5  # the first record at or after the timestamp, inside a batch
    low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
    assert (low, high) == (0, 11)
    consumer.close()
    # Start in the middle of the first batch.
    messages = consume_all(node.bootstrap, topic, 1, 6, start_offset=5)
    assert [m.offset() for m in messages] == [5, 6, 7, 8, 9, 10]
    assert messages[-1].value() == big


def test_empty_topic_reaches_end_of_partition(node):
    topic = topic_name("empty")
    create_topic(node.bootstrap, topic)
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "unused", "enable.partition.eof": True})
    consumer.assign([TopicPartition(topic, 0, 0)])
    deadline = time.monotonic() + 15
    eof = False
    while not eof and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None:
            assert message.error() is not None and message.error().code() == KafkaError._PARTITION_EOF
            eof = True
    consumer.close()
    assert eof


def test_nothing_is_lost_across_a_restart(data_dir):
    first = SluiceNode(data_dir).start()
    first.wait_healthy()
    topic = topic_name("restart")
    create_topic(first.bootstrap, topic, partitions=2)
    producer = Producer({"bootstrap.servers": first.bootstrap, "acks": "all"})
    for i in range(300):
        producer.produce(topic, key=str(i).encode(), value=str(i).encode())
    assert producer.flush(30) == 0
    assert first.stop() == 0
    second = SluiceNode(data_dir).start()
    try:
        second.wait_healthy()
        values = sorted(int(m.value()) for m in consume_all(second.bootstrap, topic, 2, 300))
        assert values == list(range(300))
    finally:
        second.stop()


def test_acks_all_survives_kill_9(data_dir):
    first = SluiceNode(data_dir).start()
    first.wait_healthy()
    topic = topic_name("kill9")
    create_topic(first.bootstrap, topic)
    producer = Producer({"bootstrap.servers": first.bootstrap, "acks": "all", "linger.ms": 1})
    delivered = []
    for i in range(200):
        producer.produce(topic, value=str(i).encode(), on_delivery=lambda e, m: delivered.append(m.offset()) if not e else None)
    assert producer.flush(30) == 0
    first.process.kill()
    first.process.wait()
    second = SluiceNode(data_dir).start()
    try:
        second.wait_healthy()
        offsets = [m.offset() for m in consume_all(second.bootstrap, topic, 1, len(delivered))]
        assert sorted(delivered) == offsets
    finally:
        second.stop()


def test_admin_create_and_delete_topics_with_kafka_errors(node):
    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    name = topic_name("admin")
    admin.create_topics([NewTopic(name, num_partitions=4, replication_factor=1, config={"retention.ms": "60000"})])[name].result(15)
    metadata = admin.list_topics(timeout=10)
    assert len(metadata.topics[name].partitions) == 4
    with pytest.raises(Exception) as exists:
        admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)])[name].result(15)
    assert "TOPIC_ALREADY_EXISTS" in str(exists.value)
    with pytest.raises(Exception) as invalid:
        admin.create_topics([NewTopic("bad name!", num_partitions=1, replication_factor=1)])["bad name!"].result(15)
    assert "val=17" in str(invalid.value) and "contains" in str(invalid.value)  # INVALID_TOPIC_EXCEPTION, with the reason
    bad = topic_name("cfg")
    with pytest.raises(Exception) as config:
        admin.create_topics([NewTopic(bad, num_partitions=1, replication_factor=1,
                                      config={"retention.ms": "soon"})])[bad].result(15)
    assert "retention.ms" in str(config.value)
    admin.delete_topics([name])[name].result(15)
    assert name not in admin.list_topics(timeout=10).topics
