"""Swift consumer groups and the Swift admin client against the real `sluice serve`: two Swift
consumers in one group rebalance (range and cooperative-sticky) and together read every record
exactly once; admin verbs create, describe, alter and delete, and group lag matches what was
committed."""
import os
import subprocess
import time

import pytest
from confluent_kafka import Consumer, TopicPartition

from test_swift_client import CHECK_BIN, check, create_topic, parse_consumed, topic_name


def produce(bootstrap, topic, start, count):
    lines = "".join(f"{f'k{i}'.encode().hex()}\t{f'value-{i}'.encode().hex()}\t\n" for i in range(start, start + count))
    check("produce", "--bootstrap", bootstrap, "--topic", topic, "--acks", "all", input_text=lines)


def start_consumer(bootstrap, topic, group, strategy, tmp_path, name):
    out = open(tmp_path / f"{name}.out", "w")
    err_path = tmp_path / f"{name}.err"
    process = subprocess.Popen(
        [CHECK_BIN, "consume", "--bootstrap", bootstrap, "--topic", topic, "--group", group, "--strategy", strategy,
         "--idle-ms", "6000", "--heartbeat-ms", "300", "--commit-ms", "300"],
        stdout=out, stderr=open(err_path, "w"))
    return process, out, err_path


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def assignments(err_path):
    return [line.split()[1:] for line in open(err_path).read().splitlines() if line.startswith("assigned")]


@pytest.mark.parametrize("strategy", ["range", "cooperative-sticky"])
def test_two_swift_consumers_rebalance_and_read_everything_once(node, tmp_path, strategy):
    topic = topic_name(f"swift-group-{strategy}")
    group = f"g-{topic}"
    create_topic(node.bootstrap, topic, 4)
    produce(node.bootstrap, topic, 0, 200)
    a, a_out, a_err = start_consumer(node.bootstrap, topic, group, strategy, tmp_path, "a")
    try:
        wait_for(lambda: assignments(a_err) and len(assignments(a_err)[0]) == 4, 30, "the first member to own all 4 partitions")
        b, b_out, b_err = start_consumer(node.bootstrap, topic, group, strategy, tmp_path, "b")
        try:
            def split_between_both():
                return sum(len(p) for p in assignments(b_err)) == 2
            wait_for(split_between_both, 40, "the rebalance to give the second member 2 partitions")
            produce(node.bootstrap, topic, 200, 200)
            assert a.wait(60) == 0 and b.wait(60) == 0
        finally:
            if b.poll() is None:
                b.kill()
    finally:
        if a.poll() is None:
            a.kill()
    a_out.close()
    b_out.close()
    records = parse_consumed(open(tmp_path / "a.out").read()) + parse_consumed(open(tmp_path / "b.out").read())
    values = sorted(value for *_, value, _ in records)
    assert values == sorted(f"value-{i}".encode() for i in range(400)), "every record exactly once"
    second = parse_consumed(open(tmp_path / "b.out").read())
    assert second, "the second member read records after the rebalance"
    # Eager (range) revokes all four partitions before rejoining; cooperative only the two that move.
    revoked = [line.split()[1:] for line in open(a_err).read().splitlines() if line.startswith("revoked")]
    assert len(revoked[0]) == (4 if strategy == "range" else 2)


