"""Group administration with real admin clients (confluent-kafka's AdminClient, kafka-python's
KafkaAdminClient), lag on the admin port, static membership and kill -9 expiry."""
import os
import signal
import subprocess
import sys
import time
import uuid

import httpx
from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient
from kafka import TopicPartition as KafkaTopicPartition, errors
from kafka.admin import KafkaAdminClient
from kafka.structs import OffsetAndMetadata

from test_consumer_groups import consumer, poll_until, setup_topic


def wait_stable(admin, group, members, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        description = admin.describe_consumer_groups([group])[group].result(10)
        if str(description.state).endswith("STABLE") and len(description.members) == members:
            return description
        time.sleep(0.2)
    raise AssertionError(f"{group} not stable with {members} members: {description}")


def test_list_describe_delete_and_lag(node):
    topic = setup_topic(node.bootstrap, partitions=4, records=400)
    group = f"adm-{uuid.uuid4().hex[:6]}"
    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    c = consumer(node.bootstrap, group, topic)
    seen = poll_until([c], lambda s: len(s) >= 400)
    assert len(seen) >= 400
    # Commit half of each partition.
    committed = {p: 50 for p in range(4)}
    c.commit(offsets=[TopicPartition(topic, p, o) for p, o in committed.items()], asynchronous=False)

    listed = admin.list_consumer_groups().result(10)
    assert group in {g.group_id for g in listed.valid}
    description = wait_stable(admin, group, 1)
    assert description.members[0].assignment.topic_partitions
    assert {tp.partition for tp in description.members[0].assignment.topic_partitions} == set(range(4))

    offsets = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)])[group].result(10)
    assert {tp.partition: tp.offset for tp in offsets.topic_partitions} == committed

    # Lag on the admin port: end offset minus committed, per partition.
    report = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()
    assert report["state"] == "Stable" and len(report["members"]) == 1
    ends = {}
    for partition in report["partitions"]:
        assert partition["committedOffset"] == 50
        assert partition["lag"] == partition["endOffset"] - 50
        ends[partition["partition"]] = partition["endOffset"]
    # The end offsets are the partitions' high watermarks, as a client sees them.
    for p in range(4):
        assert ends[p] == c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
    assert report["totalLag"] == sum(ends.values()) - 200
    assert group in {g["groupId"] for g in httpx.get(f"{node.admin_url}/v1/groups").json()["groups"]}
    assert httpx.get(f"{node.admin_url}/v1/groups/nope").status_code == 404

    # A group with members cannot be deleted, nor offsets of a subscribed topic.
    result = admin.delete_consumer_groups([group])[group]
    try:
        result.result(10)
        raise AssertionError("deleted a group with members")
    except Exception as error:  # noqa: BLE001 - the client raises KafkaException
        assert "NON_EMPTY_GROUP" in str(error)
    c.close()

    # kafka-python's admin sees the same.
    kp = KafkaAdminClient(bootstrap_servers=node.bootstrap)
    try:
        assert {"group_id": group, "protocol_type": "consumer", "group_state": "Empty", "group_type": "classic"} in kp.list_groups()
        kp_offsets = kp.list_group_offsets(group)[group]
        assert {tp.partition: meta.offset for tp, meta in kp_offsets.items()} == committed
        assert kp.describe_groups([group])[group]["group_state"] == "Empty"
    finally:
        kp.close()

    admin.alter_consumer_group_offsets([ConsumerGroupTopicPartitions(group, [TopicPartition(topic, 0, 75)])])[group].result(10)
    offsets = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)])[group].result(10)
    assert {tp.partition: tp.offset for tp in offsets.topic_partitions}[0] == 75
    admin.delete_consumer_groups([group])[group].result(10)
    assert group not in {g.group_id for g in admin.list_consumer_groups().result(10).valid}
    assert httpx.get(f"{node.admin_url}/v1/groups/{group}").status_code == 404


