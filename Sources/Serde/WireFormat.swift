import Foundation

/// How a serialized key or value names its schema.
public enum SchemaIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// A registry schema id (Confluent's classic framing, magic byte 0).
    case id(Int)
    /// A schema GUID (Confluent 8's framing, magic byte 1), as served by `/schemas/guids/{guid}`.
    case guid(UUID)

    public var description: String {
        switch self {
        case .id(let id): "schema id \(id)"
        // The registry prints GUIDs in lower case.
        case .guid(let guid): "schema GUID \(guid.uuidString.lowercased())"
        }
    }
}

/// Which part of a Kafka record is being serialized: it picks the subject (`-key` / `-value`)
/// and the schema-id header (`__key_schema_id` / `__value_schema_id`).
public enum MessageField: String, Sendable, Hashable {
    case key, value

    /// The record header that carries the schema GUID in the header form.
    public var schemaIDHeader: String { self == .key ? "__key_schema_id" : "__value_schema_id" }
}

/// Confluent's wire format. The classic framing prefixes the payload:
///
/// ```
/// byte 0       0x00 (magic)
/// bytes 1...4  schema id, unsigned 32-bit big-endian
/// bytes 5...   payload (Avro binary, or UTF-8 JSON text)
/// ```
///
/// Newer clients may instead put `0x01` + a 16-byte GUID (most significant byte first) in a record
/// header, or in front of the payload. Readers look at the header first, then at the prefix.
public enum ConfluentWireFormat {
    public static let idMagic: UInt8 = 0
    public static let guidMagic: UInt8 = 1
    /// Magic byte and 4-byte id.
    public static let idPrefixLength = 5
    /// Magic byte and 16-byte GUID.
    public static let guidPrefixLength = 17

    /// The payload framed with its schema id (magic 0).
    /// - Throws: ``WireFormatError/idOutOfRange(_:)`` for an id that does not fit 0...2^31-1
    ///   (the registry's ids are Java ints).
    public static func frame(schemaID: Int, payload: some Collection<UInt8>) throws(WireFormatError) -> [UInt8] {
        var bytes = try prefix(schemaID: schemaID, reservingCapacity: payload.count)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// The 5-byte prefix (magic 0 + id), with room for a payload to be appended in place.
    /// - Throws: ``WireFormatError/idOutOfRange(_:)`` as ``frame(schemaID:payload:)``.
    public static func prefix(schemaID: Int, reservingCapacity payloadCapacity: Int) throws(WireFormatError) -> [UInt8] {
        guard (0...Int(Int32.max)).contains(schemaID) else { throw .idOutOfRange(schemaID) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(idPrefixLength + payloadCapacity)
        let id = UInt32(schemaID)
        bytes.append(idMagic)
        bytes.append(UInt8(id >> 24))
        bytes.append(UInt8(id >> 16 & 0xFF))
        bytes.append(UInt8(id >> 8 & 0xFF))
        bytes.append(UInt8(id & 0xFF))
        return bytes
    }

    /// The 17-byte header value (magic 1 + GUID) of the header form.
    public static func guidHeaderValue(_ guid: UUID) -> [UInt8] {
        let u = guid.uuid
        return [guidMagic, u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
    }

    /// Splits framed bytes into the schema they name and the payload.
    ///
    /// An empty payload after the prefix is accepted: an Avro `null` or an empty record encodes to
    /// zero bytes (confluent-kafka-python refuses those; Java accepts them).
    public static func parse(_ bytes: [UInt8]) throws(WireFormatError) -> (schema: SchemaIdentifier, payload: ArraySlice<UInt8>) {
        guard let magic = bytes.first else { throw .empty }
        switch magic {
        case idMagic:
            guard bytes.count >= idPrefixLength else { throw .truncatedPrefix(length: bytes.count, needed: idPrefixLength, magic: magic) }
            return (.id(readID(bytes, at: 1)), bytes[idPrefixLength...])
        case guidMagic:
            guard bytes.count >= guidPrefixLength else { throw .truncatedPrefix(length: bytes.count, needed: guidPrefixLength, magic: magic) }
            return (.guid(readGUID(bytes, at: 1)), bytes[guidPrefixLength...])
        default:
            throw .unknownMagicByte(magic)
        }
    }

    /// The schema a record names, the header form first (as Confluent's deserializers look), then
    /// the prefix; the payload is unframed when the header named the schema.
    /// - Parameter headers: the record's headers; a header with the field's name is used, and it
    ///   must be 17 bytes (magic 1 + GUID) or 5 bytes (magic 0 + id).
    public static func locate(
        _ bytes: [UInt8], headers: [(key: String, value: [UInt8]?)], field: MessageField
    ) throws(WireFormatError) -> (schema: SchemaIdentifier, payload: ArraySlice<UInt8>) {
        // The last header of a name wins, as Kafka's Headers.lastHeader does.
        if let header = headers.last(where: { $0.key == field.schemaIDHeader }) {
            return (try parseHeader(header.value ?? [], name: header.key), bytes[...])
        }
        return try parse(bytes)
    }

    /// A schema-id header value: magic 1 + 16-byte GUID, or magic 0 + 4-byte id.
    public static func parseHeader(_ value: [UInt8], name: String) throws(WireFormatError) -> SchemaIdentifier {
        switch (value.first, value.count) {
        case (guidMagic, guidPrefixLength): return .guid(readGUID(value, at: 1))
        case (idMagic, idPrefixLength): return .id(readID(value, at: 1))
        default: throw .malformedHeader(name: name, length: value.count, magic: value.first)
        }
    }

    private static func readID(_ bytes: [UInt8], at start: Int) -> Int {
        Int(UInt32(bytes[start]) << 24 | UInt32(bytes[start + 1]) << 16 | UInt32(bytes[start + 2]) << 8 | UInt32(bytes[start + 3]))
    }

    private static func readGUID(_ bytes: [UInt8], at start: Int) -> UUID {
        let b = Array(bytes[start..<start + 16])
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}

/// Why bytes are not in Confluent's wire format; each case says what was found and what was expected.
public enum WireFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unknownMagicByte(UInt8)
    case truncatedPrefix(length: Int, needed: Int, magic: UInt8)
    case malformedHeader(name: String, length: Int, magic: UInt8?)
    case idOutOfRange(Int)

    public var description: String {
        switch self {
        case .empty:
            return "no bytes: Confluent's wire format starts with a magic byte and a schema id"
        case .unknownMagicByte(let magic):
            var text = "unknown magic byte 0x\(String(format: "%02x", magic)): expected 0x00 (schema id) or 0x01 (schema GUID)"
            // Data produced without a serializer usually starts with JSON or text.
            if magic == UInt8(ascii: "{") || magic == UInt8(ascii: "[") || magic == UInt8(ascii: "\"") {
                text += "; the data looks like plain JSON, not framed by a schema-registry serializer"
            }
            return text
        case .truncatedPrefix(let length, let needed, let magic):
            let what = magic == ConfluentWireFormat.idMagic ? "magic byte + 4-byte schema id" : "magic byte + 16-byte schema GUID"
            return "\(length) bytes are too short for the \(what): at least \(needed) needed"
        case .malformedHeader(let name, let length, let magic):
            let first = magic.map { "0x" + String(format: "%02x", $0) } ?? "nothing"
            return "header \(name) holds \(length) bytes starting with \(first): expected 17 (0x01 + GUID) or 5 (0x00 + id)"
        case .idOutOfRange(let id):
            return "schema id \(id) does not fit the wire format's 0...\(Int32.max)"
        }
    }
}
