import Foundation

/// One of Apache Kafka's JSON message specifications (`clients/src/main/resources/common/message`).
public struct MessageSpec {
    public var name: String
    /// request, response, header or data.
    public var kind: String
    public var apiKey: Int?
    public var validVersions: VersionRange
    public var flexibleVersions: VersionRange
    public var fields: [FieldSpec]
    public var commonStructs: [StructSpec]

    /// Parses a spec file's text; the specs carry `//` comments, which JSON does not allow.
    public init(json text: String, file: String) throws {
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            // Only whole-line comments occur; a "//" inside a string ("about" URLs) must stay.
            line.trimmingCharacters(in: .whitespaces).hasPrefix("//") ? "" : line
        }.joined(separator: "\n")
        guard let object = try JSONSerialization.jsonObject(with: Data(stripped.utf8)) as? [String: Any] else {
            throw SpecError("\(file): not a JSON object")
        }
        guard let name = object["name"] as? String, let kind = object["type"] as? String,
              let valid = object["validVersions"] as? String else {
            throw SpecError("\(file): name, type or validVersions missing")
        }
        self.name = name
        self.kind = kind
        self.apiKey = object["apiKey"] as? Int
        self.validVersions = try VersionRange(parsing: valid)
        self.flexibleVersions = try VersionRange(parsing: object["flexibleVersions"] as? String ?? "none")
        self.fields = try (object["fields"] as? [[String: Any]] ?? []).map { try FieldSpec($0, path: "\(file): \(name)") }
        self.commonStructs = try (object["commonStructs"] as? [[String: Any]] ?? []).map { item in
            guard let structName = item["name"] as? String else { throw SpecError("\(file): a common struct has no name") }
            return StructSpec(name: structName, fields: try (item["fields"] as? [[String: Any]] ?? []).map {
                try FieldSpec($0, path: "\(file): \(structName)")
            })
        }
    }
}

/// A struct defined once and used by several fields (`commonStructs`).
public struct StructSpec {
    public var name: String
    public var fields: [FieldSpec]
}

/// One field of a message or struct.
public struct FieldSpec {
    public var name: String
    public var type: String
    public var versions: VersionRange
    public var nullableVersions: VersionRange
    public var taggedVersions: VersionRange
    public var tag: Int?
    public var defaultValue: String?
    public var ignorable: Bool
    /// A field-level override of the message's flexible versions (RequestHeader's ClientId).
    public var flexibleVersions: VersionRange?
    public var fields: [FieldSpec]
    public var about: String?

    init(_ object: [String: Any], path: String) throws {
        guard let name = object["name"] as? String, let type = object["type"] as? String else {
            throw SpecError("\(path): a field has no name or type")
        }
        self.name = name
        self.type = type
        self.versions = try VersionRange(parsing: object["versions"] as? String ?? "none")
        self.nullableVersions = try VersionRange(parsing: object["nullableVersions"] as? String ?? "none")
        self.taggedVersions = try VersionRange(parsing: object["taggedVersions"] as? String ?? "none")
        self.tag = object["tag"] as? Int
        if let text = object["default"] as? String {
            self.defaultValue = text
        } else if let number = object["default"] as? Int {
            self.defaultValue = String(number)
        } else if let flag = object["default"] as? Bool {
            self.defaultValue = String(flag)
        }
        self.ignorable = object["ignorable"] as? Bool ?? false
        self.flexibleVersions = try (object["flexibleVersions"] as? String).map { try VersionRange(parsing: $0) }
        self.fields = try (object["fields"] as? [[String: Any]] ?? []).map { try FieldSpec($0, path: "\(path).\(name)") }
        self.about = object["about"] as? String
        if tag != nil && taggedVersions.isNone {
            throw SpecError("\(path).\(name): a tag without taggedVersions")
        }
    }

    /// The element type of an array type, nil for other types.
    public var elementType: String? {
        type.hasPrefix("[]") ? String(type.dropFirst(2)) : nil
    }
}
