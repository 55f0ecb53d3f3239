import JSONSchema
import OrderedJSON

/// A compiled JSON Schema validator. Immutable once built; boxed so the serializers can share it
/// across tasks whatever the validator type's own Sendable conformance.
final class CompiledJSONSchema: @unchecked Sendable {
    let document: JSONValue
    let validator: JSONSchemaValidator

    init(document: JSONValue, references: [String: JSONValue]) throws(SerdeError) {
        self.document = document
        do {
            validator = try JSONSchemaValidator(schema: document, documents: references)
        } catch {
            throw .invalidSchema(nil, subject: nil, reason: "\(error)")
        }
    }

    /// Every violation as "instance path: message" (empty: valid).
    func violations(of value: JSONValue) -> [String] {
        validator.violations(of: value).map { $0.description }
    }

    /// The JSON Schema `title`, the record name of the record-name strategies.
    var title: String? { document["title"]?.stringValue }
}

/// Registry answers turned into compiled JSON Schemas, with their referenced documents.
enum RegistryJSONSchemas {
    static func parseDocument(_ text: String, identifier: SchemaIdentifier?, subject: String?) throws(SerdeError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .invalidSchema(identifier, subject: subject, reason: "not valid JSON: \(error)")
        }
    }

    static func compile(_ registered: RegisteredSchema, client: SchemaRegistryClient, identifier: SchemaIdentifier?) async throws(SerdeError) -> CompiledJSONSchema {
        guard registered.schema.type == .json else {
            throw .invalidSchema(identifier, subject: registered.subject, reason: "a \(registered.schema.type.rawValue) schema, not JSON Schema")
        }
        var documents: [String: JSONValue] = [:]
        try await collectReferences(registered.schema.references, client: client, into: &documents, depth: 0, identifier: identifier)
        let document = try parseDocument(registered.schema.text, identifier: identifier, subject: registered.subject)
        do {
            return try CompiledJSONSchema(document: document, references: documents)
        } catch {
            if case .invalidSchema(_, _, let reason) = error { throw .invalidSchema(identifier, subject: registered.subject, reason: reason) }
            throw error
        }
    }

    /// Every referenced document by its reference name, transitively.
    static func collectReferences(_ references: [SchemaReference], client: SchemaRegistryClient, into documents: inout [String: JSONValue],
                                  depth: Int, identifier: SchemaIdentifier?) async throws(SerdeError) {
        guard depth < RegistryAvroSchemas.maxReferenceDepth else {
            throw .invalidSchema(identifier, subject: nil, reason: "references nest deeper than \(RegistryAvroSchemas.maxReferenceDepth) levels")
        }
        for reference in references where documents[reference.name] == nil {
            let version: RegisteredSchema
            do {
                version = try await client.version(subject: reference.subject, version: reference.version)
            } catch {
                throw .registry(error, subject: reference.subject)
            }
            documents[reference.name] = try parseDocument(version.schema.text, identifier: identifier, subject: reference.subject)
            try await collectReferences(version.schema.references, client: client, into: &documents, depth: depth + 1, identifier: identifier)
        }
    }
}
