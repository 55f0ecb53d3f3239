import OrderedJSON
/// A schema's reference to another subject's version (Confluent's `references` entries).
public struct SchemaReference: Sendable, Hashable, Codable {
    /// The name the referencing schema uses (an Avro full name, a JSON Schema `$ref` URL).
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// The value of a SCHEMA record: one registered version of a subject.
public struct SchemaVersionRecord: Sendable, Equatable {
    public var subject: String
    public var version: Int
    public var id: Int
    /// "AVRO" (also when the record has no `schemaType`), "JSON" or "PROTOBUF".
    public var schemaType: String
    public var references: [SchemaReference]
    /// The schema text as registered; kept as written, never rewritten.
    public var schema: String
    public var deleted: Bool
    /// Confluent's data-contract fields, kept as compact JSON text and given back as sent.
    public var metadata: String?
    public var ruleSet: String?

    public init(subject: String, version: Int, id: Int, schemaType: String = "AVRO",
                references: [SchemaReference] = [], schema: String, deleted: Bool = false,
                metadata: String? = nil, ruleSet: String? = nil) {
        self.subject = subject
        self.version = version
        self.id = id
        self.schemaType = schemaType
        self.references = references
        self.schema = schema
        self.deleted = deleted
        self.metadata = metadata
        self.ruleSet = ruleSet
    }

    /// Confluent's value JSON: `schemaType` omitted for Avro and `references` when empty, as
    /// Confluent before 8.0 and Karapace write them.
    public func encoded() -> [UInt8] {
        var text = "{\"subject\":\(JSONText.quoted(subject)),\"version\":\(version),\"id\":\(id)"
        if schemaType != "AVRO" { text += ",\"schemaType\":\(JSONText.quoted(schemaType))" }
        if !references.isEmpty {
            let items = references.map {
                "{\"name\":\(JSONText.quoted($0.name)),\"subject\":\(JSONText.quoted($0.subject)),\"version\":\($0.version)}"
            }
            text += ",\"references\":[\(items.joined(separator: ","))]"
        }
        if let metadata { text += ",\"metadata\":\(metadata)" }
        if let ruleSet { text += ",\"ruleSet\":\(ruleSet)" }
        text += ",\"schema\":\(JSONText.quoted(schema)),\"deleted\":\(deleted)}"
        return Array(text.utf8)
    }

    /// Reads a SCHEMA value; unknown fields (`metadata`, `ruleSet`, `md5`) are ignored.
    public init(decoding bytes: [UInt8], key: (subject: String, version: Int)) throws {
        let object = try JSONText.object(bytes, what: "_schemas SCHEMA value")
        guard let id = JSONText.integer(object["id"]), id > 0 else {
            throw SchemasRecordError("SCHEMA value for \(key.subject) version \(key.version) has no valid id")
        }
        guard let schema = object["schema"] as? String else {
            throw SchemasRecordError("SCHEMA value for \(key.subject) version \(key.version) has no schema text")
        }
        var references: [SchemaReference] = []
        for item in object["references"] as? [[String: Any]] ?? [] {
            guard let name = item["name"] as? String, let subject = item["subject"] as? String,
                  let version = JSONText.integer(item["version"]) else {
                throw SchemasRecordError("SCHEMA value for \(key.subject) version \(key.version) has a malformed reference")
            }
            references.append(SchemaReference(name: name, subject: subject, version: version))
        }
        self.init(
            subject: object["subject"] as? String ?? key.subject,
            version: JSONText.integer(object["version"]) ?? key.version,
            id: id,
            schemaType: (object["schemaType"] as? String) ?? "AVRO",
            references: references,
            schema: schema,
            deleted: object["deleted"] as? Bool ?? false,
            metadata: Self.compactMember("metadata", of: bytes),
            ruleSet: Self.compactMember("ruleSet", of: bytes))
    }

    /// A member's JSON text, compact and in its original key order (so identity comparisons
    /// do not change across a replay); nil when absent or null.
    static func compactMember(_ name: String, of bytes: [UInt8]) -> String? {
        guard let value = try? JSONParser.parse(bytes)[name], value != .null else { return nil }
        return value.compactText
    }
}

/// Compatibility levels (Confluent's names).
public enum CompatibilityLevel: String, Sendable, CaseIterable, Codable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
}

/// Registry modes (Confluent's names).
public enum RegistryMode: String, Sendable, CaseIterable, Codable {
    case readWrite = "READWRITE"
    case readOnly = "READONLY"
    case readOnlyOverride = "READONLY_OVERRIDE"
    case importing = "IMPORT"
    case forward = "FORWARD"
}
