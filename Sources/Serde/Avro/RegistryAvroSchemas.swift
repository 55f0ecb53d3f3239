import Avro

/// Turns registry answers into parsed Avro schemas, fetching the versions a schema references
/// (their named types must be known before it parses).
enum RegistryAvroSchemas {
    /// References deeper than this are a cycle or a mistake.
    static let maxReferenceDepth = 32

    static func parse(_ registered: RegisteredSchema, client: SchemaRegistryClient, identifier: SchemaIdentifier?) async throws(SerdeError) -> AvroSchema {
        guard registered.schema.type == .avro else {
            throw .invalidSchema(identifier, subject: registered.subject, reason: "a \(registered.schema.type.rawValue) schema, not Avro")
        }
        let references = try await referencedSchemas(registered.schema.references, client: client, depth: 0, identifier: identifier)
        do {
            return try AvroSchema(parsing: registered.schema.text, references: references)
        } catch {
            throw .invalidSchema(identifier, subject: registered.subject, reason: error.description)
        }
    }

    /// The referenced schemas in dependency order (a reference's own references first).
    static func referencedSchemas(_ references: [SchemaReference], client: SchemaRegistryClient, depth: Int,
                                  identifier: SchemaIdentifier?) async throws(SerdeError) -> [AvroSchema] {
        guard !references.isEmpty else { return [] }
        guard depth < maxReferenceDepth else {
            throw .invalidSchema(identifier, subject: nil, reason: "references nest deeper than \(maxReferenceDepth) levels")
        }
        var schemas: [AvroSchema] = []
        for reference in references {
            let version: RegisteredSchema
            do {
                version = try await client.version(subject: reference.subject, version: reference.version)
            } catch {
                throw .registry(error, subject: reference.subject)
            }
            let nested = try await referencedSchemas(version.schema.references, client: client, depth: depth + 1, identifier: identifier)
            schemas += nested
            do {
                schemas.append(try AvroSchema(parsing: version.schema.text, references: schemas))
            } catch {
                throw .invalidSchema(identifier, subject: reference.subject, reason: "reference \(reference.name): \(error)")
            }
        }
        return schemas
    }

    /// The name the record-name strategies use: a named root's full name.
    static func recordName(_ schema: AvroSchema) -> String? {
        switch schema.root {
        case .record, .enumeration, .fixed, .named: schema.root.fullName
        default: nil
        }
    }

    /// Whether the root is `bytes`: Confluent's serializers then write the raw bytes, without
    /// Avro's length prefix.
    static func isRawBytes(_ schema: AvroSchema) -> Bool {
        if case .primitive(.bytes, _) = schema.resolve(schema.root) { return true }
        return false
    }

    /// A field path (`address.zip`) for a JSON Pointer into a schema (`/fields/1/type/fields/0`),
    /// as the compatibility checker reports incompatibilities.
    static func fieldPath(pointer: String, in schema: AvroSchema) -> String? {
        var names: [String] = []
        var type = schema.root
        let parts = pointer.split(separator: "/").map(String.init)
        var index = 0
        while index < parts.count {
            let part = parts[index]
            switch (schema.resolve(type), part) {
            case (.record(let record), "fields"):
                guard index + 1 < parts.count, let position = Int(parts[index + 1]), record.fields.indices.contains(position) else { break }
                names.append(record.fields[position].name)
                type = record.fields[position].type
                index += 2
                if index < parts.count && parts[index] == "type" { index += 1 }
                continue
            case (.array(let items, _), "items"): type = items
            case (.map(let values, _), "values"): type = values
            case (.union(let branches), _):
                guard let position = Int(part), branches.indices.contains(position) else { break }
                type = branches[position]
            default:
                break
            }
            index += 1
        }
        return names.isEmpty ? nil : names.joined(separator: ".")
    }
}
