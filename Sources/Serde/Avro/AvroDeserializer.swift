import Avro
import Synchronization

/// Deserializes keys or values written by any Confluent-compatible Avro serializer: the schema
/// is named by the record's schema-id header or its wire-format prefix, fetched once per id and
/// cached, and the data is resolved into the consumer's reader schema (new fields from their
/// defaults, removed fields skipped, promotions) by one compiled resolver per (writer, reader) pair.
///
/// Without a reader schema the data is read as written, or, with `useLatestVersion`, into the
/// subject's latest version. `AvroDeserializer<AvroValue>` returns generic values,
/// `AvroDeserializer<T>` for a `Decodable` T decodes Swift values.
public final class AvroDeserializer<Value>: Sendable {
    @usableFromInline typealias Decode = @Sendable (ArraySlice<UInt8>) throws -> Value
    @usableFromInline typealias Compile = @Sendable (_ writer: AvroSchema, _ reader: AvroSchema) throws -> Decode

    @usableFromInline
    struct PairKey: Hashable {
        @usableFromInline let writer: SchemaIdentifier
        /// The registry id of a latest-version reader; nil for the fixed reader (or none).
        @usableFromInline let reader: Int?

        @usableFromInline
        init(writer: SchemaIdentifier, reader: Int?) {
            self.writer = writer
            self.reader = reader
        }
    }

    public let client: SchemaRegistryClient
    /// The consumer's reader schema; nil: the writer's (or the latest version's, see options).
    public let readerSchema: AvroSchema?
    public let field: MessageField
    public let options: DeserializerOptions
    let compile: Compile
    let writers = Mutex<[SchemaIdentifier: AvroSchema]>([:])
    @usableFromInline let decoders = Mutex(LastHitDictionary<PairKey, Decode>())

    @usableFromInline
    init(client: SchemaRegistryClient, readerSchema: AvroSchema?, field: MessageField, options: DeserializerOptions, compile: @escaping Compile) {
        self.client = client
        self.readerSchema = readerSchema
        self.field = field
        self.options = options
        self.compile = compile
    }

    /// Decodes one key or value. `context` names the topic, partition and offset (errors say
    /// them) and carries the record's headers.
    public func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> Value {
        let located = try locate(bytes, context: context)
        let (decode, pair) = try await decoder(for: located.schema, context: context)
        return try run(decode, on: located, reader: pair.reader, context: context)
    }

