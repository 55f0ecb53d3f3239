"""The `sluice` client commands (topic, produce, consume, group, cluster) run as the real binary
against a real `sluice serve`, checked with confluent-kafka where another client's view matters."""
import json
import os
import pty
import subprocess
import uuid

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from conftest import SLUICE_BIN, SluiceNode

ORDER_V1 = {"type": "record", "name": "Order", "namespace": "shop",
            "fields": [{"name": "id", "type": "long"}, {"name": "amount", "type": "double"},
                       {"name": "note", "type": ["null", "string"], "default": None}]}
ORDER_V2 = {**ORDER_V1, "fields": ORDER_V1["fields"] + [{"name": "currency", "type": "string", "default": "EUR"}]}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    n = SluiceNode(str(tmp_path_factory.mktemp("cli") / "data")).start()
    try:
        n.wait_healthy()
        yield n
    finally:
        n.stop()


def sluice(cluster, *args, input=None, env=None, check=True, timeout=60):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    full_env.update({"SLUICE_BOOTSTRAP": cluster.bootstrap, "SLUICE_REGISTRY": cluster.registry_url, "HOME": "/nonexistent"})
    full_env.update(env or {})
    result = subprocess.run([SLUICE_BIN, *args], input=input, capture_output=True, env=full_env, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"sluice {' '.join(args)} exited {result.returncode}:\n{result.stderr.decode()}")
    return result


def new_topic(cluster, partitions=1, *extra):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    sluice(cluster, "topic", "create", name, "--partitions", str(partitions), *extra)
    return name


def test_produce_a_file_and_consume_it_back_byte_identical(cluster, tmp_path):
    topic = new_topic(cluster)
    lines = [b"plain", b"", b"tab\tinside", "unicode \u00e9\u6f22\U0001F600".encode(), b"\xff\xfe not utf-8", b"x" * 100_000, b"end"]
    lines += [f"line {i}".encode() for i in range(5000)]
    source = tmp_path / "in.txt"
    source.write_bytes(b"\n".join(lines) + b"\n")
    produced = sluice(cluster, "produce", topic, "--file", str(source))
    assert produced.stderr == b""  # quiet in a pipe: no progress bar
    consumed = sluice(cluster, "consume", topic, "--format", "%s\\n", "--exit-at-end")
    assert consumed.stdout == source.read_bytes()


def test_keys_headers_and_partition_seen_by_confluent_kafka(cluster):
    topic = new_topic(cluster, 3)
    sluice(cluster, "produce", topic, "--key-separator", "::", "--header", "source=cli", "--header", "trace=a=b",
           "--partition", "2", input=b"k1::v1\nk2::v::2\n")
    c = Consumer({"bootstrap.servers": cluster.bootstrap, "group.id": uuid.uuid4().hex, "auto.offset.reset": "earliest"})
    c.subscribe([topic])
    seen = []
    for _ in range(60):
        m = c.poll(1)
        if m is not None and m.error() is None:
            seen.append((m.partition(), m.key(), m.value(), m.headers()))
        if len(seen) == 2:
            break
    c.close()
    assert seen == [(2, b"k1", b"v1", [("source", b"cli"), ("trace", b"a=b")]),
                    (2, b"k2", b"v::2", [("source", b"cli"), ("trace", b"a=b")])]
    text = sluice(cluster, "consume", topic, "--format", "%t %p %o %k=%s [%h] %K/%S\\n", "--exit-at-end").stdout
    assert text == f"{topic} 2 0 k1=v1 [source=cli,trace=a=b] 2/2\n{topic} 2 1 k2=v::2 [source=cli,trace=a=b] 2/4\n".encode()


def test_a_line_without_the_key_separator_is_reported_and_the_others_sent(cluster):
    topic = new_topic(cluster)
    result = sluice(cluster, "produce", topic, "--key-separator", ":", input=b"a:1\nnokey\nb:2\n", check=False)
    assert result.returncode == 1
    assert b"line 2: no key separator" in result.stderr
    out = sluice(cluster, "consume", topic, "--format", "%k=%s\\n", "--exit-at-end").stdout
    assert out == b"a=1\nb=2\n"


