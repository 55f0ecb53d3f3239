"""The scale claim, scaled down for `make test` (the figures are `make bench-scale`'s): 1,000
partitions are created through CreateTopics, each gets records, the node restarts (cleanly, then
after kill -9), and a consumer assigned all 1,000 partitions reads every record back."""
import signal

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import SluiceNode

TOPICS, PARTITIONS, RECORDS = 10, 100, 3


def produce_everywhere(bootstrap, names, round_):
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
    failures = []
    for name in names:
        for partition in range(PARTITIONS):
            for i in range(RECORDS):
                producer.produce(name, f"{round_}-{partition}-{i}".encode(), key=str(i).encode(), partition=partition,
                                 on_delivery=lambda err, msg: err and failures.append(err))
        producer.poll(0)
    assert producer.flush(60) == 0
    assert failures == []


def consume_everything(bootstrap, names, expected):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "scale-check", "enable.auto.commit": False})
    consumer.assign([TopicPartition(n, p, 0) for n in names for p in range(PARTITIONS)])
    got = {}
    try:
        for _ in range(120):
            for message in consumer.consume(10000, 1.0):
                assert message.error() is None, message.error()
                got.setdefault((message.topic(), message.partition()), []).append(message.value().decode())
            if sum(len(v) for v in got.values()) >= expected:
                break
    finally:
        consumer.close()
    return got


def test_a_thousand_partitions_survive_restarts(data_dir):
    node = SluiceNode(data_dir).start()
    names = [f"scale-{i}" for i in range(TOPICS)]
    try:
        node.wait_healthy()
        admin = AdminClient({"bootstrap.servers": node.bootstrap})
        for future in admin.create_topics([NewTopic(n, PARTITIONS, 1) for n in names], request_timeout=60).values():
            future.result(60)
        metadata = admin.list_topics(timeout=30)
        assert sum(len(metadata.topics[n].partitions) for n in names) == TOPICS * PARTITIONS

        produce_everywhere(node.bootstrap, names, "a")
        assert node.stop() == 0
        node.start().wait_healthy()
        produce_everywhere(node.bootstrap, names, "b")
        node.stop(signal.SIGKILL)
        node.start().wait_healthy()

        got = consume_everything(node.bootstrap, names, 2 * TOPICS * PARTITIONS * RECORDS)
        assert len(got) == TOPICS * PARTITIONS
        for (topic, partition), values in got.items():
            assert values == [f"{r}-{partition}-{i}" for r in "ab" for i in range(RECORDS)], (topic, partition)
    finally:
        if node.process.poll() is None:
            node.process.kill()
            node.process.wait()
