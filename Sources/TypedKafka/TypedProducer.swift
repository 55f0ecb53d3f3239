import KafkaClient
import Serde

/// A producer of typed records: keys and values go through their serializers (Avro, JSON
/// Schema, strings, bytes) and out through a ``KafkaProducer``. The serializers register or
/// look up their schemas on first use and cache the ids, so after the first record of a
/// subject a send costs the encoding and the producer's batching, nothing more.
///
/// ```swift
/// let registry = SchemaRegistryClient(url: "http://127.0.0.1:8081")
/// let users = try TypedProducer(
///     producer: KafkaProducer(configuration: .init(bootstrap: "127.0.0.1:9092")),
///     keySerializer: StringSerde(),
///     valueSerializer: AvroSerializer(client: registry, schema: userSchema, for: User.self))
/// try await users.produce(topic: "users", key: user.id, value: user)
/// ```
public final class TypedProducer<Key: Sendable, Value: Sendable>: Sendable {
    public let producer: KafkaProducer
    @usableFromInline let keySerializer: any Serializer<Key>
    @usableFromInline let valueSerializer: any Serializer<Value>
    // The serializers' synchronous paths, made where the producer is made (the initializer is
    // inlinable): there their concrete types are known, so the per-record path is specialized
    // rather than run through the protocol's generic witnesses.
    @usableFromInline let keyIfReady: @Sendable (Key, SerializationContext) throws(SerdeError) -> [UInt8]?
    @usableFromInline let valueIfReady: @Sendable (Value, SerializationContext) throws(SerdeError) -> [UInt8]?

    @inlinable
    public init<KeySerializer: Serializer<Key>, ValueSerializer: Serializer<Value>>(
        producer: KafkaProducer, keySerializer: KeySerializer, valueSerializer: ValueSerializer
    ) {
        self.producer = producer
        self.keySerializer = keySerializer
        self.valueSerializer = valueSerializer
        keyIfReady = { (key, context) throws(SerdeError) in try keySerializer.serializeIfReady(key, context: context) }
        valueIfReady = { (value, context) throws(SerdeError) in try valueSerializer.serializeIfReady(value, context: context) }
    }

    /// Serializes and enqueues one record; the receipt completes when the broker acknowledges
    /// it. A nil value is a tombstone. Throws ``SerdeError`` before anything is sent when the
    /// key or value does not fit its schema. Runs on the caller's executor, as
    /// ``KafkaProducer/send(_:)`` does.
    @inlinable
    nonisolated(nonsending) public func send(topic: String, key: Key?, value: Value?, headers: [RecordHeader] = [],
                     partition: Int32? = nil, timestamp: Int64? = nil) async throws -> DeliveryReceipt {
        // The synchronous path first: each call of a nonisolated async function begins with a hop
        // to the generic executor, which costs more than serializing a small record.
        let record: ProducerRecord
        if let ready = try serializeIfReady(topic: topic, key: key, value: value, headers: headers, partition: partition, timestamp: timestamp) {
            record = ready
        } else {
            record = try await serialize(topic: topic, key: key, value: value, headers: headers, partition: partition, timestamp: timestamp)
        }
        return try await producer.send(record)
    }

    /// ``send(topic:key:value:headers:partition:timestamp:)`` and the wait for its acknowledgement.
    @discardableResult
    public func produce(topic: String, key: Key?, value: Value?, headers: [RecordHeader] = [],
                        partition: Int32? = nil, timestamp: Int64? = nil) async throws -> RecordMetadata {
        try await send(topic: topic, key: key, value: value, headers: headers, partition: partition,
                       timestamp: timestamp).metadata()
    }

    public func flush() async {
        await producer.flush()
    }

    public func close() async {
        await producer.close()
    }

    /// The record with its key and value serialized, or nil when a serializer must ask the
    /// registry first.
    @inlinable
    func serializeIfReady(topic: String, key: Key?, value: Value?, headers: [RecordHeader], partition: Int32?,
                          timestamp: Int64?) throws(SerdeError) -> ProducerRecord? {
        let pairs = headers.contextPairs
        var keyBytes: [UInt8]?
        if let key {
            guard let bytes = try keyIfReady(key, SerializationContext(topic: topic, field: .key, headers: pairs)) else { return nil }
            keyBytes = bytes
        }
        var valueBytes: [UInt8]?
        if let value {
            guard let bytes = try valueIfReady(value, SerializationContext(topic: topic, field: .value, headers: pairs)) else { return nil }
            valueBytes = bytes
        }
        return ProducerRecord(topic: topic, partition: partition, key: keyBytes, value: valueBytes,
                              headers: headers, timestamp: timestamp)
    }

    @inlinable
    func serialize(topic: String, key: Key?, value: Value?, headers: [RecordHeader], partition: Int32?,
                   timestamp: Int64?) async throws(SerdeError) -> ProducerRecord {
        let pairs = headers.contextPairs
        var keyBytes: [UInt8]?
        if let key { keyBytes = try await keySerializer.serialize(key, context: SerializationContext(topic: topic, field: .key, headers: pairs)) }
        var valueBytes: [UInt8]?
        if let value { valueBytes = try await valueSerializer.serialize(value, context: SerializationContext(topic: topic, field: .value, headers: pairs)) }
        return ProducerRecord(topic: topic, partition: partition, key: keyBytes, value: valueBytes,
                              headers: headers, timestamp: timestamp)
    }
}

extension Array where Element == RecordHeader {
    /// The headers as a ``SerializationContext`` carries them.
    @inlinable
    var contextPairs: [(key: String, value: [UInt8]?)] {
        isEmpty ? [] : map { (key: $0.key, value: $0.value) }
    }
}