    /// Decodes one key or value when the resolver for its writer schema is compiled (always so
    /// after a schema's first record, unless `useLatestVersion` without a reader schema lets the
    /// client's cache decide). Inlinable, so that a typed consumer's per-record path is
    /// specialized for `Value`.
    @inlinable
    public func deserializeIfReady(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> Value? {
        guard readerSchema != nil || !options.useLatestVersion else { return nil }
        let located = try locate(bytes, context: context)
        guard let decode = decoders.withLock({ $0.value(for: PairKey(writer: located.schema, reader: nil)) }) else { return nil }
        return try run(decode, on: located, reader: readerSchema, context: context)
    }

    @inlinable
    func locate(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> (schema: SchemaIdentifier, payload: ArraySlice<UInt8>) {
        do {
            return try ConfluentWireFormat.locate(bytes, headers: context.headers, field: field)
        } catch {
            throw .wireFormat(error, location: context.location)
        }
    }

    @inlinable
    func run(_ decode: Decode, on located: (schema: SchemaIdentifier, payload: ArraySlice<UInt8>), reader: AvroSchema?,
             context: SerializationContext) throws(SerdeError) -> Value {
        do {
            return try decode(located.payload)
        } catch {
            throw Self.failure(error, schema: located.schema, reader: reader, context: context)
        }
    }

    /// What a failed decode says: a field the reader cannot resolve, or data that does not decode.
    @usableFromInline
    static func failure(_ error: any Error, schema: SchemaIdentifier, reader: AvroSchema?, context: SerializationContext) -> SerdeError {
        let reason = "\(error)"
        if reason.contains("cannot read") || reason.contains("not in the writer's data") {
            return .unresolvable(location: context.location, schema: schema, field: field(in: reason, schema: reader), reason: reason)
        }
        return .undecodable(location: context.location, schema: schema, reason: reason)
    }

    /// The compiled resolver for the record's writer schema and the reader schema.
    func decoder(for identifier: SchemaIdentifier, context: SerializationContext) async throws(SerdeError) -> (Decode, (writer: AvroSchema?, reader: AvroSchema?)) {
        if readerSchema != nil || !options.useLatestVersion, let hit = decoders.withLock({ $0.value(for: PairKey(writer: identifier, reader: nil)) }) {
            return (hit, (nil, readerSchema))
        }
        let writer = try await writerSchema(identifier, context: context)
        var reader = readerSchema ?? writer
        var readerID: Int?
        if readerSchema == nil && options.useLatestVersion {
            let latest: RegisteredSchema
            let subject = try options.subjectNameStrategy.subject(topic: context.topic, field: field, recordName: RegistryAvroSchemas.recordName(writer))
            do {
                latest = try await client.latestVersion(subject: subject)
            } catch {
                throw .registry(error, subject: subject)
            }
            readerID = latest.id
            if let hit = decoders.withLock({ $0.value(for: PairKey(writer: identifier, reader: latest.id)) }) { return (hit, (writer, nil)) }
            reader = try await RegistryAvroSchemas.parse(latest, client: client, identifier: .id(latest.id))
        }
        let decode: Decode
        do {
            decode = try compile(writer, reader)
        } catch {
            // The checker says every reason with its path; the first names the field.
            let problems = AvroCompatibilityChecker.incompatibilities(reader: reader, writer: writer)
            let field = problems.lazy.compactMap { RegistryAvroSchemas.fieldPath(pointer: $0.path, in: reader) }.first
                ?? Self.field(in: "\(error)", schema: reader)
            let reason = problems.isEmpty ? "\(error)" : problems.map(\.description).joined(separator: "; ")
            throw .unresolvable(location: context.location, schema: identifier, field: field, reason: reason)
        }
        decoders.withLock { $0.set(decode, for: PairKey(writer: identifier, reader: readerID)) }
        return (decode, (writer, reader))
    }

    /// The writer schema of an id or GUID, fetched and parsed once.
    func writerSchema(_ identifier: SchemaIdentifier, context: SerializationContext) async throws(SerdeError) -> AvroSchema {
        if let hit = writers.withLock({ $0[identifier] }) { return hit }
        let registered: RegisteredSchema
        do {
            switch identifier {
            case .id(let id): registered = try await client.schema(id: id)
            case .guid(let guid): registered = try await client.schema(guid: guid.uuidString.lowercased())
            }
        } catch {
            throw .registry(error, subject: nil)
        }
        let schema = try await RegistryAvroSchemas.parse(registered, client: client, identifier: identifier)
        writers.withLock { $0[identifier] = schema }
        return schema
    }

    /// The field named by the `at /fields/1/...` path of a resolution error.
    static func field(in message: String, schema: AvroSchema?) -> String? {
        guard let schema, let at = message.range(of: "at /") else { return nil }
        let pointer = message[message.index(before: at.upperBound)...].prefix { $0 != " " }
        return RegistryAvroSchemas.fieldPath(pointer: String(pointer), in: schema)
    }
}

extension AvroDeserializer where Value == AvroValue {
    /// A deserializer of generic values, read into `readerSchema` when given.
    public convenience init(client: SchemaRegistryClient, readerSchema: AvroSchema? = nil, field: MessageField = .value,
                            options: DeserializerOptions = .init()) {
        self.init(client: client, readerSchema: readerSchema, field: field, options: options) { writer, reader in
            let datumReader = try AvroDatumReader(writer: writer, reader: reader)
            if RegistryAvroSchemas.isRawBytes(writer) {
                // Confluent writes a bytes root unprefixed; a string reader reads it as UTF-8.
                let asString: Bool
                if case .primitive(.string, _) = reader.resolve(reader.root) { asString = true } else { asString = false }
                return { payload in asString ? .string(String(decoding: payload, as: UTF8.self)) : .bytes(Array(payload)) }
            }
            return { payload in try datumReader.read(Array(payload)) }
        }
    }
}
