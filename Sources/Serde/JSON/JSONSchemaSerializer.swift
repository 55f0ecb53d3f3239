import Foundation
import OrderedJSON
import Synchronization

/// Serializes keys or values as JSON in Confluent's wire format (magic 0, schema id, UTF-8 JSON),
/// validating each value against the writer's JSON Schema first (as Confluent's serializer does
/// by default): a value that does not validate is refused with every violation and its path.
///
/// `JSONSchemaSerializer<JSONValue>` writes JSON documents; `JSONSchemaSerializer<T>` for an
/// `Encodable` T writes what Foundation's `JSONEncoder` makes of it.
public final class JSONSchemaSerializer<Value>: Sendable {
    /// The JSON text of a value and its parsed document (for validation).
    typealias Render = @Sendable (Value) throws -> (bytes: [UInt8], document: JSONValue)

    public let client: SchemaRegistryClient
    public let schema: Schema?
    public let field: MessageField
    public let options: SerializerOptions
    /// Validate before writing (default true).
    public let validate: Bool
    let render: Render
    let own: CompiledJSONSchema?
    /// The schema's `title`, the record name of the RecordName strategies (read once: a schema
    /// with references is not compiled until its first record).
    let title: String?
    let idsBySubject = Mutex<[String: Int]>([:])
    let validators = Mutex<[Int: CompiledJSONSchema]>([:])

    init(client: SchemaRegistryClient, schema: Schema?, field: MessageField, options: SerializerOptions, validate: Bool,
         render: @escaping Render) throws(SerdeError) {
        if let schema {
            guard schema.type == .json else { throw .invalidSchema(nil, subject: nil, reason: "a JSON Schema serializer needs a JSON schema, not \(schema.type.rawValue)") }
        } else if !options.useLatestVersion {
            throw .invalidSchema(nil, subject: nil, reason: "a schema is needed unless useLatestVersion is set")
        }
        self.client = client
        self.schema = schema
        self.field = field
        self.options = options
        self.validate = validate
        self.render = render
        // With references, the schema compiles once they are fetched (first use).
        if let schema, schema.references.isEmpty {
            own = try CompiledJSONSchema(document: RegistryJSONSchemas.parseDocument(schema.text, identifier: nil, subject: nil), references: [:])
        } else {
            own = nil
        }
        title = own?.title ?? schema.flatMap { (try? JSONParser.parse($0.text))?["title"]?.stringValue }
    }

    public func subject(topic: String) throws(SerdeError) -> String {
        try options.subjectNameStrategy.subject(topic: topic, field: field, recordName: title)
    }

    public func serialize(_ value: Value, context: SerializationContext) async throws(SerdeError) -> [UInt8] {
        let subject = try subject(topic: context.topic)
        let (id, validator) = try await writer(subject: subject)
        return try frame(value, subject: subject, id: id, validator: validator, context: context)
    }

    /// The framed bytes of `value` when the subject's id and validator are cached (after its
    /// first record, unless `useLatestVersion` lets the client's cache decide).
    public func serializeIfReady(_ value: Value, context: SerializationContext) throws(SerdeError) -> [UInt8]? {
        guard !options.useLatestVersion else { return nil }
        let subject = try subject(topic: context.topic)
        guard let id = idsBySubject.withLock({ $0[subject] }), let validator = validators.withLock({ $0[id] }) else { return nil }
        return try frame(value, subject: subject, id: id, validator: validator, context: context)
    }

    func frame(_ value: Value, subject: String, id: Int, validator: CompiledJSONSchema, context: SerializationContext) throws(SerdeError) -> [UInt8] {
        let rendered: (bytes: [UInt8], document: JSONValue)
        do {
            rendered = try render(value)
        } catch {
            throw .invalidValue(subject: subject, schemaID: id, reason: "not encodable as JSON: \(error)")
        }
        if validate {
            let violations = validator.violations(of: rendered.document)
            if !violations.isEmpty { throw .invalidValue(subject: subject, schemaID: id, reason: violations.joined(separator: "; ")) }
        }
        do {
            return try ConfluentWireFormat.frame(schemaID: id, payload: rendered.bytes)
        } catch {
            throw .wireFormat(error, location: context.location)
        }
    }

    func writer(subject: String) async throws(SerdeError) -> (Int, CompiledJSONSchema) {
        if !options.useLatestVersion, let id = idsBySubject.withLock({ $0[subject] }), let validator = validators.withLock({ $0[id] }) {
            return (id, validator)
        }
        let registered = try await client.writerSchema(subject: subject, schema: schema, options: options)
        if !options.useLatestVersion { idsBySubject.withLock { $0[subject] = registered.id } }
        if let validator = validators.withLock({ $0[registered.id] }) { return (registered.id, validator) }
        let validator: CompiledJSONSchema
        if !options.useLatestVersion, let own {
            validator = own
        } else {
            validator = try await RegistryJSONSchemas.compile(registered, client: client, identifier: .id(registered.id))
        }
        validators.withLock { $0[registered.id] = validator }
        return (registered.id, validator)
    }
}

extension JSONSchemaSerializer where Value == JSONValue {
    /// A serializer of JSON documents (written as compact JSON).
    public convenience init(client: SchemaRegistryClient, schema: Schema?, field: MessageField = .value,
                            options: SerializerOptions = .init(), validate: Bool = true) throws(SerdeError) {
        try self.init(client: client, schema: schema, field: field, options: options, validate: validate) { value in
            (Array(value.compactText.utf8), value)
        }
    }
}

extension JSONSchemaSerializer where Value: Encodable {
    /// A serializer of Swift values, written by `JSONEncoder` (keys sorted, so equal values give
    /// equal bytes).
    public convenience init(client: SchemaRegistryClient, schema: Schema?, for type: Value.Type = Value.self, field: MessageField = .value,
                            options: SerializerOptions = .init(), validate: Bool = true) throws(SerdeError) {
        try self.init(client: client, schema: schema, field: field, options: options, validate: validate) { value in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let bytes = Array(try encoder.encode(value))
            return (bytes, try JSONParser.parse(bytes))
        }
    }
}
