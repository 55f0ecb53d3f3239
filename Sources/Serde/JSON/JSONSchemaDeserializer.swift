import Foundation
import OrderedJSON
import Synchronization

/// Deserializes JSON keys or values framed by any Confluent-compatible JSON Schema serializer:
/// the writer schema is fetched by id (or GUID) once, and each document is validated against it
/// before it is returned (default true, as Confluent's deserializer does).
///
/// `JSONSchemaDeserializer<JSONValue>` returns documents (key order and number text kept);
/// `JSONSchemaDeserializer<T>` for a `Decodable` T decodes them with `JSONDecoder`.
public final class JSONSchemaDeserializer<Value>: Sendable {
    typealias Decode = @Sendable (ArraySlice<UInt8>, JSONValue) throws -> Value

    public let client: SchemaRegistryClient
    public let field: MessageField
    public let validate: Bool
    let decode: Decode
    let validators = Mutex<[SchemaIdentifier: CompiledJSONSchema]>([:])

    init(client: SchemaRegistryClient, field: MessageField, validate: Bool, decode: @escaping Decode) {
        self.client = client
        self.field = field
        self.validate = validate
        self.decode = decode
    }

    public func deserialize(_ bytes: [UInt8], context: SerializationContext) async throws(SerdeError) -> Value {
        let (located, document) = try parse(bytes, context: context)
        return try finish(located, document, validator: validate ? try await validator(located.schema) : nil, context: context)
    }

    /// The value of `bytes` when no schema needs fetching (validation off, or the writer's
    /// validator compiled).
    public func deserializeIfReady(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> Value? {
        let (located, document) = try parse(bytes, context: context)
        var validator: CompiledJSONSchema?
        if validate {
            guard let cached = validators.withLock({ $0[located.schema] }) else { return nil }
            validator = cached
        }
        return try finish(located, document, validator: validator, context: context)
    }

    func parse(_ bytes: [UInt8], context: SerializationContext) throws(SerdeError) -> ((schema: SchemaIdentifier, payload: ArraySlice<UInt8>), JSONValue) {
        let located: (schema: SchemaIdentifier, payload: ArraySlice<UInt8>)
        do {
            located = try ConfluentWireFormat.locate(bytes, headers: context.headers, field: field)
        } catch {
            throw .wireFormat(error, location: context.location)
        }
        do {
            return (located, try JSONParser.parse(Array(located.payload)))
        } catch {
            throw .undecodable(location: context.location, schema: located.schema, reason: "not JSON: \(error)")
        }
    }

    /// Validates (with a validator) and decodes a parsed document.
    func finish(_ located: (schema: SchemaIdentifier, payload: ArraySlice<UInt8>), _ document: JSONValue,
                validator: CompiledJSONSchema?, context: SerializationContext) throws(SerdeError) -> Value {
        if let validator {
            let violations = validator.violations(of: document)
            if !violations.isEmpty {
                throw .undecodable(location: context.location, schema: located.schema,
                                   reason: "does not validate: " + violations.joined(separator: "; "))
            }
        }
        do {
            return try decode(located.payload, document)
        } catch {
            throw .undecodable(location: context.location, schema: located.schema, reason: "\(error)")
        }
    }

    func validator(_ identifier: SchemaIdentifier) async throws(SerdeError) -> CompiledJSONSchema {
        if let hit = validators.withLock({ $0[identifier] }) { return hit }
        let registered: RegisteredSchema
        do {
            switch identifier {
            case .id(let id): registered = try await client.schema(id: id)
            case .guid(let guid): registered = try await client.schema(guid: guid.uuidString.lowercased())
            }
        } catch {
            throw .registry(error, subject: nil)
        }
        let compiled = try await RegistryJSONSchemas.compile(registered, client: client, identifier: identifier)
        validators.withLock { $0[identifier] = compiled }
        return compiled
    }
}

extension JSONSchemaDeserializer where Value == JSONValue {
    public convenience init(client: SchemaRegistryClient, field: MessageField = .value, validate: Bool = true) {
        self.init(client: client, field: field, validate: validate) { _, document in document }
    }
}

extension JSONSchemaDeserializer where Value: Decodable {
    public convenience init(client: SchemaRegistryClient, for type: Value.Type = Value.self, field: MessageField = .value, validate: Bool = true) {
        self.init(client: client, field: field, validate: validate) { payload, _ in
            try JSONDecoder().decode(Value.self, from: Data(payload))
        }
    }
}
