/// A datum of any Avro schema (the generic representation). Records hold their field values in
/// the schema's field order; a union value says which branch it takes.
///
/// Only the union case is boxed (`indirect`): the other cases hold their payload inline, so a
/// decoded record is one contiguous array of values and a long or a short string costs no
/// allocation of its own.
public enum AvroValue: Sendable, Equatable {
    case null
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    case string(String)
    case fixed([UInt8])
    /// The symbol's index in the enum's symbols, and the symbol.
    case enumeration(Int, String)
    case array([AvroValue])
    /// Entries in the order they were read or given.
    case map([(key: String, value: AvroValue)])
    /// The branch index and the value of that branch.
    indirect case union(Int, AvroValue)
    case record([AvroValue])

    public static func == (lhs: AvroValue, rhs: AvroValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.long(let a), .long(let b)): a == b
        // Bit patterns, so that NaN equals NaN (values, not arithmetic).
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.bytes(let a), .bytes(let b)), (.fixed(let a), .fixed(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.enumeration(let a, let x), .enumeration(let b, let y)): a == b && x == y
        case (.array(let a), .array(let b)), (.record(let a), .record(let b)): a == b
        case (.map(let a), .map(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.union(let i, let a), .union(let j, let b)): i == j && a == b
        default: false
        }
    }
}

/// Why a datum could not be encoded or decoded, and where (`/fields/2/items` style path into the
/// value, or the byte offset of the input).
public struct AvroCodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
