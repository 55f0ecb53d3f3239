import Avro
import OrderedJSON
import Synchronization

/// Serializes keys or values to Avro in Confluent's wire format (magic 0, schema id, Avro binary),
/// registering or looking up the schema under the subject its strategy names.
///
/// `AvroSerializer<AvroValue>` writes generic records; `AvroSerializer<T>` for an `Encodable` T
/// writes Swift values through Avro's Codable bridge. Both compile the writer schema once and keep
/// the id per topic, so after the first record of a topic no registry call is made (with
/// `useLatestVersion`, the client's latest-version cache decides how often the registry is asked).
public final class AvroSerializer<Value>: Sendable {
    /// Appends the encoding of one value (after the frame's prefix), with a writer schema compiled once.
    @usableFromInline typealias Encode = @Sendable (Value, inout [UInt8]) throws -> Void

    public let client: SchemaRegistryClient
    /// The serializer's own schema, as registered; nil only with `useLatestVersion`.
    public let schema: Schema?
    public let field: MessageField
    public let options: SerializerOptions
    let parsed: AvroSchema?
    let compile: @Sendable (AvroSchema) throws -> Encode
    /// Schema id → its compiled encoder.
    let encoders = Mutex<[Int: Encode]>([:])
    /// Topic → what its records are written with: one lookup per record once a topic is known
    /// (not with `useLatestVersion`, where the client's cache decides).
    @usableFromInline let writersByTopic = Mutex(LastHitDictionary<String, (id: Int, encode: Encode)>())
    /// The schema's full record name, for the RecordName strategies.
    let recordName: String?
    /// The largest payload written so far: the room reserved after the prefix, so a record of
    /// a kilobyte is not grown from 64 bytes by doubling each time.
    @usableFromInline let payloadCapacity = Atomic<Int>(64)

    @usableFromInline
    init(client: SchemaRegistryClient, schema: Schema?, field: MessageField, options: SerializerOptions,
         compile: @escaping @Sendable (AvroSchema) throws -> Encode) throws(SerdeError) {
        if let schema {
            guard schema.type == .avro else { throw .invalidSchema(nil, subject: nil, reason: "an Avro serializer needs an Avro schema, not \(schema.type.rawValue)") }
        } else if !options.useLatestVersion {
            throw .invalidSchema(nil, subject: nil, reason: "a schema is needed unless useLatestVersion is set")
        }
        self.client = client
        self.schema = schema
        self.field = field
        self.options = options
        self.compile = compile
        // Schemas with references are parsed on first use, when the referenced versions are fetched.
        if let schema, schema.references.isEmpty {
            do {
                parsed = try AvroSchema(parsing: schema.text)
            } catch {
                throw .invalidSchema(nil, subject: nil, reason: error.description)
            }
        } else {
            parsed = nil
        }
        recordName = parsed.flatMap(RegistryAvroSchemas.recordName) ?? schema.flatMap(Self.declaredName)
    }

    /// The subject this serializer writes `topic`'s records under.
    public func subject(topic: String) throws(SerdeError) -> String {
        try options.subjectNameStrategy.subject(topic: topic, field: field, recordName: recordName)
    }

    /// The framed bytes of `value` for a record of `context.topic`.
    public func serialize(_ value: Value, context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        try frame(value, writer: try await writer(topic: context.topic), context: context)
    }

    /// The framed bytes of `value` when the topic's schema id and writer are cached (always so
    /// after its first record, unless `useLatestVersion` lets the client's cache decide).
    /// Inlinable, so that a typed producer's per-record path is specialized for `Value`.
    @inlinable
    public func serializeIfReady(_ value: Value, context: SerializationContext) throws(SerdeError) -> [UInt8]? {
        guard !options.useLatestVersion, let writer = writersByTopic.withLock({ $0.value(for: context.topic) }) else { return nil }
        return try frame(value, writer: writer, context: context)
    }

    @inlinable
    func frame(_ value: Value, writer: (id: Int, encode: Encode), context: SerializationContext) throws(SerdeError) -> [UInt8] {
        var bytes: [UInt8]
        do {
            bytes = try ConfluentWireFormat.prefix(schemaID: writer.id, reservingCapacity: payloadCapacity.load(ordering: .relaxed))
        } catch {
            throw .wireFormat(error, location: context.location)
        }
        let reserved = bytes.capacity
        do {
            try writer.encode(value, &bytes)
        } catch {
            throw invalidValue(error, schemaID: writer.id, context: context)
        }
        // A larger record than any before: reserve its size from now on (a relaxed race between
        // two threads only leaves one of their sizes, either of which is a fair hint).
        if bytes.count > reserved { payloadCapacity.store(bytes.count, ordering: .relaxed) }
        return bytes
    }

    @usableFromInline
    func invalidValue(_ error: any Error, schemaID: Int, context: SerializationContext) -> SerdeError {
        .invalidValue(subject: (try? subject(topic: context.topic)) ?? context.topic, schemaID: schemaID, reason: "\(error)")
    }

    /// The id and encoder for `topic`'s records: from the per-topic cache, else by subject.
    func writer(topic: String) async throws(SerdeError) -> (id: Int, encode: Encode) {
        if !options.useLatestVersion, let hit = writersByTopic.withLock({ $0.value(for: topic) }) { return hit }
        let found = try await writer(subject: try subject(topic: topic))
        if !options.useLatestVersion { writersByTopic.withLock { $0.set(found, for: topic) } }
        return found
    }

    /// The id to write (the registry client's, which caches it) and its encoder (compiled once per id).
    func writer(subject: String) async throws(SerdeError) -> (Int, Encode) {
        // The client keeps what it registered or looked up, so this asks the registry once per
        // subject (and runs once per topic: `writer(topic:)` keeps the answer).
        let registered = try await client.writerSchema(subject: subject, schema: schema, options: options)
        if let encode = encoders.withLock({ $0[registered.id] }) { return (registered.id, encode) }
        let writerSchema: AvroSchema
        if !options.useLatestVersion, let parsed {
            writerSchema = parsed
        } else {
            writerSchema = try await RegistryAvroSchemas.parse(registered, client: client, identifier: .id(registered.id))
        }
        let encode: Encode
        do {
            encode = try compile(writerSchema)
        } catch {
            throw .invalidSchema(.id(registered.id), subject: subject, reason: "\(error)")
        }
        encoders.withLock { $0[registered.id] = encode }
        return (registered.id, encode)
    }

    /// A named schema's full name read from its text, for schemas that parse only with their
    /// references.
    static func declaredName(_ schema: Schema) -> String? {
        guard let json = try? JSONParser.parse(schema.text), let name = json["name"]?.stringValue else { return nil }
        if name.contains(".") { return name }
        return json["namespace"]?.stringValue.map { $0.isEmpty ? name : "\($0).\(name)" } ?? name
    }
}

extension AvroSerializer where Value == AvroValue {
    /// A serializer of generic values of `schema`.
    public convenience init(client: SchemaRegistryClient, schema: Schema?, field: MessageField = .value,
                            options: SerializerOptions = .init()) throws(SerdeError) {
        try self.init(client: client, schema: schema, field: field, options: options) { writer in
            let rawBytes = RegistryAvroSchemas.isRawBytes(writer)
            return { value, bytes in
                if rawBytes, case .bytes(let raw) = value {
                    bytes += raw
                } else {
                    bytes += try AvroBinaryEncoder.encode(value, schema: writer)
                }
            }
        }
    }
}
