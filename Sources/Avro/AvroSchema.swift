import OrderedJSON

/// Avro's primitive types.
public enum AvroPrimitive: String, Sendable, CaseIterable {
    case null, boolean, int, long, float, double, bytes, string
}

/// Extra attributes kept as written (`logicalType`, `precision`, custom properties), in order.
public typealias AvroProperties = [(key: String, value: JSONValue)]

/// A record field.
public struct AvroField: Sendable {
    public var name: String
    public var type: AvroType
    public var doc: String?
    /// The default as JSON, interpreted by `type` (for a union, by its first branch).
    public var defaultValue: JSONValue?
    /// `ascending` (the default, not printed), `descending` or `ignore`.
    public var order: String?
    public var aliases: [String]
    public var properties: AvroProperties
}

/// A record (or a Java `error`, which is a record).
public struct AvroRecord: Sendable {
    public var fullName: String
    public var doc: String?
    /// Aliases as full names (relative ones resolved against the record's namespace).
    public var aliases: [String]
    public var fields: [AvroField]
    public var isError: Bool
    public var properties: AvroProperties
}

public struct AvroEnum: Sendable {
    public var fullName: String
    public var doc: String?
    public var aliases: [String]
    public var symbols: [String]
    /// The symbol a reader uses for a writer symbol it lacks.
    public var defaultSymbol: String?
    public var properties: AvroProperties
}

public struct AvroFixed: Sendable {
    public var fullName: String
    public var doc: String?
    public var aliases: [String]
    public var size: Int
    public var properties: AvroProperties
}

/// A node of a parsed schema. A named type appears in full where it is defined and as
/// ``named(_:)`` everywhere after, so recursive schemas are finite trees; ``AvroSchema`` maps
/// the full names to their definitions.
public indirect enum AvroType: Sendable {
    case primitive(AvroPrimitive, AvroProperties)
    case record(AvroRecord)
    case enumeration(AvroEnum)
    case fixed(AvroFixed)
    case array(items: AvroType, AvroProperties)
    case map(values: AvroType, AvroProperties)
    case union([AvroType])
    /// A reference by full name to a named type defined elsewhere in the schema.
    case named(String)

    /// The full name of a named type or a reference to one.
    public var fullName: String? {
        switch self {
        case .record(let record): record.fullName
        case .enumeration(let enumeration): enumeration.fullName
        case .fixed(let fixed): fixed.fullName
        case .named(let name): name
        default: nil
        }
    }

    public var properties: AvroProperties {
        switch self {
        case .primitive(_, let properties), .array(_, let properties), .map(_, let properties): properties
        case .record(let record): record.properties
        case .enumeration(let enumeration): enumeration.properties
        case .fixed(let fixed): fixed.properties
        case .union, .named: []
        }
    }
}

/// A parsed Avro schema: the root type and every named type it defines.
public struct AvroSchema: Sendable {
    public let root: AvroType
    /// Full name → definition (a `.record`, `.enumeration` or `.fixed`), including types
    /// defined in referenced schemas.
    public let namedTypes: [String: AvroType]

    public init(root: AvroType, namedTypes: [String: AvroType]) {
        self.root = root
        self.namedTypes = namedTypes
    }

    /// `type` with a reference replaced by its definition.
    public func resolve(_ type: AvroType) -> AvroType {
        if case .named(let name) = type, let definition = namedTypes[name] { return definition }
        return type
    }
}

/// The last component of a full name.
func simpleName(_ fullName: String) -> String {
    fullName.split(separator: ".").last.map(String.init) ?? fullName
}

/// The namespace part of a full name, or nil for the null namespace.
func namespace(of fullName: String) -> String? {
    guard let dot = fullName.lastIndex(of: ".") else { return nil }
    return String(fullName[..<dot])
}