def test_offset_delete(node):
    topic = setup_topic(node.bootstrap, partitions=2, records=10)
    other = setup_topic(node.bootstrap, partitions=1, records=1)
    group = f"od-{uuid.uuid4().hex[:6]}"
    c = consumer(node.bootstrap, group, topic)
    poll_until([c], lambda s: len(s) >= 10)
    c.commit(offsets=[TopicPartition(topic, 0, 5), TopicPartition(topic, 1, 5), TopicPartition(other, 0, 1)], asynchronous=False)
    kp = KafkaAdminClient(bootstrap_servers=node.bootstrap)
    try:
        described = kp.describe_groups([group])[group]
        assert described["members"][0]["client_host"] == "/127.0.0.1"
        assert described["members"][0]["member_metadata"]["topics"] == [topic]
        # OffsetDelete: refused for the topic the member subscribes to, done for the other.
        results = kp.delete_group_offsets(group, [KafkaTopicPartition(topic, 0), KafkaTopicPartition(other, 0)])
        assert results[KafkaTopicPartition(topic, 0)] is errors.GroupSubscribedToTopicError
        assert results[KafkaTopicPartition(other, 0)] is errors.NoError
        assert set(kp.list_group_offsets(group)[group]) == {KafkaTopicPartition(topic, 0), KafkaTopicPartition(topic, 1)}
        c.close()
        # kafka-python's alter and delete.
        kp.alter_group_offsets(group, {KafkaTopicPartition(topic, 0): OffsetAndMetadata(3, "", -1)})
        assert kp.list_group_offsets(group)[group][KafkaTopicPartition(topic, 0)].offset == 3
        assert kp.delete_groups([group]) == {group: "OK"}
        assert group not in {g["group_id"] for g in kp.list_groups()}
    finally:
        kp.close()


def test_static_member_restart_causes_no_rebalance(node):
    topic = setup_topic(node.bootstrap, partitions=4, records=40)
    group = f"static-{uuid.uuid4().hex[:6]}"
    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    extra = {"session.timeout.ms": 10000}
    a = consumer(node.bootstrap, group, topic, **{"group.instance.id": "a", **extra})
    b = consumer(node.bootstrap, group, topic, **{"group.instance.id": "b", **extra})
    poll_until([a, b], lambda s: len(s) >= 40)
    before = wait_stable(admin, group, 2)
    generation = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()["generation"]
    b_assignment = {tp.partition for tp in b.assignment()}
    # A static member's close does not leave the group; the same instance comes back at once.
    b.close()
    b = consumer(node.bootstrap, group, topic, **{"group.instance.id": "b", **extra})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not b.assignment():
        a.poll(0.1)
        b.poll(0.1)
    assert {tp.partition for tp in b.assignment()} == b_assignment
    report = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()
    assert report["generation"] == generation, "the static rejoin caused a rebalance"
    assert report["state"] == "Stable" and len(before.members) == 2
    a.close()
    b.close()


CHILD = """
import sys, time
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2], "auto.offset.reset": "earliest",
              "session.timeout.ms": 6000})
c.subscribe([sys.argv[3]])
while True:
    c.poll(0.2)
    if c.assignment():
        print("assigned", flush=True)
"""


def test_a_killed_consumer_is_expired_and_its_partitions_move(node):
    topic = setup_topic(node.bootstrap, partitions=4, records=40)
    group = f"kill-{uuid.uuid4().hex[:6]}"
    child = subprocess.Popen([sys.executable, "-c", CHILD, node.bootstrap, group, topic],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "assigned"
        survivor = consumer(node.bootstrap, group, topic, **{"session.timeout.ms": 6000})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(httpx.get(f"{node.admin_url}/v1/groups/{group}").json()["members"]) < 2:
            survivor.poll(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        killed_at = time.monotonic()
        # Within session.timeout.ms (6 s) plus slack, the survivor owns every partition.
        while time.monotonic() - killed_at < 20 and {tp.partition for tp in survivor.assignment()} != set(range(4)):
            survivor.poll(0.1)
        assert {tp.partition for tp in survivor.assignment()} == set(range(4))
        assert time.monotonic() - killed_at < 6 + 10
        survivor.close()
    finally:
        if child.poll() is None:
            child.kill()


def test_group_membership_survives_a_broker_restart(data_dir):
    """The group-metadata record lets the restarted coordinator take the group over: members
    keep heartbeating in their generation, so nobody rebalances."""
    from conftest import SluiceNode

    node = SluiceNode(data_dir).start()
    node.wait_healthy()
    topic = setup_topic(node.bootstrap, partitions=2, records=10)
    group = f"restart-{uuid.uuid4().hex[:6]}"
    c = consumer(node.bootstrap, group, topic, **{"session.timeout.ms": 30000, "heartbeat.interval.ms": 500})
    poll_until([c], lambda s: len(s) >= 10)
    before = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()
    assert before["state"] == "Stable"
    assert node.stop() == 0
    node = SluiceNode(data_dir, kafka_port=node.kafka_port).start()
    try:
        node.wait_healthy()
        restored = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()
        assert restored["state"] == "Stable" and restored["generation"] == before["generation"]
        assert [m["memberId"] for m in restored["members"]] == [m["memberId"] for m in before["members"]]
        # The client reconnects and heartbeats on: still the same generation a few heartbeats later.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            c.poll(0.1)
        after = httpx.get(f"{node.admin_url}/v1/groups/{group}").json()
        assert after["generation"] == before["generation"] and after["state"] == "Stable"
        assert {tp.partition for tp in c.assignment()} == {0, 1}
        c.close()
    finally:
        node.stop()
