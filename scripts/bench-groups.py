"""Consumer-group benchmark against a release `sluice` (started here, on free loopback ports):
rebalance time after a LeaveGroup with 3 and 20 members, commits per second with several
committing clients and their p99 latency, and memory per group and per committed partition.
Usage: .venv/bin/python scripts/bench-groups.py .build/release/sluice"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import httpx
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))


def start(binary, work):
    kafka, registry, admin = free_port(), free_port(), free_port()
    log = open(os.path.join(work, "node.log"), "wb")
    process = subprocess.Popen([binary, "serve", "--data-dir", os.path.join(work, "data"), "--listen", f"127.0.0.1:{kafka}",
                                "--registry-listen", f"127.0.0.1:{registry}", "--admin-listen", f"127.0.0.1:{admin}",
                                "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{admin}/health", timeout=1).status_code == 200:
                return process, f"127.0.0.1:{kafka}", f"http://127.0.0.1:{admin}"
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("sluice did not start")


def create_topic(bootstrap, partitions):
    topic = f"bench-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(30)
    return topic


def rebalance_after_leave(bootstrap, admin_url, members):
    topic = create_topic(bootstrap, members * 2)
    group = f"rb-{uuid.uuid4().hex[:6]}"
    stop = threading.Event()
    consumers = []
    for _ in range(members):
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "heartbeat.interval.ms": 100,
                      "session.timeout.ms": 10000, "enable.auto.commit": False})
        c.subscribe([topic])
        consumers.append(c)
    leaving = consumers[-1]
    closed = threading.Event()

    def run(c):
        while not stop.is_set():
            if c is leaving and closed.is_set():
                return
            c.poll(0.02)

    threads = [threading.Thread(target=run, args=(c,)) for c in consumers[:-1]]
    for t in threads:
        t.start()

    def stable(expected):
        response = httpx.get(f"{admin_url}/v1/groups/{group}")
        report = response.json() if response.status_code == 200 else {}
        assigned = sum(len(p) for m in report.get("members", []) for p in m["assignment"].values())
        return report.get("state") == "Stable" and len(report.get("members", [])) == expected and assigned == members * 2

    deadline = time.monotonic() + 60
    while not stable(members):
        leaving.poll(0.02)
        if time.monotonic() > deadline:
            raise SystemExit(f"group of {members} never stable")
    left_at = time.monotonic()
    leaving.close()  # sends LeaveGroup
    closed.set()
    while not stable(members - 1):
        time.sleep(0.002)
    elapsed = time.monotonic() - left_at
    stop.set()
    for t in threads:
        t.join()
    for c in consumers[:-1]:
        c.close()
    return elapsed


def commits(bootstrap, clients=8, seconds=10):
    topic = create_topic(bootstrap, clients)
    latencies = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(index):
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"commit-{index}-{uuid.uuid4().hex[:4]}",
                      "enable.auto.commit": False})
        mine = []
        offset = 0
        while time.monotonic() < stop:
            offset += 1
            started = time.perf_counter()
            c.commit(offsets=[TopicPartition(topic, index, offset)], asynchronous=False)
            mine.append(time.perf_counter() - started)
        c.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return len(latencies) / seconds, latencies[int(len(latencies) * 0.99)] * 1000, statistics.median(latencies) * 1000


def memory(bootstrap, pid, groups=2000, partitions=1000, wide_groups=20):
    topic = create_topic(bootstrap, partitions)
    time.sleep(1)
    before = rss_kib(pid)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False})
    c.close()
    consumers = []
    for i in range(groups):
        g = Consumer({"bootstrap.servers": bootstrap, "group.id": f"mem-{i}", "enable.auto.commit": False})
        g.commit(offsets=[TopicPartition(topic, 0, 1)], asynchronous=False)
        g.close()
    time.sleep(1)
    after_groups = rss_kib(pid)
    for i in range(wide_groups):
        g = Consumer({"bootstrap.servers": bootstrap, "group.id": f"wide-{i}", "enable.auto.commit": False})
        g.commit(offsets=[TopicPartition(topic, p, 1) for p in range(partitions)], asynchronous=False)
        g.close()
    time.sleep(1)
    after_partitions = rss_kib(pid)
    return ((after_groups - before) * 1024 / groups,
            (after_partitions - after_groups) * 1024 / (wide_groups * partitions))


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="sluice-bench-groups-")
    process, bootstrap, admin_url = start(binary, work)
    try:
        print("| figure | value |")
        print("|---|---|")
        for members in (3, 20):
            times = [rebalance_after_leave(bootstrap, admin_url, members) for _ in range(3)]
            print(f"| LeaveGroup to Stable, {members} members (heartbeat.interval.ms=100), median of 3 | {statistics.median(times) * 1000:.0f} ms |")
        rate, p99, median = commits(bootstrap)
        print(f"| offset commits/s, 8 clients committing synchronously | {rate:.0f} |")
        print(f"| commit latency p50 / p99 | {median:.2f} ms / {p99:.2f} ms |")
        per_group, per_partition = memory(bootstrap, process.pid)
        print(f"| memory per group (1 committed partition each, 2000 groups) | {per_group:.0f} bytes |")
        print(f"| memory per committed partition (20 groups x 1000 partitions) | {per_partition:.0f} bytes |")
    finally:
        process.terminate()
        process.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
