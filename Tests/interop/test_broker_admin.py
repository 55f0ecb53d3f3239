"""Topic administration with confluent-kafka's AdminClient and kafka-python's KafkaAdminClient."""
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewPartitions,
                                   NewTopic, ResourceType)


def fresh(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_describe_alter_and_incrementally_alter_topic_configs(node):
    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    topic = fresh("cfg")
    admin.create_topics([NewTopic(topic, 1, 1, config={"retention.ms": "3600000"})])[topic].result(15)
    resource = ConfigResource(ResourceType.TOPIC, topic)
    configs = admin.describe_configs([resource])[resource].result(15)
    assert configs["retention.ms"].value == "3600000"
    assert configs["retention.ms"].source == 1  # DYNAMIC_TOPIC_CONFIG
    assert configs["cleanup.policy"].value == "delete"
    assert configs["segment.bytes"].source == 5  # DEFAULT_CONFIG
    assert {"max.message.bytes", "message.timestamp.type", "compression.type"} <= set(configs)

    change = ConfigResource(ResourceType.TOPIC, topic, incremental_configs=[
        ConfigEntry("cleanup.policy", "compact", incremental_operation=AlterConfigOpType.SET),
        ConfigEntry("retention.ms", None, incremental_operation=AlterConfigOpType.DELETE)])
    admin.incremental_alter_configs([change])[change].result(15)
    configs = admin.describe_configs([resource])[resource].result(15)
    assert configs["cleanup.policy"].value == "compact"
    assert configs["retention.ms"].value == str(7 * 24 * 3600 * 1000)

    bad = ConfigResource(ResourceType.TOPIC, topic, incremental_configs=[
        ConfigEntry("retention.ms", "soon", incremental_operation=AlterConfigOpType.SET)])
    try:
        admin.incremental_alter_configs([bad])[bad].result(15)
        raise AssertionError("an invalid value was accepted")
    except Exception as error:  # noqa: BLE001 - the client's exception type varies by version
        assert "retention.ms" in str(error)

    broker = ConfigResource(ResourceType.BROKER, "0")
    assert "num.partitions" in admin.describe_configs([broker])[broker].result(15)


def test_create_partitions_and_delete_records(node):
    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    topic = fresh("parts")
    admin.create_topics([NewTopic(topic, 2, 1)])[topic].result(15)
    admin.create_partitions([NewPartitions(topic, 5)])[topic].result(15)
    assert len(admin.list_topics(timeout=10).topics[topic].partitions) == 5

    producer = Producer({"bootstrap.servers": node.bootstrap})
    for i in range(10):
        producer.produce(topic, value=b"%d" % i, partition=4)
    assert producer.flush(15) == 0
    deleted = admin.delete_records([TopicPartition(topic, 4, 6)])
    low = list(deleted.values())[0].result(15)
    assert low.low_watermark == 6
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "unused"})
    assert consumer.get_watermark_offsets(TopicPartition(topic, 4), timeout=10) == (6, 10)
    consumer.close()


def test_kafka_python_admin_describes_configs_and_cluster(node):
    from kafka.admin import ConfigResource as KConfigResource
    from kafka.admin import ConfigResourceType, KafkaAdminClient, NewTopic as KNewTopic

    admin = KafkaAdminClient(bootstrap_servers=node.bootstrap)
    topic = fresh("kpadmin")
    admin.create_topics([KNewTopic(topic, 3, 1, topic_configs={"retention.ms": "123456"})])
    assert topic in admin.list_topics()
    # kafka-python's default filter returns the settings that differ from the defaults.
    described = admin.describe_configs([KConfigResource(ConfigResourceType.TOPIC, topic)])
    assert "retention.ms" in str(described) and "123456" in str(described)
    assert "segment.bytes" not in str(described)
    cluster = admin.describe_cluster()
    assert cluster["controller_id"] == 0
    admin.delete_topics([topic])
    deadline = time.monotonic() + 10
    while topic in admin.list_topics() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert topic not in admin.list_topics()
    admin.close()


def test_keyless_records_on_a_compacted_topic_get_invalid_record(node):
    from confluent_kafka import KafkaException, Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    admin.create_topics([NewTopic("compacted-keys", 1, 1, config={"cleanup.policy": "compact"})])["compacted-keys"].result(15)
    errors = []
    producer = Producer({"bootstrap.servers": node.bootstrap, "linger.ms": 0})
    # One batch each: a keyless record fails its whole batch, as in Kafka.
    producer.produce("compacted-keys", value=b"no key", on_delivery=lambda err, msg: errors.append(err))
    producer.flush(15)
    producer.produce("compacted-keys", key=b"k", value=b"keyed", on_delivery=lambda err, msg: errors.append(err))
    producer.flush(15)
    codes = sorted(str(e.name()) if e else "OK" for e in errors)
    assert codes == ["INVALID_RECORD", "OK"], codes


def test_topic_compression_type_converts_batches(node):
    """compression.type=zstd on the topic: uncompressed batches are stored as zstd (checked by
    reading the stored batch's attributes through a raw Fetch) and read back intact."""
    from confluent_kafka import Consumer, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": node.bootstrap})
    admin.create_topics([NewTopic("zstd-topic", 1, 1, config={"compression.type": "zstd"})])["zstd-topic"].result(15)
    producer = Producer({"bootstrap.servers": node.bootstrap, "compression.type": "none"})
    for i in range(50):
        producer.produce("zstd-topic", key=str(i).encode(), value=(b"v%d" % i) * 50)
    assert producer.flush(15) == 0
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "z", "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition("zstd-topic", 0, 0)])
    values = []
    while len(values) < 50:
        message = consumer.poll(10)
        assert message is not None and message.error() is None
        values.append(message.value())
    consumer.close()
    assert values == [(b"v%d" % i) * 50 for i in range(50)]
    # The segment holds zstd batches: codec id 4 in the attributes at byte 22 of each batch.
    import glob
    import struct
    segment = sorted(glob.glob(f"{node.data_dir}/zstd-topic-0/*.log"))[0]
    data = open(segment, "rb").read()
    position, codecs = 0, set()
    while position + 61 <= len(data):
        length = struct.unpack_from(">i", data, position + 8)[0]
        codecs.add(struct.unpack_from(">h", data, position + 21)[0] & 7)
        position += 12 + length
    assert codecs == {4}, codecs
    bad = admin.create_topics([NewTopic("bad-codec", 1, 1, config={"compression.type": "brotli"})])["bad-codec"]
    try:
        bad.result(15)
        raise AssertionError("accepted compression.type=brotli")
    except Exception as error:  # noqa: BLE001
        assert "INVALID_CONFIG" in str(error) or "brotli" in str(error)
