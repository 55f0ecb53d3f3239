import OrderedJSON

/// The schema languages the registry knows. A missing `schemaType` means Avro.
public enum SchemaType: String, Sendable, Hashable, CaseIterable {
    case avro = "AVRO"
    case json = "JSON"
    case protobuf = "PROTOBUF"

    /// Case-insensitive; nil for anything else.
    public init?(name: String) { self.init(rawValue: name.uppercased()) }
}

/// A reference from a schema to another subject's version (Avro named types, JSON `$ref`).
public struct SchemaReference: Sendable, Hashable {
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }

    var json: JSONValue {
        .object([("name", .string(name)), ("subject", .string(subject)), ("version", .number(String(version)))])
    }

    init(json: JSONValue) throws(SchemaRegistryError) {
        guard let name = json["name"]?.stringValue, let subject = json["subject"]?.stringValue,
              let version = json["version"]?.integerValue else {
            throw .invalidResponse(request: "", reason: "a reference needs name, subject and version: \(json.compactText)")
        }
        self.init(name: name, subject: subject, version: Int(version))
    }
}

/// A schema as sent to the registry (register, lookup, compatibility).
public struct Schema: Sendable, Hashable {
    /// The schema document's text (Avro JSON or a JSON Schema).
    public var text: String
    public var type: SchemaType
    public var references: [SchemaReference]
    /// Confluent's data-contract `metadata` and `ruleSet`, kept as sent (compact JSON).
    public var metadata: JSONValue?
    public var ruleSet: JSONValue?

    public init(_ text: String, type: SchemaType = .avro, references: [SchemaReference] = [],
                metadata: JSONValue? = nil, ruleSet: JSONValue? = nil) {
        self.text = text
        self.type = type
        self.references = references
        self.metadata = metadata
        self.ruleSet = ruleSet
    }

    /// The RegisterSchemaRequest body; `id` and `version` only in IMPORT mode.
    func requestBody(id: Int? = nil, version: Int? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("schema", .string(text)), ("schemaType", .string(type.rawValue))]
        if !references.isEmpty { members.append(("references", .array(references.map(\.json)))) }
        if let metadata { members.append(("metadata", metadata)) }
        if let ruleSet { members.append(("ruleSet", ruleSet)) }
        if let id { members.append(("id", .number(String(id)))) }
        if let version { members.append(("version", .number(String(version)))) }
        return .object(members)
    }
}

/// A schema as the registry returns it. Every field but the schema text is optional on the wire
/// (older registries answer a register with `{"id": N}` only).
public struct RegisteredSchema: Sendable, Hashable {
    public var id: Int
    public var subject: String?
    public var version: Int?
    public var guid: String?
    public var schema: Schema
    /// Soft-deleted (only in answers to `deleted=true` reads).
    public var deleted: Bool

    public init(id: Int, subject: String? = nil, version: Int? = nil, guid: String? = nil, schema: Schema, deleted: Bool = false) {
        self.id = id
        self.subject = subject
        self.version = version
        self.guid = guid
        self.schema = schema
        self.deleted = deleted
    }

    /// Reads a Schema entity; `fallback` fills what a terse answer leaves out (the request's schema).
    init(json: JSONValue, fallback: Schema? = nil, request: String) throws(SchemaRegistryError) {
        guard case .object = json else { throw .invalidResponse(request: request, reason: "expected an object, got \(json.kindName)") }
        guard let id = json["id"]?.integerValue ?? json["schemaId"]?.integerValue else {
            throw .invalidResponse(request: request, reason: "no schema id in \(String(json.compactText.prefix(200)))")
        }
        let typeName = json["schemaType"]?.stringValue
        var references: [SchemaReference] = []
        for item in json["references"]?.arrayValue ?? [] { references.append(try SchemaReference(json: item)) }
        let text = json["schema"]?.stringValue ?? fallback?.text
        guard let text else { throw .invalidResponse(request: request, reason: "no schema text for id \(id)") }
        let type = typeName.flatMap(SchemaType.init(name:)) ?? (typeName == nil ? (fallback?.type ?? .avro) : .avro)
        self.init(id: Int(id), subject: json["subject"]?.stringValue, version: json["version"]?.integerValue.map(Int.init),
                  guid: json["guid"]?.stringValue,
                  schema: Schema(text, type: type, references: json["references"] == nil ? (fallback?.references ?? []) : references,
                                 metadata: json["metadata"] ?? fallback?.metadata, ruleSet: json["ruleSet"] ?? fallback?.ruleSet),
                  deleted: json["deleted"]?.boolValue ?? false)
    }

    /// The Schema entity as the registry prints it (null and empty fields left out), for export.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let subject { members.append(("subject", .string(subject))) }
        if let version { members.append(("version", .number(String(version)))) }
        members.append(("id", .number(String(id))))
        if let guid { members.append(("guid", .string(guid))) }
        members.append(("schemaType", .string(schema.type.rawValue)))
        if !schema.references.isEmpty { members.append(("references", .array(schema.references.map(\.json)))) }
        if let metadata = schema.metadata { members.append(("metadata", metadata)) }
        if let ruleSet = schema.ruleSet { members.append(("ruleSet", ruleSet)) }
        members.append(("schema", .string(schema.text)))
        if deleted { members.append(("deleted", .bool(true))) }
        return .object(members)
    }

    /// Reads the line `json` prints (used by `sluice schema import`).
    public init(exported json: JSONValue) throws(SchemaRegistryError) {
        try self.init(json: json, request: "import line")
    }
}

/// Compatibility levels (input case-insensitive, output upper case).
public enum CompatibilityLevel: String, Sendable, CaseIterable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"

    public init?(name: String) { self.init(rawValue: name.uppercased().replacingOccurrences(of: "-", with: "_")) }
}

/// Registry modes.
public enum RegistryMode: String, Sendable, CaseIterable {
    case readWrite = "READWRITE"
    case readOnly = "READONLY"
    case readOnlyOverride = "READONLY_OVERRIDE"
    case `import` = "IMPORT"
    case forward = "FORWARD"

    public init?(name: String) { self.init(rawValue: name.uppercased().replacingOccurrences(of: "-", with: "")) }
}

/// The answer of a compatibility check; `messages` only when asked for verbosely.
public struct CompatibilityResult: Sendable, Equatable {
    public var isCompatible: Bool
    public var messages: [String]

    public init(isCompatible: Bool, messages: [String] = []) {
        self.isCompatible = isCompatible
        self.messages = messages
    }
}
