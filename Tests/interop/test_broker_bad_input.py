"""Bad input never costs the broker or other clients anything: raw frames over a socket."""
import socket
import struct

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

# The record-batch notes' vector: two records, as kafka-python produced them (CRC 0x212500a3).
VECTOR = bytes.fromhex(
    "0000000000000000000000480000000002212500a30000000000010000018bcfe568000000018bcfe56805"
    "ffffffffffffffffffffffffffff000000021000000001046869001a000a02026b0476320202680278")


def connect(node):
    sock = socket.create_connection(("127.0.0.1", node.kafka_port), timeout=10)
    return sock


def request(api_key, version, correlation_id, body, client_id=b"raw"):
    header = struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def read_response(sock):
    size = struct.unpack(">i", recv_exactly(sock, 4))[0]
    return recv_exactly(sock, size)


def recv_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def is_closed(sock):
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return True


def produce_v3(topic, batch, correlation_id=9):
    name = topic.encode()
    body = struct.pack(">hhi", -1, 1, 5000) + struct.pack(">i", 1) + struct.pack(">h", len(name)) + name
    body += struct.pack(">i", 1) + struct.pack(">i", 0) + struct.pack(">i", len(batch)) + batch
    return request(0, 3, correlation_id, body)


def produce_v3_error(response):
    # correlation id, responses[1]: name, partitions[1]: index, error code, ...
    offset = 4 + 4
    name_length = struct.unpack_from(">h", response, offset)[0]
    offset += 2 + name_length + 4 + 4
    return struct.unpack_from(">h", response, offset)[0], struct.unpack_from(">q", response, offset + 2)[0]


def make_topic(node, name):
    admin = AdminClient({"bootstrap.servers": node.bootstrap})  # must outlive the future
    admin.create_topics([NewTopic(name, 1, 1)])[name].result(15)


def end_offset(node, topic):
    consumer = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "unused"})
    _, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
    consumer.close()
    return high


def test_a_valid_raw_produce_appends(node):
    make_topic(node, "raw-ok")
    with connect(node) as sock:
        sock.sendall(produce_v3("raw-ok", VECTOR))
        error, base_offset = produce_v3_error(read_response(sock))
    assert (error, base_offset) == (0, 0)
    assert end_offset(node, "raw-ok") == 2


def test_a_corrupt_batch_gets_corrupt_message_and_nothing_is_appended(node):
    make_topic(node, "raw-corrupt")
    corrupt = bytearray(VECTOR)
    corrupt[70] ^= 0x01
    with connect(node) as sock:
        sock.sendall(produce_v3("raw-corrupt", bytes(corrupt)))
        error, _ = produce_v3_error(read_response(sock))
        assert error == 2  # CORRUPT_MESSAGE
        # The connection stays usable after a per-partition error.
        sock.sendall(produce_v3("raw-corrupt", VECTOR, correlation_id=10))
        assert produce_v3_error(read_response(sock))[0] == 0
    assert end_offset(node, "raw-corrupt") == 2


def test_inconsistent_record_count_is_rejected(node):
    make_topic(node, "raw-count")
    bad = bytearray(VECTOR)
    bad[60] = 3  # recordsCount 3 with lastOffsetDelta 1 (CRC recomputed would not help: the count is checked)
    with connect(node) as sock:
        sock.sendall(produce_v3("raw-count", bytes(bad)))
        assert produce_v3_error(read_response(sock))[0] in (2, 87)
    assert end_offset(node, "raw-count") == 0


def test_a_malformed_frame_closes_only_that_connection(node):
    with connect(node) as sock:
        sock.sendall(struct.pack(">i", 6) + b"\x00\x03\x00\x01\xff\xff")  # a Metadata header cut short
        assert is_closed(sock)
    with connect(node) as sock:
        sock.sendall(struct.pack(">i", -5))
        assert is_closed(sock)
    with connect(node) as sock:
        sock.sendall(struct.pack(">i", 200 * 1024 * 1024))  # over socket.request.max.bytes
        assert is_closed(sock)
    with connect(node) as sock:
        sock.sendall(request(999, 0, 1, b""))  # unknown API key
        assert is_closed(sock)
    # The broker still serves.
    with connect(node) as sock:
        sock.sendall(request(18, 0, 5, b""))
        response = read_response(sock)
        assert struct.unpack_from(">ih", response, 0) == (5, 0)


def test_apiversions_from_the_future_gets_v0_unsupported_version_with_the_table(node):
    with connect(node) as sock:
        sock.sendall(request(18, 99, 11, b""))
        response = read_response(sock)
    correlation_id, error, count = struct.unpack_from(">ihi", response, 0)
    assert (correlation_id, error) == (11, 35)
    entries = {struct.unpack_from(">h", response, 10 + 6 * i)[0]: struct.unpack_from(">hh", response, 12 + 6 * i) for i in range(count)}
    assert entries[18] == (0, 4)
    assert entries[0] == (0, 11)  # Produce: 0 listed for old librdkafka, 3+ implemented


def test_produce_below_v3_is_answered_unsupported_version(node):
    make_topic(node, "raw-v2")
    name = b"raw-v2"
    body = struct.pack(">hi", 1, 5000) + struct.pack(">i", 1) + struct.pack(">h", len(name)) + name
    body += struct.pack(">i", 1) + struct.pack(">i", 0) + struct.pack(">i", 0)
    with connect(node) as sock:
        sock.sendall(request(0, 2, 12, body))
        response = read_response(sock)
    offset = 4 + 4 + 2 + len(name) + 4 + 4
    assert struct.unpack_from(">h", response, offset)[0] == 35


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def idempotent_batch(producer_id, epoch, sequence):
    """VECTOR (two records) as an idempotent producer's batch, CRC recomputed."""
    batch = bytearray(VECTOR)
    struct.pack_into(">qhi", batch, 43, producer_id, epoch, sequence)
    struct.pack_into(">I", batch, 17, crc32c(bytes(batch[21:])))
    return bytes(batch)


def test_idempotent_producer_state_survives_a_restart(data_dir):
    from conftest import SluiceNode

    node = SluiceNode(data_dir).start()
    node.wait_healthy()
    make_topic(node, "idem")
    with connect(node) as sock:
        for correlation, sequence in enumerate([0, 2]):
            sock.sendall(produce_v3("idem", idempotent_batch(4242, 0, sequence), correlation_id=correlation))
            assert produce_v3_error(read_response(sock)) == (0, sequence)
    assert node.stop() == 0
    node = SluiceNode(data_dir, kafka_port=node.kafka_port).start()
    try:
        node.wait_healthy()
        with connect(node) as sock:
            # A retry of the last batch is a duplicate: its original offset, nothing appended.
            sock.sendall(produce_v3("idem", idempotent_batch(4242, 0, 2), correlation_id=1))
            assert produce_v3_error(read_response(sock)) == (0, 2)
            # A gap is still out of order.
            sock.sendall(produce_v3("idem", idempotent_batch(4242, 0, 10), correlation_id=2))
            assert produce_v3_error(read_response(sock))[0] == 45  # OUT_OF_ORDER_SEQUENCE_NUMBER
            # The next sequence goes on.
            sock.sendall(produce_v3("idem", idempotent_batch(4242, 0, 4), correlation_id=3))
            assert produce_v3_error(read_response(sock)) == (0, 4)
        assert end_offset(node, "idem") == 6
    finally:
        assert node.stop() == 0
