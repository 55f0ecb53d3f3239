/// Turns a key or value into the bytes of a Kafka record. Confluent's serializers, Sluice's
/// Avro and JSON Schema ones, and the plain ones below all conform, so a typed producer takes
/// any of them for its keys and values.
public protocol Serializer<Value>: Sendable {
    associatedtype Value
    func serialize(_ value: Value, context: SerializationContext) async throws(SerdeError) -> [UInt8]
}

/// Turns the bytes of a record's key or value back into a value (the reverse of ``Serializer``).
public protocol Deserializer<Value>: Sendable {
    associatedtype Value
    func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> Value
}

extension AvroSerializer: Serializer {}
extension AvroDeserializer: Deserializer {}
extension JSONSchemaSerializer: Serializer {}
extension JSONSchemaDeserializer: Deserializer {}

/// UTF-8 text without a schema (Kafka's `StringSerializer`), for keys most of all.
public struct StringSerde: Serializer, Deserializer {
    public init() {}

    public func serialize(_ value: String, context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        Array(value.utf8)
    }

    public func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// The bytes as they are (Kafka's `ByteArraySerializer`).
public struct BytesSerde: Serializer, Deserializer {
    public init() {}

    public func serialize(_ value: [UInt8], context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        value
    }

    public func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        bytes
    }
}
