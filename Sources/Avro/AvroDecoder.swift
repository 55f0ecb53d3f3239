#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes Swift `Decodable` values from Avro binary. The type is described by `schema` (the
/// reader schema); data written with another schema is resolved into it (promotions, defaults,
/// skipped fields, enum defaults) by an ``AvroDatumReader`` compiled once in `init`.
///
/// The mapping is ``AvroEncoder``'s. A record field the type asks for but the reader schema lacks
/// is absent (an `Optional` property becomes nil); a non-optional one is an error naming the
/// field. Integers are checked for range, so an `Int8` property reading 300 fails with the path.
public struct AvroDecoder: Sendable {
    /// The reader schema: the one the Swift type is described by.
    public let schema: AvroSchema
    let datumReader: AvroDatumReader

    /// - Parameters:
    ///   - schema: the reader schema.
    ///   - writerSchema: the schema the data was written with, when it differs.
    /// - Throws: ``AvroCodingError`` when the reader schema cannot read the writer's.
    public init(schema: AvroSchema, writerSchema: AvroSchema? = nil) throws(AvroCodingError) {
        self.schema = schema
        datumReader = try AvroDatumReader(writer: writerSchema ?? schema, reader: schema)
    }

    /// Decodes one datum (the whole input) as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try datumReader.read(bytes))
    }

    /// Decodes a generic value of the reader schema as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from value: AvroValue) throws -> T {
        let decoder = AvroTreeDecoder(schema: schema, value: value, type: schema.root)
        return try decoder.decodeValue(type, value: value, type: schema.root, key: nil)
    }
}

/// The decoder behind ``AvroDecoder``: it walks a decoded ``AvroValue`` beside its schema node
/// (Swift asks for record fields in any order, so the datum is read first). One instance serves
/// the whole datum; `value` and `type` are the current position.
final class AvroTreeDecoder: Decoder {
    let schema: AvroSchema
    var value: AvroValue
    /// The current position's schema node, resolved, and never a union whose branch is known.
    var type: AvroType
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(schema: AvroSchema, value: AvroValue, type: AvroType) {
        self.schema = schema
        self.value = value
        self.type = type
    }

    var pathText: String {
        codingPath.isEmpty ? "/" : codingPath.map { "/" + $0.stringValue }.joined()
    }

    /// The path of a child of the current position.
    func pathText(appending name: String) -> String {
        codingPath.map { "/" + $0.stringValue }.joined() + "/" + name
    }

    func mismatch(_ wanted: String) -> AvroCodingError {
        AvroCodingError("at \(pathText): \(wanted) cannot be read from \(CodablePlanCompiler.typeName(type, AvroLogicalType(of: type))) (the value is \(value))")
    }

    /// The branch a union value took, with its schema node.
    func unwrap(_ value: AvroValue, _ type: AvroType) -> (AvroValue, AvroType) {
        var value = value
        var type = schema.resolve(type)
        while case .union(let index, let inner) = value, case .union(let branches) = type, branches.indices.contains(index) {
            value = inner
            type = schema.resolve(branches[index])
        }
        return (value, type)
    }

    /// Decodes `decodable` from a new position.
    func decodeValue<T: Decodable>(_ decodable: T.Type, value: AvroValue, type: AvroType, key: (any CodingKey)?) throws -> T {
        let saved = (self.value, self.type)
        (self.value, self.type) = unwrap(value, type)
        if let key { codingPath.append(key) }
        defer {
            if key != nil { codingPath.removeLast() }
            (self.value, self.type) = saved
        }
        if let special = try decodeSpecial(decodable) { return special }
        return try T(from: self)
    }

    /// `Date`, `UUID`, `Data`, `[UInt8]` and `Decimal` from their Avro forms.
    private func decodeSpecial<T: Decodable>(_ decodable: T.Type) throws -> T? {
        if T.self == Date.self {
            let number: Int64
            switch value {
            case .long(let long): number = long
            case .int(let int): number = Int64(int)
            default: throw mismatch("a Date")
            }
            guard let date = AvroLogicalType(of: type)?.date(from: number) else {
                throw mismatch("a Date (it needs a date, timestamp-* or local-timestamp-* logical type)")
            }
            return date as? T
        }
        if T.self == UUID.self {
            switch value {
            case .string(let text):
                guard let uuid = UUID(uuidString: text) else { throw AvroCodingError("at \(pathText): \"\(text)\" is not a UUID") }
                return uuid as? T
            case .fixed(let bytes) where bytes.count == 16:
                let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                       bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
                return uuid as? T
            default: throw mismatch("a UUID")
            }
        }
        if T.self == Data.self || T.self == [UInt8].self {
            switch value {
            case .bytes(let bytes), .fixed(let bytes):
                return T.self == Data.self ? Data(bytes) as? T : bytes as? T
            default: return nil  // an array of ints decodes element by element
            }
        }
        if T.self == Decimal.self {
            switch (value, AvroLogicalType(of: type)) {
            case (.bytes(let bytes), .decimal(_, let scale)), (.fixed(let bytes), .decimal(_, let scale)):
                do {
                    return try AvroDecimal.value(bytes, scale: scale) as? T
                } catch {
                    throw AvroCodingError("at \(pathText): \(error.message)")
                }
            case (.double(let number), _): return Decimal(string: String(number)) as? T
            case (.string(let text), _):
                guard let decimal = Decimal(string: text) else { throw AvroCodingError("at \(pathText): \"\(text)\" is not a decimal number") }
                return decimal as? T
            default: throw mismatch("a Decimal")
            }
        }
        return nil
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch (value, self.type) {
        case (.record(let fields), .record(let record)):
            return KeyedDecodingContainer(AvroRecordDecodingContainer<Key>(decoder: self, fields: fields, record: record))
        case (.map(let entries), .map(let valueType, _)):
            return KeyedDecodingContainer(AvroMapDecodingContainer<Key>(decoder: self, entries: entries, valueType: valueType))
        default:
            throw mismatch("a keyed value (a struct or a dictionary)")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value, case .array(let itemType, _) = type else {
            throw mismatch("an unkeyed value (an array)")
        }
        return AvroArrayDecodingContainer(decoder: self, items: items, itemType: itemType)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        AvroSingleValueDecodingContainer(decoder: self)
    }
}