def test_swift_admin_topics_configs_cluster_and_group_lag(node, tmp_path):
    b = node.bootstrap
    topic = topic_name("swift-admin")
    assert check("admin", "create-topic", "--bootstrap", b, "--topic", topic, "--partitions", "2") == f"created\t{topic}\n"
    assert topic in check("admin", "list-topics", "--bootstrap", b).split()
    assert [line.split("\t")[1] for line in check("admin", "describe-topic", "--bootstrap", b, "--topic", topic).splitlines()] == ["0", "1"]
    failed = subprocess.run([CHECK_BIN, "admin", "create-topic", "--bootstrap", b, "--topic", topic], capture_output=True, text=True)
    assert failed.returncode != 0 and "TOPIC_ALREADY_EXISTS" in failed.stderr
    check("admin", "add-partitions", "--bootstrap", b, "--topic", topic, "--partitions", "3")
    assert len(check("admin", "describe-topic", "--bootstrap", b, "--topic", topic).splitlines()) == 3
    assert check("admin", "set-config", "--bootstrap", b, "--topic", topic, "--key", "retention.ms", "--value", "123456") == "retention.ms\t123456\n"
    cluster = check("admin", "describe-cluster", "--bootstrap", b).splitlines()
    assert cluster[0].startswith("cluster\t") and cluster[1] == f"broker\t0\t127.0.0.1\t{node.kafka_port}"

    # A group that read 30 of 50 records: lag 20, as kafka-consumer-groups would say.
    produce(b, topic, 0, 50)
    group = f"g-{topic}"
    consumer = Consumer({"bootstrap.servers": b, "group.id": group, "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(3)])
    seen = {}
    while sum(seen.values()) < 50:
        message = consumer.poll(1)
        if message is not None and message.error() is None:
            seen[message.partition()] = seen.get(message.partition(), 0) + 1
    commits = [TopicPartition(topic, p, max(0, n - 10) if p == 0 else n) for p, n in seen.items()]
    consumer.commit(offsets=commits, asynchronous=False)
    consumer.close()
    lags = {}
    for line in check("admin", "describe-group", "--bootstrap", b, "--group", group).splitlines():
        if line.startswith("lag\t"):
            _, _, partition, committed, end, lag = line.split("\t")
            lags[int(partition)] = (int(committed), int(end), int(lag))
    assert sum(end for _, end, _ in lags.values()) == 50
    assert lags[0][2] == min(10, seen[0]) and all(lag == 0 for p, (_, _, lag) in lags.items() if p != 0)
    assert group in check("admin", "list-groups", "--bootstrap", b)

    # Reset to earliest, then the Swift consumer in that group reads everything again.
    check("admin", "reset-offsets", "--bootstrap", b, "--group", group, "--reset-topic", topic, "--to", "earliest")
    again = parse_consumed(check("consume", "--bootstrap", b, "--topic", topic, "--group", group, "--assign", "yes",
                                 "--count", "50", "--idle-ms", "10000"))
    assert len(again) == 50
    check("admin", "delete-offsets", "--bootstrap", b, "--group", group, "--reset-topic", topic)
    assert not [line for line in check("admin", "describe-group", "--bootstrap", b, "--group", group).splitlines()
                if line.startswith("lag\t") and line.split("\t")[3] != "-1"], "no committed offset is left"

    # An empty group with offsets is deleted with them.
    other = f"g2-{topic}"
    committer = Consumer({"bootstrap.servers": b, "group.id": other})
    committer.commit(offsets=[TopicPartition(topic, 0, 5)], asynchronous=False)
    committer.close()
    assert other in check("admin", "list-groups", "--bootstrap", b)
    check("admin", "delete-group", "--bootstrap", b, "--group", other)
    assert other not in check("admin", "list-groups", "--bootstrap", b)
    check("admin", "delete-topic", "--bootstrap", b, "--topic", topic)
    assert topic not in check("admin", "list-topics", "--bootstrap", b).split()


def test_a_static_member_restarts_without_a_rebalance(node, tmp_path):
    """group.instance.id: a member that closes and comes back within the session timeout gets
    its partitions back, and the other member is never revoked."""
    topic = topic_name("swift-static")
    group = f"g-{topic}"
    create_topic(node.bootstrap, topic, 4)
    produce(node.bootstrap, topic, 0, 20)

    def static(name, instance, idle_ms):
        err_path = tmp_path / f"{name}.err"
        process = subprocess.Popen(
            [CHECK_BIN, "consume", "--bootstrap", node.bootstrap, "--topic", topic, "--group", group,
             "--instance-id", instance, "--idle-ms", str(idle_ms), "--heartbeat-ms", "300", "--session-ms", "30000"],
            stdout=subprocess.DEVNULL, stderr=open(err_path, "w"))
        return process, err_path

    a, a_err = static("a", "instance-a", 25000)
    try:
        wait_for(lambda: assignments(a_err), 30, "the first static member's assignment")
        b, b_err = static("b", "instance-b", 3000)
        wait_for(lambda: sum(len(p) for p in assignments(b_err)) == 2, 40, "the second static member's two partitions")
        first = assignments(b_err)[-1]
        assert b.wait(60) == 0  # idles out and closes without leaving the group
        revoked_before = open(a_err).read().count("revoked")
        again, again_err = static("b2", "instance-b", 3000)
        wait_for(lambda: assignments(again_err), 20, "the restarted member's assignment")
        assert assignments(again_err)[-1] == first
        assert again.wait(60) == 0
        assert open(a_err).read().count("revoked") == revoked_before, "no rebalance for the other member"
    finally:
        if a.poll() is None:
            a.kill()
