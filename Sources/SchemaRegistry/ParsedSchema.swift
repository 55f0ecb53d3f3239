import Avro
import JSONSchema
import OrderedJSON
import RegistryCore

/// The schema types Sluice serves (`GET /schemas/types`).
public enum SchemaType: String, Sendable, CaseIterable {
    case avro = "AVRO"
    case json = "JSON"

    /// Reads a request's or a record's `schemaType`: absent means Avro.
    static func named(_ name: String?) throws(RegistryError) -> SchemaType {
        guard let name else { return .avro }
        if let type = SchemaType(rawValue: name.uppercased()) { return type }
        if name.uppercased() == "PROTOBUF" {
            throw RegistryError.invalidSchema("PROTOBUF schemas are not supported by Sluice; the supported types are AVRO and JSON")
        }
        throw RegistryError.invalidSchema("unknown schemaType '\(name)'; the supported types are AVRO and JSON")
    }
}

/// A schema parsed with its references resolved, and its identity: the text the registry
/// stores and compares. Two registrations are the same schema when their type, text and
/// references are equal, so reformatting or reordering keys never creates a new version.
struct ParsedSchema: Sendable {
    let type: SchemaType
    let references: [SchemaReference]
    /// Avro: Java's `Schema.toString()` form. JSON Schema: compact JSON (keys sorted when
    /// normalized).
    let text: String
    let avro: AvroSchema?
    let json: JSONValue?
    /// JSON Schema: the referenced documents by reference name, for `$ref`s into them.
    let jsonDocuments: [String: JSONValue]

    /// Parses `text`; `referenced` are the parsed schemas of `references`, in order.
    init(type: SchemaType, text: String, references: [SchemaReference], referenced: [ParsedSchema],
         normalize: Bool) throws(RegistryError) {
        self.type = type
        self.references = references
        switch type {
        case .avro:
            let avro: AvroSchema
            do {
                avro = try AvroSchema(parsing: text, references: referenced.compactMap(\.avro))
            } catch {
                throw RegistryError.invalidSchema(error.description)
            }
            self.avro = avro
            self.json = nil
            self.jsonDocuments = [:]
            self.text = avro.text
        case .json:
            let document: JSONValue
            do {
                document = try JSONParser.parse(text)
            } catch {
                throw RegistryError.invalidSchema("not valid JSON: \(error)")
            }
            switch document {
            case .object, .bool: break
            default: throw RegistryError.invalidSchema("a JSON Schema is an object or a boolean, not \(document.kindName)")
            }
            var documents: [String: JSONValue] = [:]
            for (reference, parsed) in zip(references, referenced) {
                guard let json = parsed.json else {
                    throw RegistryError.invalidSchema("the reference '\(reference.name)' is not a JSON Schema")
                }
                documents[reference.name] = json
                documents.merge(parsed.jsonDocuments) { mine, _ in mine }
            }
            if let missing = JSONSchemaCompatibility.externalReferences(in: document).subtracting(documents.keys).sorted().first {
                throw RegistryError.invalidSchema("the $ref to '\(missing)' names no document: give it in \"references\" (name, subject, version)")
            }
            // Compiling checks every keyword and resolves every $ref; its error names the JSON path.
            do {
                _ = try JSONSchemaValidator(schema: document, documents: documents)
            } catch {
                throw RegistryError.invalidSchema(error.description)
            }
            self.avro = nil
            self.json = document
            self.jsonDocuments = documents
            self.text = normalize ? Self.sortedKeys(document).compactText : document.compactText
        }
    }

    /// Same type, text and references.
    func isSame(as other: ParsedSchema) -> Bool {
        type == other.type && text == other.text && references == other.references
    }

    private static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.sorted { $0.key < $1.key }.map { ($0.key, sortedKeys($0.value)) })
        case .array(let items): .array(items.map(sortedKeys))
        default: value
        }
    }
}