def test_consume_output_json_has_stable_keys(cluster):
    topic = new_topic(cluster)
    p = Producer({"bootstrap.servers": cluster.bootstrap})
    p.produce(topic, key=b"k", value=b"hello", headers=[("h", b"v")], timestamp=1_700_000_000_123)
    p.produce(topic, key=None, value=None)
    p.flush(10)
    out = sluice(cluster, "consume", topic, "--output", "json", "--exit-at-end").stdout.decode().splitlines()
    docs = [json.loads(line) for line in out]
    keys = ["topic", "partition", "offset", "timestamp", "timestamp_type", "headers", "key", "value"]
    assert [list(d) for d in docs] == [keys, keys]
    assert docs[0] == {"topic": topic, "partition": 0, "offset": 0, "timestamp": 1_700_000_000_123, "timestamp_type": "CreateTime",
                       "headers": [{"key": "h", "value": "v"}], "key": "k", "value": "hello"}
    assert docs[1]["key"] is None and docs[1]["value"] is None and docs[1]["offset"] == 1
    b64 = json.loads(sluice(cluster, "consume", topic, "--output", "json", "--json-bytes", "base64", "--count", "1").stdout)
    assert b64["value"] == "aGVsbG8="


def test_consume_from_offset_timestamp_and_count(cluster):
    topic = new_topic(cluster)
    p = Producer({"bootstrap.servers": cluster.bootstrap})
    for i in range(10):
        p.produce(topic, value=f"v{i}".encode(), timestamp=1_800_000_000_000 + i * 1000)
    p.flush(10)
    def offsets(*args):
        return sluice(cluster, "consume", topic, "--format", "%o ", *args).stdout.decode().split()
    assert offsets("--from", "7", "--exit-at-end") == ["7", "8", "9"]
    assert offsets("--from", "-2", "--exit-at-end") == ["8", "9"]
    assert offsets("--from", "@1800000004000", "--count", "2") == ["4", "5"]
    assert offsets("--from", "2027-01-15T08:00:05Z", "--exit-at-end") == ["5", "6", "7", "8", "9"]
    assert offsets("--from", "end", "--exit-at-end") == []
    bad = sluice(cluster, "consume", topic, "--from", "yesterday", check=False)
    assert bad.returncode == 64 and b"cannot read \"yesterday\" as a position" in bad.stderr


def test_topic_create_describe_alter_add_partitions_delete(cluster):
    name = f"cli-topic-{uuid.uuid4().hex[:6]}"
    sluice(cluster, "topic", "create", name, "-p", "2", "--config", "retention.ms=123456")
    again = sluice(cluster, "topic", "create", name, check=False)
    assert again.returncode == 1 and b"TOPIC_ALREADY_EXISTS" in again.stderr
    sluice(cluster, "topic", "create", name, "--if-not-exists")
    assert name in sluice(cluster, "topic", "list").stdout.decode().split()
    described = json.loads(sluice(cluster, "topic", "describe", name, "--output", "json").stdout)
    assert list(described) == ["name", "internal", "partition_count", "replication_factor", "partitions", "configs"]
    assert described["partition_count"] == 2 and described["configs"] == {"retention.ms": "123456"}
    assert [p["partition"] for p in described["partitions"]] == [0, 1]
    assert all(p["leader"] >= 0 and p["replicas"] == [p["leader"]] and p["isr"] == [p["leader"]] for p in described["partitions"])
    text = sluice(cluster, "topic", "describe", name).stdout.decode()
    assert f"Topic: {name}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: retention.ms=123456" in text
    sluice(cluster, "topic", "alter-config", name, "--set", "cleanup.policy=compact", "--delete", "retention.ms")
    sluice(cluster, "topic", "add-partitions", name, "--total", "5")
    described = json.loads(sluice(cluster, "topic", "describe", name, "--output", "json").stdout)
    assert described["partition_count"] == 5 and described["configs"] == {"cleanup.policy": "compact"}
    all_configs = json.loads(sluice(cluster, "topic", "describe", name, "--output", "json", "--all-configs").stdout)["configs"]
    assert all_configs["cleanup.policy"] == "compact" and "retention.ms" in all_configs
    sluice(cluster, "topic", "delete", name)
    gone = sluice(cluster, "topic", "describe", name, check=False)
    assert gone.returncode == 1 and b"UNKNOWN_TOPIC_OR_PARTITION" in gone.stderr
    assert sluice(cluster, "topic", "delete", name, "--if-exists").returncode == 0


