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
    let keyDeserializer: any Deserializer<Key>
    let valueDeserializer: any Deserializer<Value>

    public init(consumer: KafkaConsumer, keyDeserializer: any Deserializer<Key>, valueDeserializer: any Deserializer<Value>) {
        self.consumer = consumer
        self.keyDeserializer = keyDeserializer
        self.valueDeserializer = valueDeserializer
    }

    /// Decoded records, in the order the consumer delivers them.
    public var records: TypedRecords<Key, Value> { TypedRecords(consumer: self) }

    /// Decodes one raw record.
    public func decode(_ record: ConsumerRecord) async throws(SerdeError) -> TypedRecord<Key, Value> {
        let headers = record.headers.map { (key: $0.key, value: $0.value) }
        func context(_ field: MessageField) -> SerializationContext {
            SerializationContext(topic: record.topic, field: field, headers: headers,
                                 partition: record.partition, offset: record.offset)
        }
        var key: Key?
        if let bytes = record.key { key = try await keyDeserializer.deserialize(bytes, context: context(.key)) }
        var value: Value?
        if let bytes = record.value { value = try await valueDeserializer.deserialize(bytes, context: context(.value)) }
        return TypedRecord(record: record, key: key, value: value)
    }

    public func close() async {
        await consumer.close()
    }
}

/// The AsyncSequence of a ``TypedConsumer``'s decoded records.
public struct TypedRecords<Key: Sendable, Value: Sendable>: AsyncSequence, Sendable {
    public typealias Element = TypedRecord<Key, Value>
    let consumer: TypedConsumer<Key, Value>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var raw: ConsumerRecords.AsyncIterator
        let consumer: TypedConsumer<Key, Value>

        public mutating func next() async throws -> TypedRecord<Key, Value>? {
            guard let record = try await raw.next() else { return nil }
            return try await consumer.decode(record)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(raw: consumer.consumer.records.makeAsyncIterator(), consumer: consumer)
    }
}
