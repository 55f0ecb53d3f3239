"""`sluice serve` as an operator meets it: health, metrics, signals, the data-dir lock, config."""
import os
import signal
import subprocess
import time

import httpx

from conftest import SLUICE_BIN, SluiceNode


def test_health_is_200_and_json_once_serving(node):
    response = httpx.get(f"{node.admin_url}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "serving"}


def test_metrics_are_prometheus_text(node):
    response = httpx.get(f"{node.admin_url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    names = {line.split()[2] for line in response.text.splitlines() if line.startswith("# TYPE")}
    assert "sluice_log_partitions" in names, response.text


def test_broker_metrics_per_api_version_and_topic(node):
    from confluent_kafka import Consumer, Producer, TopicPartition

    producer = Producer({"bootstrap.servers": node.bootstrap})
    for i in range(20):
        producer.produce("metered", value=b"x" * 100)
    assert producer.flush(15) == 0
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "metered", "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition("metered", 0, 0)])
    got = 0
    for _ in range(100):
        message = consumer.poll(0.2)
        if message is not None and message.error() is None:
            got += 1
        if got == 20:
            break
    consumer.assign([TopicPartition("metered", 7, 0)])  # no such partition: a fetch error
    consumer.poll(1)
    consumer.close()
    text = httpx.get(f"{node.admin_url}/metrics").text

    def value(prefix):
        lines = [line for line in text.splitlines() if line.startswith(prefix)]
        assert lines, f"{prefix} missing"
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines)

    assert value('sluice_broker_topic_bytes_in_total{topic="metered"}') > 2000
    assert value('sluice_broker_topic_bytes_out_total{topic="metered"}') > 2000
    assert value('sluice_broker_requests_total{api="Produce",version=') >= 1
    assert value('sluice_broker_messages_in_total') >= 20
    assert "sluice_broker_connections" in text


def test_sigterm_drains_and_exits_zero(node):
    assert node.stop(signal.SIGTERM) == 0
    assert "stopped cleanly" in node.output()


def test_sigint_exits_zero(node):
    assert node.stop(signal.SIGINT) == 0


def test_second_node_on_same_data_dir_fails_at_once_and_touches_nothing(node, data_dir):
    before = snapshot(data_dir)
    second = SluiceNode(data_dir)
    started = time.monotonic()
    result = subprocess.run(second.args(), capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert time.monotonic() - started < 10
    assert "in use by another sluice process" in result.stderr
    assert f"pid {node.process.pid}" in result.stderr
    assert snapshot(data_dir) == before
    # The first node is unaffected.
    assert httpx.get(f"{node.admin_url}/health").status_code == 200


def test_restart_after_clean_stop_and_after_kill_9(data_dir):
    first = SluiceNode(data_dir).start()
    first.wait_healthy()
    assert first.stop(signal.SIGTERM) == 0
    second = SluiceNode(data_dir).start()
    second.wait_healthy()
    second.process.kill()  # kill -9: the lock is released by the kernel, recovery runs
    second.process.wait()
    third = SluiceNode(data_dir).start()
    third.wait_healthy()
    assert third.stop() == 0


def run_with_config(tmp_path, data_dir, text):
    """Runs `sluice serve` with a config file that it should refuse; returns (result, path)."""
    config = tmp_path / "server.properties"
    config.write_text(text)
    n = SluiceNode(data_dir, extra_args=["--config", str(config)])
    return subprocess.run(n.args(), capture_output=True, text=True, timeout=30), config


def test_unknown_config_key_is_an_error_naming_key_and_line(tmp_path, data_dir):
    result, config = run_with_config(tmp_path, data_dir, "node.id=1\nlog.retention.dayz=3\n")
    assert result.returncode != 0
    assert "log.retention.dayz" in result.stderr
    assert f"{config}:2" in result.stderr
    assert not os.path.exists(data_dir), "a rejected configuration must not create the data directory"


def test_flags_override_the_config_file(tmp_path, data_dir):
    unused_port = SluiceNode(data_dir).admin_port
    config = tmp_path / "server.properties"
    config.write_text(f"sluice.admin.listen=127.0.0.1:{unused_port}\nlog.retention.hours=1\n")
    n = SluiceNode(data_dir, extra_args=["--config", str(config)]).start()
    try:
        n.wait_healthy()  # polls --admin-listen, which the flag set after the file
        assert n.stop() == 0
    finally:
        if n.process.poll() is None:
            n.process.kill()


def test_invalid_log_default_is_rejected(tmp_path, data_dir):
    result, _ = run_with_config(tmp_path, data_dir, "log.cleanup.policy=sometimes\n")
    assert result.returncode != 0
    assert "cleanup.policy" in result.stderr


def test_help_reads_like_a_manual():
    result = subprocess.run([SLUICE_BIN, "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for flag in ["--data-dir", "--listen", "--advertise", "--registry-listen", "--admin-listen",
                 "--node-id", "--config", "--log-level"]:
        assert flag in result.stdout


def snapshot(directory):
    entries = {}
    for root, _, files in os.walk(directory):
        for name in files:
            path = os.path.join(root, name)
            st = os.stat(path)
            entries[os.path.relpath(path, directory)] = (st.st_size, st.st_mtime_ns)
    return entries
