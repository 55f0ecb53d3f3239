"""What broker-side schema validation costs (`scripts/bench-validation.sh`): the same
pre-encoded Confluent wire-format records (magic 0, schema id, Avro datum of the bench
`event.avsc`-shaped record) are produced by kcat (librdkafka, acks=1) to three topics of one
release node: no validation, `confluent.value.schema.validation=true`, and that plus
`sluice.value.schema.validation.level=payload`. Rounds alternate between the topics; each
figure is the median over the rounds. Prints records/s and the broker's CPU microseconds per
record for each, and the ratios against no validation (targets: id >= 0.9, payload >= 0.6).

Usage: bench_validation.py SLUICE_BIN WORKDIR [--quick]
(BENCH_VALIDATION_RECORDS / _ROUNDS override the sizes, for a smoke run.)
"""
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

import fastavro
import httpx
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

SLUICE, WORK = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv
RECORDS = int(os.environ.get("BENCH_VALIDATION_RECORDS", 300_000 if QUICK else 1_000_000))
ROUNDS = int(os.environ.get("BENCH_VALIDATION_ROUNDS", 3 if QUICK else 5))
DELIMITER = b"\xfe\xfd\xfc\xfb"   # kcat -D; never inside a record (checked)
SCHEMA = {"type": "record", "name": "Event", "namespace": "bench", "fields": [
    {"name": "id", "type": "long"}, {"name": "ts", "type": "long"}, {"name": "user", "type": "string"},
    {"name": "amount", "type": "double"}, {"name": "ok", "type": "boolean"},
    {"name": "note", "type": ["null", "string"], "default": None},
    {"name": "tags", "type": {"type": "array", "items": "string"}}]}
TOPICS = {
    "none": {},
    "id": {"confluent.value.schema.validation": "true"},
    "payload": {"confluent.value.schema.validation": "true", "sluice.value.schema.validation.level": "payload"},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def encode_records(schema_id):
    parsed = fastavro.parse_schema(SCHEMA)
    prefix = b"\x00" + schema_id.to_bytes(4, "big")
    out = bytearray()
    for i in range(RECORDS):
        datum = {"id": i, "ts": 1_700_000_000_000 + i, "user": f"user-{i % 1000}", "amount": i * 0.25, "ok": i % 2 == 0,
                 "note": f"note number {i}" if i % 3 == 0 else None, "tags": ["alpha", "beta", "gamma"][: i % 3 + 1]}
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, parsed, datum)
        record = prefix + buffer.getvalue()
        if DELIMITER in record:
            raise SystemExit(f"record {i} contains the delimiter; pick another")
        out += record + DELIMITER
    return bytes(out), len(out) / RECORDS - len(DELIMITER)


def main():
    ports = {name: free_port() for name in ("kafka", "registry", "admin")}
    log = open(os.path.join(WORK, "node.log"), "wb")
    node = subprocess.Popen([SLUICE, "serve", "--data-dir", os.path.join(WORK, "data"),
                             "--listen", f"127.0.0.1:{ports['kafka']}", "--registry-listen", f"127.0.0.1:{ports['registry']}",
                             "--admin-listen", f"127.0.0.1:{ports['admin']}", "--log-level", "warning"], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{ports['admin']}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or node.poll() is not None:
                raise SystemExit("the node did not become healthy")
            time.sleep(0.1)
        bootstrap = f"127.0.0.1:{ports['kafka']}"
        admin = AdminClient({"bootstrap.servers": bootstrap})
        schema_id = None
        for name, configs in TOPICS.items():
            topic = f"bench-{name}"
            answer = httpx.post(f"http://127.0.0.1:{ports['registry']}/subjects/{topic}-value/versions",
                                json={"schema": json.dumps(SCHEMA)}).json()
            schema_id = answer["id"]
            admin.create_topics([NewTopic(topic, 1, 1, config=configs)])[topic].result(15)
        data, record_size = encode_records(schema_id)
        path = os.path.join(WORK, "records.bin")
        with open(path, "wb") as f:
            f.write(data)
        print(f"  {RECORDS:,} records of {record_size:.0f} bytes (wire format, schema id {schema_id}), {ROUNDS} rounds per topic, acks=1")

        figures = {name: {"rate": [], "cpu_us": []} for name in TOPICS}
        kcat = ["kcat", "-P", "-b", bootstrap, "-D", "\\xfe\\xfd\\xfc\\xfb", "-l",
                "-X", "linger.ms=5", "-X", "batch.num.messages=10000", "-X", "batch.size=1000000",
                "-X", "queue.buffering.max.messages=2000000", "-X", "queue.buffering.max.kbytes=2000000", "-X", "acks=1"]
        for round_index in range(ROUNDS + 1):       # round 0 warms up (page cache, allocator)
            for name in TOPICS:
                cpu_before, started = cpu_seconds(node.pid), time.monotonic()
                run = subprocess.run(kcat + ["-t", f"bench-{name}", path], capture_output=True)
                elapsed, cpu = time.monotonic() - started, cpu_seconds(node.pid) - cpu_before
                if run.returncode != 0 or run.stderr.strip():
                    raise SystemExit(f"kcat to bench-{name} failed: {run.stderr.decode(errors='replace')[-500:]}")
                if round_index:
                    figures[name]["rate"].append(RECORDS / elapsed)
                    figures[name]["cpu_us"].append(cpu * 1e6 / RECORDS)

        consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-check"})
        for name in TOPICS:
            end = consumer.get_watermark_offsets(TopicPartition(f"bench-{name}", 0), timeout=10)[1]
            if end != RECORDS * (ROUNDS + 1):
                raise SystemExit(f"bench-{name} holds {end} records, expected {RECORDS * (ROUNDS + 1)}: some were refused")
        consumer.close()

        base = {key: statistics.median(values) for key, values in figures["none"].items()}
        print(f"  {'validation':<10} {'records/s':>12} {'broker CPU us/record':>21} {'throughput ratio':>17} {'CPU ratio':>10}  target")
        for name, target in (("none", ""), ("id", ">= 0.9"), ("payload", ">= 0.6")):
            rate = statistics.median(figures[name]["rate"])
            cpu = statistics.median(figures[name]["cpu_us"])
            ratio, cpu_ratio = rate / base["rate"], base["cpu_us"] / cpu
            verdict = "" if not target else ("ok" if ratio >= float(target.split()[1]) else "MISSED")
            print(f"  {name:<10} {rate:>12,.0f} {cpu:>21.2f} {ratio:>17.2f} {cpu_ratio:>10.2f}  {target} {verdict}")
        print("  (throughput ratio: records/s against no validation; CPU ratio: the broker's CPU per record of no validation"
              " over this one's, i.e. its records per broker CPU-second as a fraction; kcat shares the 2 cores)")
    finally:
        node.send_signal(signal.SIGTERM)
        try:
            node.wait(30)
        except subprocess.TimeoutExpired:
            node.kill()
            node.wait()
        log.close()


main()
