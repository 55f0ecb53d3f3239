import OrderedJSON

/// The JSON Schema dialects the validator knows. A schema's `$schema` picks one; without it the
/// validator assumes draft-07, as Confluent's registry and serializers do.
public enum JSONSchemaDraft: String, Sendable, CaseIterable, Comparable {
    case draft4 = "draft-04"
    case draft6 = "draft-06"
    case draft7 = "draft-07"
    case draft2020_12 = "2020-12"

    /// The draft a `$schema` URI names (`http://json-schema.org/draft-07/schema#`,
    /// `https://json-schema.org/draft/2020-12/schema`); nil for a URI naming none of them.
    public init?(metaschemaURI uri: String) {
        var text = uri
        if text.hasSuffix("#") { text.removeLast() }
        for scheme in ["http://", "https://"] where text.hasPrefix(scheme) {
            text.removeFirst(scheme.count)
        }
        switch text {
        case "json-schema.org/draft-04/schema": self = .draft4
        case "json-schema.org/draft-06/schema": self = .draft6
        case "json-schema.org/draft-07/schema": self = .draft7
        case "json-schema.org/draft/2020-12/schema": self = .draft2020_12
        default: return nil
        }
    }

    /// The draft named on the command line: `4`, `6`, `7`, `draft-07`, `2020-12`, ...
    public init?(name: String) {
        switch name.lowercased() {
        case "4", "draft4", "draft-04": self = .draft4
        case "6", "draft6", "draft-06": self = .draft6
        case "7", "draft7", "draft-07": self = .draft7
        case "2020-12", "draft2020-12", "draft-2020-12": self = .draft2020_12
        default: return nil
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }

    /// The keyword that gives a schema resource its URI (`id` before draft-06).
    var idKeyword: String { self == .draft4 ? "id" : "$id" }
    /// Up to draft-07 a `$ref` hides its sibling keywords (including `$id`).
    var refHidesSiblings: Bool { self <= .draft7 }
}

/// Why a schema cannot be compiled, and where: a JSON Pointer into the schema document (with
/// the document's URI when the problem is in a referenced document).
public struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path.isEmpty ? "/" : path): \(reason)" }
}

/// One way a document breaks a schema: where in the document, which keyword of the schema, why.
public struct JSONSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// JSON Pointer into the document (`/items/3/name`).
    public var instancePath: String
    /// The keyword's location as evaluation reached it, `$ref`s included
    /// (`/properties/items/$ref/required`).
    public var schemaPath: String
    public var message: String

    public init(instancePath: String, schemaPath: String, message: String) {
        self.instancePath = instancePath
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String {
        "\(instancePath.isEmpty ? "/" : instancePath): \(message) (schema \(schemaPath.isEmpty ? "/" : schemaPath))"
    }
}

/// JSON Pointer tokens (RFC 6901).
enum JSONPointer {
    static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func unescape(_ token: Substring) -> String {
        guard token.contains("~") else { return String(token) }
        return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// `/a/b~1c` as tokens `["a", "b/c"]`; nil when the text is not a pointer.
    static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(unescape)
    }

    static func text(_ tokens: [String]) -> String {
        tokens.reduce(into: "") { $0 += "/" + escape($1) }
    }

    /// The value `tokens` lead to inside `root`.
    static func resolve(_ tokens: [String], in root: JSONValue) -> JSONValue? {
        var target = root
        for token in tokens {
            switch target {
            case .object:
                guard let next = target[token] else { return nil }
                target = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index), String(index) == token else { return nil }
                target = items[index]
            default:
                return nil
            }
        }
        return target
    }
}