def test_group_describe_reset_offsets_then_consume_from_the_new_position(cluster):
    topic = new_topic(cluster)
    group = f"cli-group-{uuid.uuid4().hex[:6]}"
    sluice(cluster, "produce", topic, input=b"".join(f"r{i}\n".encode() for i in range(10)))
    first = sluice(cluster, "consume", topic, "--group", group, "--format", "%s\\n", "--exit-at-end").stdout
    assert first == b"".join(f"r{i}\n".encode() for i in range(10))
    described = json.loads(sluice(cluster, "group", "describe", group, "--output", "json").stdout)
    assert described["partitions"] == [{"topic": topic, "partition": 0, "committed_offset": 10, "log_end_offset": 10, "lag": 0, "member_id": None}]
    assert group in sluice(cluster, "group", "list").stdout.decode()

    plan = sluice(cluster, "group", "reset-offsets", group, "--topic", topic, "--to-offset", "4", "--output", "json").stdout
    assert json.loads(plan) == [{"topic": topic, "partition": 0, "current_offset": 10, "new_offset": 4}]
    # A dry run changes nothing.
    assert json.loads(sluice(cluster, "group", "describe", group, "--output", "json").stdout)["total_lag"] == 0
    sluice(cluster, "group", "reset-offsets", group, "--topic", f"{topic}:0", "--to-offset", "4", "--execute")
    text = sluice(cluster, "group", "describe", group).stdout.decode()
    assert "CURRENT-OFFSET  LOG-END-OFFSET  LAG" in text and f"{group}  {topic}  0          4               10              6" in text
    again = sluice(cluster, "consume", topic, "--group", group, "--format", "%o:%s\\n", "--exit-at-end").stdout
    assert again == b"".join(f"{i}:r{i}\n".encode() for i in range(4, 10))

    sluice(cluster, "group", "reset-offsets", group, "--all-topics", "--shift-by", "-3", "--execute")
    assert sluice(cluster, "consume", topic, "--group", group, "--format", "%o ", "--exit-at-end").stdout.split() == [b"7", b"8", b"9"]
    sluice(cluster, "group", "reset-offsets", group, "--topic", topic, "--to-earliest", "--execute")
    assert sluice(cluster, "consume", topic, "--group", group, "--format", "%o ", "--count", "1").stdout.split() == [b"0"]
    sluice(cluster, "group", "reset-offsets", group, "--topic", topic, "--to-datetime", "2000-01-01T00:00:00Z", "--execute")
    usage = sluice(cluster, "group", "reset-offsets", group, "--topic", topic, check=False)
    assert usage.returncode == 64 and b"exactly one of --to-earliest" in usage.stderr
    sluice(cluster, "group", "delete", group)
    assert group not in sluice(cluster, "group", "list").stdout.decode()


