import Compression

/// How many brokers must have a record before its delivery succeeds (`acks`).
public enum Acks: Int16, Sendable {
    /// Fire and forget: the broker does not answer (offsets are unknown, -1).
    case none = 0
    /// The leader has appended it.
    case leader = 1
    /// Every in-sync replica has it (on a single node: it is on disk).
    case all = -1
}

/// The codec batches are compressed with (`compression.type`).
public typealias BatchCompression = CompressionCodec

/// A producer's settings; the defaults are the Java producer's.
public struct ProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    public var acks: Acks = .all
    /// How long a batch waits for more records before it is sent (`linger.ms`, 5 ms).
    public var linger: Duration = .milliseconds(5)
    /// A batch is sent once it holds this many bytes (`batch.size`, 16 KiB).
    public var batchSize: Int = 16 * 1024
    /// The most bytes of records waiting to be delivered; `send` waits when they are reached
    /// (`buffer.memory`, 32 MiB).
    public var bufferMemory: Int = 32 << 20
    /// The most bytes of batches in one Produce request (`max.request.size`, 1 MiB).
    public var maxRequestSize: Int = 1 << 20
    public var compression: BatchCompression = .none
    /// Exactly-once per partition: a producer id and sequence numbers let the broker drop
    /// retried duplicates and refuse gaps (`enable.idempotence`). Needs `acks = .all`.
    public var idempotence: Bool = true
    /// The most requests in flight to one broker (`max.in.flight.requests.per.connection`, 5,
    /// which idempotence keeps ordered).
    public var maxInFlightPerBroker: Int = 5
    /// How long a record may take from `send` to its delivery, retries included (`delivery.timeout.ms`).
    public var deliveryTimeout: Duration = .seconds(120)
    /// The broker's wait for replicas, sent in each request (`request.timeout.ms` on the wire).
    public var produceTimeout: Duration = .seconds(30)

    public init(client: KafkaClientConfiguration) {
        self.client = client
    }

    /// A producer for `bootstrap` (comma-separated `host:port` list).
    public init(bootstrap: String) {
        self.init(client: KafkaClientConfiguration(bootstrap: bootstrap))
    }

    func validate() throws(KafkaClientError) {
        if idempotence && acks != .all {
            throw .invalidArgument("idempotence needs acks=all (acks is \(acks)); set idempotence = false for acks 0 or 1")
        }
        guard batchSize > 0, bufferMemory >= batchSize, maxRequestSize > 0 else {
            throw .invalidArgument("batchSize (\(batchSize)) must be positive and at most bufferMemory (\(bufferMemory))")
        }
        guard maxInFlightPerBroker >= 1 else { throw .invalidArgument("maxInFlightPerBroker must be at least 1") }
        if idempotence && maxInFlightPerBroker > 5 {
            throw .invalidArgument("idempotence keeps order for at most 5 requests in flight (asked \(maxInFlightPerBroker))")
        }
    }
}

/// A record to produce.
public struct ProducerRecord: Sendable {
    public var topic: String
    /// Nil lets the partitioner choose: murmur2 of the key, or a sticky partition for null keys.
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// Milliseconds since the epoch; nil takes the time of `send` (CreateTime).
    public var timestamp: Int64?

    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}

/// Where a delivered record landed.
public struct RecordMetadata: Sendable, Equatable {
    public var topicPartition: TopicPartition
    /// -1 when unknown (acks=0).
    public var offset: Int64
    /// The record's timestamp: its CreateTime, or the broker's LogAppendTime when the topic uses it.
    public var timestamp: Int64
}
