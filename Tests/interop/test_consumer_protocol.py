"""The new consumer rebalance protocol (KIP-848): confluent-kafka consumers with
group.protocol=consumer, assigned by the coordinator's server-side assignor."""
import time
import uuid

import httpx
import pytest
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

from conftest import SluiceNode
from test_consumer_groups import poll_until, setup_topic


@pytest.fixture
def fast_node(tmp_path):
    config = tmp_path / "sluice.properties"
    config.write_text("group.consumer.heartbeat.interval.ms=300\ngroup.consumer.session.timeout.ms=6000\n")
    n = SluiceNode(str(tmp_path / "data"), extra_args=["--config", str(config)]).start()
    try:
        n.wait_healthy()
        yield n
    finally:
        n.stop()


def new_consumer(bootstrap, group, topic):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "group.protocol": "consumer",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    return c


def assignments(consumers):
    return [{tp.partition for tp in c.assignment()} for c in consumers]


def test_consumer_protocol_group_shares_and_moves_partitions(fast_node):
    node = fast_node
    topic = setup_topic(node.bootstrap, partitions=4, records=200)
    group = f"kip848-{uuid.uuid4().hex[:6]}"
    a = new_consumer(node.bootstrap, group, topic)
    b = new_consumer(node.bootstrap, group, topic)
    records = poll_until([a, b], lambda r: len({int(m.value()) for _, m in r}) >= 200 and all(assignments([a, b])))
    assert {int(m.value()) for _, m in records} == set(range(200))
    current = assignments([a, b])
    assert current[0] and current[1] and current[0].isdisjoint(current[1]) and current[0] | current[1] == set(range(4))

    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    listed = admin.list_consumer_groups().result(10)
    assert group in {g.group_id for g in listed.valid}
    description = admin.describe_consumer_groups([group])[group].result(10)
    assert len(description.members) == 2
    report = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()
    assert report["protocolType"] == "consumer" and len(report["members"]) == 2 and report["state"] == "Stable"

    a.commit(offsets=[TopicPartition(topic, p, 10) for p in current[0]], asynchronous=False)
    b.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and assignments([a])[0] != set(range(4)):
        a.poll(0.1)
    assert assignments([a])[0] == set(range(4))
    committed = a.committed([TopicPartition(topic, p) for p in current[0]], timeout=10)
    assert all(tp.offset == 10 for tp in committed)
    a.close()