def test_schema_lines_are_encoded_and_bad_ones_reported_by_number(cluster, tmp_path):
    topic = new_topic(cluster)
    schema = tmp_path / "order.avsc"
    schema.write_text(json.dumps(ORDER_V1))
    lines = [
        '{"id": 1, "amount": 9.5, "note": null}',
        '{"id": "two", "amount": 1.0, "note": null}',
        'not json',
        '{"id": 4, "amount": 4.25, "note": {"string": "gift"}}',
        '{"id": 5}',
    ]
    result = sluice(cluster, "produce", topic, "--value-schema", str(schema), input=("\n".join(lines) + "\n").encode(), check=False)
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert [e.split(":")[0] for e in errors if e.startswith("line")] == ["line 2", "line 3", "line 5"]
    assert "/id" in errors[0] and "not JSON" in errors[1]

    # Confluent's own deserializer reads what the CLI wrote.
    registry = SchemaRegistryClient({"url": cluster.registry_url})
    deserializer = AvroDeserializer(registry)
    c = Consumer({"bootstrap.servers": cluster.bootstrap, "group.id": uuid.uuid4().hex, "auto.offset.reset": "earliest"})
    c.subscribe([topic])
    values = []
    for _ in range(60):
        m = c.poll(1)
        if m is not None and m.error() is None:
            values.append(deserializer(m.value(), SerializationContext(topic, MessageField.VALUE)))
        if len(values) == 2:
            break
    c.close()
    assert values == [{"id": 1, "amount": 9.5, "note": None}, {"id": 4, "amount": 4.25, "note": "gift"}]

    decoded = sluice(cluster, "consume", topic, "--decode", "value", "--exit-at-end").stdout.decode().splitlines()
    assert [json.loads(d) for d in decoded] == [{"id": 1, "amount": 9.5, "note": None}, {"id": 4, "amount": 4.25, "note": {"string": "gift"}}]
    v2 = tmp_path / "order-v2.avsc"
    v2.write_text(json.dumps(ORDER_V2))
    evolved = sluice(cluster, "consume", topic, "--decode", "value", "--reader-schema", str(v2), "--output", "json", "--exit-at-end")
    docs = [json.loads(d) for d in evolved.stdout.decode().splitlines()]
    assert [d["value"]["currency"] for d in docs] == ["EUR", "EUR"]
    schema_id = registry.get_latest_version(f"{topic}-value").schema_id
    assert [d["value_schema_id"] for d in docs] == [schema_id, schema_id]

    # By id, and --fail-fast stops at the first bad line.
    fast = sluice(cluster, "produce", topic, "--value-schema", str(schema_id), "--fail-fast",
                  input=b'{"id": 6, "amount": 1, "note": null}\nbad\n{"id": 8, "amount": 1, "note": null}\n', check=False)
    assert fast.returncode == 1 and b"line 2:" in fast.stderr and b"line 3" not in fast.stderr
    offsets = sluice(cluster, "consume", topic, "--format", "%o ", "--exit-at-end").stdout.split()
    assert offsets == [b"0", b"1", b"2"]


def test_json_schema_lines_are_validated(cluster):
    topic = new_topic(cluster)
    schema = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                         "properties": {"n": {"type": "integer", "minimum": 0}}, "required": ["n"]})
    result = sluice(cluster, "produce", topic, "--value-schema", schema, input=b'{"n": 1}\n{"n": -1}\n{}\n', check=False)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "line 2:" in stderr and "/n" in stderr and "line 3:" in stderr and "line 1:" not in stderr
    raw = sluice(cluster, "consume", topic, "--format", "%s", "--exit-at-end").stdout
    assert raw[0] == 0 and raw[5:] == b'{"n":1}'
    assert sluice(cluster, "consume", topic, "--decode", "value", "--exit-at-end").stdout == b'{"n":1}\n'


def test_settings_come_from_flag_then_environment_then_profile(cluster, tmp_path):
    profile = tmp_path / "profile"
    profile.write_text(f"# a profile\nbootstrap = {cluster.bootstrap}\nregistry=http://127.0.0.1:1\n")
    env = {"SLUICE_BOOTSTRAP": "", "SLUICE_REGISTRY": ""}
    info = json.loads(sluice(cluster, "cluster", "info", "--output", "json", "--profile", str(profile), env=env).stdout)
    assert list(info) == ["cluster_id", "controller", "brokers"] and info["brokers"][0]["port"] == cluster.kafka_port
    # The default profile location, through XDG_CONFIG_HOME.
    (tmp_path / "sluice").mkdir()
    (tmp_path / "sluice" / "profile").write_text(f"bootstrap.servers={cluster.bootstrap}\n")
    assert sluice(cluster, "cluster", "info", env={**env, "XDG_CONFIG_HOME": str(tmp_path)}).returncode == 0
    # The environment beats the profile, the flag beats both.
    bad_profile = tmp_path / "bad"
    bad_profile.write_text("bootstrap=127.0.0.1:1\n")
    assert sluice(cluster, "cluster", "info", "--profile", str(bad_profile)).returncode == 0
    down = sluice(cluster, "cluster", "info", "--bootstrap", "127.0.0.1:1", "--profile", str(profile), check=False, timeout=60)
    assert down.returncode == 1 and down.stderr.startswith(b"error: ")
    broken = tmp_path / "broken"
    broken.write_text("bootstrap=x\nbrokerz=1\n")
    typo = sluice(cluster, "cluster", "info", "--profile", str(broken), check=False)
    assert typo.returncode == 64 and f"{broken}:2: unknown key \"brokerz\"".encode() in typo.stderr
    missing = sluice(cluster, "cluster", "info", "--profile", str(tmp_path / "nope"), check=False)
    assert missing.returncode == 64 and b"does not exist" in missing.stderr


