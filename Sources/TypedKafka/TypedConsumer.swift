import KafkaClient
import Serde

/// A consumed record with its key and value decoded; `record` keeps the raw bytes, the
/// position and the headers.
public struct TypedRecord<Key: Sendable, Value: Sendable>: Sendable {
    public let record: ConsumerRecord
    /// nil when the record has no key.
    public let key: Key?
    /// nil for a tombstone.
    public let value: Value?

    @inlinable
    public init(record: ConsumerRecord, key: Key?, value: Value?) {
        self.record = record
        self.key = key
        self.value = value
    }
}

/// A consumer of typed records over a ``KafkaConsumer``: each record's key and value are
/// decoded by their deserializers. With an Avro deserializer that has a reader schema, data
/// written under any compatible writer schema is resolved into it (a compiled resolver per
/// writer/reader pair), so a consumer reads old and new records alike.
///
/// A record that cannot be decoded ends the iteration with a ``SerdeError`` naming the topic,
/// partition, offset, schema id and field; the consumer's position is then just past it, as
/// the caller may decide to go on (`records` again) or stop.
public final class TypedConsumer<Key: Sendable, Value: Sendable>: Sendable {
    public let consumer: KafkaConsumer
    @usableFromInline let keyDeserializer: any Deserializer<Key>
    @usableFromInline let valueDeserializer: any Deserializer<Value>
    // The synchronous paths, specialized where the consumer is made (as in TypedProducer).
    @usableFromInline let keyIfReady: @Sendable ([UInt8], SerializationContext) throws(SerdeError) -> Key?
    @usableFromInline let valueIfReady: @Sendable ([UInt8], SerializationContext) throws(SerdeError) -> Value?

    @inlinable
    public init<KeyDeserializer: Deserializer<Key>, ValueDeserializer: Deserializer<Value>>(
        consumer: KafkaConsumer, keyDeserializer: KeyDeserializer, valueDeserializer: ValueDeserializer
    ) {
        self.consumer = consumer
        self.keyDeserializer = keyDeserializer
        self.valueDeserializer = valueDeserializer
        keyIfReady = { (bytes, context) throws(SerdeError) in try keyDeserializer.deserializeIfReady(bytes, context: context) }
        valueIfReady = { (bytes, context) throws(SerdeError) in try valueDeserializer.deserializeIfReady(bytes, context: context) }
    }

    /// Decoded records, in the order the consumer delivers them.
    @inlinable
    public var records: TypedRecords<Key, Value> { TypedRecords(consumer: self) }

    /// Decodes one raw record.
    @inlinable
    public func decode(_ record: ConsumerRecord) async throws(SerdeError) -> TypedRecord<Key, Value> {
        let headers = record.headers.contextPairs
        var key: Key?
        if let bytes = record.key {
            key = try await keyDeserializer.deserialize(bytes, context: Self.context(record, .key, headers))
        }
        var value: Value?
        if let bytes = record.value {
            value = try await valueDeserializer.deserialize(bytes, context: Self.context(record, .value, headers))
        }
        return TypedRecord(record: record, key: key, value: value)
    }

    /// Decodes one raw record's key and value without suspending, or nil when a deserializer
    /// must fetch a schema first (then ``decode(_:)`` does). The caller builds the
    /// ``TypedRecord``, where the raw record is used last, so it is moved into it, not copied.
    @inlinable
    func decodeFieldsIfReady(_ record: borrowing ConsumerRecord) throws(SerdeError) -> (key: Key?, value: Value?)? {
        let headers = record.headers.contextPairs
        var key: Key?
        if let bytes = record.key {
            guard let decoded = try keyIfReady(bytes, Self.context(record, .key, headers)) else { return nil }
            key = decoded
        }
        var value: Value?
        if let bytes = record.value {
            guard let decoded = try valueIfReady(bytes, Self.context(record, .value, headers)) else { return nil }
            value = decoded
        }
        return (key, value)
    }

    @inlinable
    static func context(_ record: borrowing ConsumerRecord, _ field: MessageField, _ headers: [(key: String, value: [UInt8]?)]) -> SerializationContext {
        SerializationContext(topic: record.topic, field: field, headers: headers, partition: record.partition, offset: record.offset)
    }

    public func close() async {
        await consumer.close()
    }
}

/// The AsyncSequence of a ``TypedConsumer``'s decoded records.
public struct TypedRecords<Key: Sendable, Value: Sendable>: AsyncSequence, Sendable {
    public typealias Element = TypedRecord<Key, Value>
    @usableFromInline let consumer: TypedConsumer<Key, Value>

    @inlinable
    init(consumer: TypedConsumer<Key, Value>) {
        self.consumer = consumer
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        @usableFromInline var raw: ConsumerRecords.AsyncIterator
        @usableFromInline let consumer: TypedConsumer<Key, Value>

        @inlinable
        init(raw: ConsumerRecords.AsyncIterator, consumer: TypedConsumer<Key, Value>) {
            self.raw = raw
            self.consumer = consumer
        }

        @inlinable
        public mutating func next() async throws -> TypedRecord<Key, Value>? {
            try await next(isolation: nil)
        }

        /// `for try await` calls this one. It runs on the caller's executor and decodes without
        /// suspending when the schemas are known: each call of a nonisolated async function
        /// would begin with a hop to the generic executor, which costs more than a small record.
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> TypedRecord<Key, Value>? {
            guard let record = try await raw.next(isolation: actor) else { return nil }
            if let fields = try consumer.decodeFieldsIfReady(record) {
                return TypedRecord(record: record, key: fields.key, value: fields.value)
            }
            return try await consumer.decode(record)
        }
    }

    @inlinable
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(raw: consumer.consumer.records.makeAsyncIterator(), consumer: consumer)
    }
}
