"""Consumer groups with real clients: assignment, rebalance on leave, commits, restart."""
import asyncio
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import SluiceNode


def setup_topic(bootstrap, partitions=6, records=600):
    topic = f"grp-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(15)
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(records):
        producer.produce(topic, key=str(i).encode(), value=str(i).encode())
    assert producer.flush(15) == 0
    return topic


def consumer(bootstrap, group, topic, **extra):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "session.timeout.ms": 6000, **extra})
    c.subscribe([topic])
    return c


def poll_until(consumers, predicate, timeout=40):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate(seen):
        for c in consumers:
            message = c.poll(0.1)
            if message is not None and message.error() is None:
                seen.append((c, message))
    return seen


def test_three_consumers_share_partitions_and_rebalance_when_one_leaves(node):
    topic = setup_topic(node.bootstrap)
    group = f"g-{uuid.uuid4().hex[:6]}"
    consumers = [consumer(node.bootstrap, group, topic) for _ in range(3)]
    seen = poll_until(consumers, lambda s: len({int(m.value()) for _, m in s}) >= 600)
    assert {int(m.value()) for _, m in seen} == set(range(600))
    assignments = [{tp.partition for tp in c.assignment()} for c in consumers]
    assert set().union(*assignments) == set(range(6))
    assert sum(len(a) for a in assignments) == 6, assignments  # disjoint
    # Each consumer only got records of its own partitions.
    for c, message in seen:
        assert message.partition() in {tp.partition for tp in c.assignment()}

    consumers[2].close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for c in consumers[:2]:
            c.poll(0.1)
        if set().union(*[{tp.partition for tp in c.assignment()} for c in consumers[:2]]) == set(range(6)):
            break
    assert set().union(*[{tp.partition for tp in c.assignment()} for c in consumers[:2]]) == set(range(6))
    for c in consumers[:2]:
        c.close()


def test_committed_offsets_resume_a_new_consumer_and_survive_a_restart(data_dir):
    first = SluiceNode(data_dir).start()
    first.wait_healthy()
    topic = setup_topic(first.bootstrap, partitions=1, records=100)
    group = "resume-group"
    c = consumer(first.bootstrap, group, topic)
    seen = poll_until([c], lambda s: len(s) >= 50)
    half = seen[49][1]
    c.commit(message=half, asynchronous=False)  # commits offset 50
    c.close()

    c = consumer(first.bootstrap, group, topic)
    rest = poll_until([c], lambda s: len(s) >= 50, timeout=30)
    assert [int(m.value()) for _, m in rest][:50] == list(range(50, 100))
    c.close()
    assert first.stop() == 0

    second = SluiceNode(data_dir).start()
    try:
        second.wait_healthy()
        c = Consumer({"bootstrap.servers": second.bootstrap, "group.id": group})
        committed = c.committed([TopicPartition(topic, 0)], timeout=10)
        assert committed[0].offset == 50
        c.close()
        fresh = Consumer({"bootstrap.servers": second.bootstrap, "group.id": "never-committed"})
        assert fresh.committed([TopicPartition(topic, 0)], timeout=10)[0].offset < 0  # -1001: no commit
        fresh.close()
    finally:
        second.stop()


def test_commit_metadata_round_trips(node):
    topic = setup_topic(node.bootstrap, partitions=1, records=1)
    c = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "meta-group"})
    c.commit(offsets=[TopicPartition(topic, 0, 1, metadata="checkpoint-7")], asynchronous=False)
    committed = c.committed([TopicPartition(topic, 0)], timeout=10)[0]
    assert (committed.offset, committed.metadata) == (1, "checkpoint-7")
    c.close()


def test_kafka_python_and_aiokafka_groups(node):
    from kafka import KafkaConsumer
    from aiokafka import AIOKafkaConsumer

    topic = setup_topic(node.bootstrap, partitions=2, records=50)
    kc = KafkaConsumer(topic, bootstrap_servers=node.bootstrap, group_id="kp-group", auto_offset_reset="earliest",
                       enable_auto_commit=False, consumer_timeout_ms=15000)
    values = set()
    for record in kc:
        values.add(int(record.value))
        if len(values) == 50:
            break
    kc.commit()
    kc.close()
    assert values == set(range(50))

    async def aio():
        c = AIOKafkaConsumer(topic, bootstrap_servers=node.bootstrap, group_id="aio-group",
                             auto_offset_reset="earliest", enable_auto_commit=False)
        await c.start()
        got = set()
        deadline = time.monotonic() + 30
        while len(got) < 50 and time.monotonic() < deadline:
            for records in (await c.getmany(timeout_ms=500)).values():
                got.update(int(r.value) for r in records)
        await c.commit()
        await c.stop()
        return got

    assert asyncio.run(aio()) == set(range(50))