def test_progress_bar_only_on_a_terminal(cluster, tmp_path):
    topic = new_topic(cluster)
    source = tmp_path / "lines.txt"
    source.write_bytes(b"".join(b"%d\n" % i for i in range(20000)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env["SLUICE_BOOTSTRAP"] = cluster.bootstrap
    primary, secondary = pty.openpty()
    process = subprocess.Popen([SLUICE_BIN, "produce", topic, "--file", str(source)], stdout=subprocess.DEVNULL,
                               stderr=secondary, env=env)
    os.close(secondary)
    drawn = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    assert process.wait(60) == 0
    os.close(primary)
    assert b"producing " + topic.encode() in drawn and b"20000 records" in drawn and b"100%" in drawn
    piped = sluice(cluster, "produce", topic, "--file", str(source))
    assert piped.stderr == b""


def test_help_reads_like_a_manual(cluster):
    top = sluice(cluster, "--help").stdout.decode()
    for verb in ["topic", "produce", "consume", "group", "cluster"]:
        assert f"  {verb}" in top
    for command in [["produce"], ["consume"], ["topic", "describe"], ["group", "reset-offsets"], ["cluster", "info"]]:
        text = sluice(cluster, *command, "--help").stdout.decode()
        assert "Examples:" in text and "--bootstrap" in text, command
    assert "%k" in sluice(cluster, "consume", "--help").stdout.decode()


def test_key_and_value_schemas_and_decoding_both(cluster, tmp_path):
    topic = new_topic(cluster)
    key_schema = json.dumps({"type": "record", "name": "OrderKey", "fields": [{"name": "id", "type": "long"}]})
    value_schema = tmp_path / "order.avsc"
    value_schema.write_text(json.dumps(ORDER_V1))
    sluice(cluster, "produce", topic, "--key-separator", "\t", "--key-schema", key_schema, "--value-schema", str(value_schema),
           input=b'{"id": 7}\t{"id": 7, "amount": 2.5, "note": null}\n')
    doc = json.loads(sluice(cluster, "consume", topic, "--decode", "key,value", "--output", "json", "--exit-at-end").stdout)
    assert list(doc) == ["topic", "partition", "offset", "timestamp", "timestamp_type", "headers",
                         "key", "key_schema_id", "value", "value_schema_id"]
    assert doc["key"] == {"id": 7} and doc["value"] == {"id": 7, "amount": 2.5, "note": None}
    registry = SchemaRegistryClient({"url": cluster.registry_url})
    assert doc["key_schema_id"] == registry.get_latest_version(f"{topic}-key").schema_id
    text = sluice(cluster, "consume", topic, "--decode", "key,value", "--format", "%k|%s\\n", "--exit-at-end").stdout
    assert text == b'{"id":7}|{"id":7,"amount":2.5,"note":null}\n'
    # A record that is not framed is reported with its offset, and the exit status says so.
    sluice(cluster, "produce", topic, input=b"plain text\n")
    mixed = sluice(cluster, "consume", topic, "--decode", "value", "--exit-at-end", check=False)
    assert mixed.returncode == 1 and f"{topic}-0 offset 1:".encode() in mixed.stderr and b"unknown magic byte" in mixed.stderr
    assert len(mixed.stdout.splitlines()) == 1


def test_usage_errors_name_the_problem(cluster):
    topic = new_topic(cluster)
    bad_format = sluice(cluster, "consume", topic, "--format", "%q", check=False)
    assert bad_format.returncode == 64 and b"unknown field %q" in bad_format.stderr
    no_sep = sluice(cluster, "produce", topic, "--key-schema", "1", input=b"", check=False)
    assert no_sep.returncode == 64 and b"--key-schema needs --key-separator" in no_sep.stderr
    missing = sluice(cluster, "produce", topic, "--file", "/nonexistent/file", check=False)
    assert missing.returncode == 2 and b"cannot open /nonexistent/file" in missing.stderr
    no_partition = sluice(cluster, "consume", topic, "--partition", "9", check=False)
    assert no_partition.returncode == 1 and b"has no partition 9" in no_partition.stderr
