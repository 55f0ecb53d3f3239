/// Turns a key or value into the bytes of a Kafka record. Confluent's serializers, Sluice's
/// Avro and JSON Schema ones, and the plain ones below all conform, so a typed producer takes
/// any of them for its keys and values.
public protocol Serializer<Value>: Sendable {
    associatedtype Value
    func serialize(_ value: Value, context: SerializationContext) async throws(SerdeError) -> [UInt8]
    /// The bytes of `value` without waiting, when the serializer already has what it needs (the
    /// subject's schema id and compiled writer); nil when only ``serialize(_:context:)`` can do it
    /// (the registry must be asked first). Typed producers try this first: after the first record
    /// of a topic a send makes no suspension for its serializers.
    func serializeIfReady(_ value: Value, context: SerializationContext) throws(SerdeError) -> [UInt8]?
}

extension Serializer {
    /// Serializers that always may need to wait answer nil.
    public func serializeIfReady(_ value: Value, context: SerializationContext) throws(SerdeError) -> [UInt8]? { nil }
}

/// Turns the bytes of a record's key or value back into a value (the reverse of ``Serializer``).
public protocol Deserializer<Value>: Sendable {
    associatedtype Value
    func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> Value
    /// The value of `bytes` without waiting, when the writer schema's decoder is already compiled;
    /// nil when only ``deserialize(_:context:)`` can do it (a schema must be fetched first).
    func deserializeIfReady(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> Value?
}

extension Deserializer {
    /// Deserializers that always may need to wait answer nil.
    public func deserializeIfReady(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> Value? { nil }
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

    public func serializeIfReady(_ value: String, context: SerializationContext) throws(SerdeError) -> [UInt8]? {
        Array(value.utf8)
    }

    public func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    public func deserializeIfReady(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> String? {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// The bytes as they are (Kafka's `ByteArraySerializer`).
public struct BytesSerde: Serializer, Deserializer {
    public init() {}

    public func serialize(_ value: [UInt8], context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        value
    }

    public func serializeIfReady(_ value: [UInt8], context: SerializationContext) throws(SerdeError) -> [UInt8]? {
        value
    }

    public func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        bytes
    }

    public func deserializeIfReady(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> [UInt8]? {
        bytes
    }
}
