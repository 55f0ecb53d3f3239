/// The part of a record a schema describes.
public enum RecordField: String, Sendable, Hashable, CaseIterable {
    case key
    case value

    /// The record header that carries the schema reference in Confluent's header framing.
    public var schemaHeaderName: String {
        switch self {
        case .key: "__key_schema_id"
        case .value: "__value_schema_id"
        }
    }
}

/// A schema GUID (Confluent 8.x): a UUID, most significant 8 bytes first on the wire.
public struct SchemaGUID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads the canonical text form (`8-4-4-4-12` hex digits, either case).
    public init?(uuidString: String) {
        let digits = uuidString.utf8.filter { $0 != UInt8(ascii: "-") }
        guard uuidString.utf8.count == 36, digits.count == 32 else { return nil }
        var value: (UInt64, UInt64) = (0, 0)
        for (index, digit) in digits.enumerated() {
            guard let nibble = Self.nibble(digit) else { return nil }
            if index < 16 { value.0 = value.0 << 4 | UInt64(nibble) } else { value.1 = value.1 << 4 | UInt64(nibble) }
        }
        (high, low) = value
    }

    /// The lowercase `8-4-4-4-12` form the registry prints.
    public var description: String {
        let hex = [high, low].map { word in
            let text = String(word, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// How a record names its writer schema.
public enum SchemaPointer: Sendable, Hashable, CustomStringConvertible {
    /// Magic byte 0 and a 4-byte big-endian registry id.
    case id(Int32)
    /// Magic byte 1 and a 16-byte GUID.
    case guid(SchemaGUID)

    public var description: String {
        switch self {
        case .id(let id): "schema id \(id)"
        case .guid(let guid): "schema GUID \(guid)"
        }
    }
}

/// Confluent's wire formats (the registry notes, §6): the schema reference is either a prefix of
/// the key or value (magic 0 + 4-byte id, or magic 1 + 16-byte GUID) or, with the header
/// serializer, the 17 or 5 bytes of a `__key_schema_id` / `__value_schema_id` header, the
/// payload then being unframed.
public enum SchemaFraming {
    /// Why bytes are not a schema reference; `description` completes "the value ...".
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case tooShort(Int, needed: Int)
        case unknownMagic(UInt8)
        case emptyHeader

        public var description: String {
            switch self {
            case let .tooShort(count, needed):
                "has \(count) byte\(count == 1 ? "" : "s"); Confluent's wire format needs at least \(needed) (magic byte 0 and a 4-byte schema id, or magic byte 1 and a 16-byte GUID)"
            case .unknownMagic(let byte):
                "starts with byte 0x\(byte < 16 ? "0" : "")\(String(byte, radix: 16)), not magic byte 0 (schema id) or 1 (schema GUID) of Confluent's wire format"
            case .emptyHeader:
                "schema header is null or empty"
            }
        }
    }

    /// The schema reference at the start of `bytes`, and how many bytes it takes (the payload
    /// follows).
    public static func prefix(of bytes: ArraySlice<UInt8>) -> Result<(SchemaPointer, payloadStart: Int), Failure> {
        let start = bytes.startIndex
        guard let magic = bytes.first else { return .failure(.tooShort(0, needed: 5)) }
        switch magic {
        case 0:
            guard bytes.count >= 5 else { return .failure(.tooShort(bytes.count, needed: 5)) }
            let id = UInt32(bytes[start + 1]) << 24 | UInt32(bytes[start + 2]) << 16 | UInt32(bytes[start + 3]) << 8 | UInt32(bytes[start + 4])
            return .success((.id(Int32(bitPattern: id)), 5))
        case 1:
            guard bytes.count >= 17 else { return .failure(.tooShort(bytes.count, needed: 17)) }
            return .success((.guid(guid(bytes, at: start + 1)), 17))
        default:
            return .failure(.unknownMagic(magic))
        }
    }

    public static func prefix(of bytes: [UInt8]) -> Result<(SchemaPointer, payloadStart: Int), Failure> {
        prefix(of: bytes[...])
    }

    /// The schema reference a header holds: the whole header value is the reference.
    public static func header(_ bytes: ArraySlice<UInt8>) -> Result<SchemaPointer, Failure> {
        guard !bytes.isEmpty else { return .failure(.emptyHeader) }
        switch prefix(of: bytes) {
        case .success(let (pointer, _)): return .success(pointer)
        case .failure(let failure): return .failure(failure)
        }
    }

    public static func header(_ bytes: [UInt8]) -> Result<SchemaPointer, Failure> {
        header(bytes[...])
    }

    private static func guid(_ bytes: ArraySlice<UInt8>, at start: Int) -> SchemaGUID {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(bytes[start + index])
            low = low << 8 | UInt64(bytes[start + 8 + index])
        }
        return SchemaGUID(high: high, low: low)
    }
}
