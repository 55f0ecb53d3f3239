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
    /// The reader schema compiled for walking (field indexes by name, logical types at hand).
    let plan: CodablePlan

    /// - Parameters:
    ///   - schema: the reader schema.
    ///   - writerSchema: the schema the data was written with, when it differs.
    /// - Throws: ``AvroCodingError`` when the reader schema cannot read the writer's.
    public init(schema: AvroSchema, writerSchema: AvroSchema? = nil) throws(AvroCodingError) {
        self.schema = schema
        datumReader = try AvroDatumReader(writer: writerSchema ?? schema, reader: schema)
        var compiler = CodablePlanCompiler(schema: schema)
        plan = try compiler.compile(schema.root)
    }

    /// Decodes one datum (the whole input) as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try datumReader.read(bytes))
    }

    /// Decodes a generic value of the reader schema as `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from value: AvroValue) throws -> T {
        let decoder = AvroTreeDecoder(value: value, plan: plan)
        return try decoder.decodeValue(type, value: value, plan: plan, key: nil)
    }
}

/// The decoder behind ``AvroDecoder``: it walks a decoded ``AvroValue`` beside its schema node
/// (Swift asks for record fields in any order, so the datum is read first). One instance serves
/// the whole datum; `value` and `plan` are the current position.
final class AvroTreeDecoder: Decoder {
    var value: AvroValue
    /// The current position's schema node, never a union whose branch is known.
    var plan: CodablePlan
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: AvroValue, plan: CodablePlan) {
        self.value = value
        self.plan = plan
    }

    var pathText: String {
        codingPath.isEmpty ? "/" : codingPath.map { "/" + $0.stringValue }.joined()
    }

    /// The path of a child of the current position.
    func pathText(appending name: String) -> String {
        codingPath.map { "/" + $0.stringValue }.joined() + "/" + name
    }

    func mismatch(_ wanted: String) -> AvroCodingError {
        AvroCodingError("at \(pathText): \(wanted) cannot be read from \(plan.typeName) (the value is \(value))")
    }

    /// The branch a union value took, with its schema node.
    func unwrap(_ value: AvroValue, _ plan: CodablePlan) -> (AvroValue, CodablePlan) {
        var value = value
        var plan = plan
        while case .union(let index, let inner) = value, case .union(let branches) = plan.kind, branches.indices.contains(index) {
            value = inner
            plan = branches[index]
        }
        return (value, plan)
    }

    /// Decodes `decodable` from a new position.
    func decodeValue<T: Decodable>(_ decodable: T.Type, value: AvroValue, plan: CodablePlan, key: (any CodingKey)?) throws -> T {
        let saved = (self.value, self.plan)
        (self.value, self.plan) = unwrap(value, plan)
        if let key { codingPath.append(key) }
        defer {
            if key != nil { codingPath.removeLast() }
            (self.value, self.plan) = saved
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
            guard let date = plan.logical?.date(from: number) else {
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
            switch (value, plan.logical) {
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
        switch (value, plan.kind) {
        case (.record(let fields), .record(let record)):
            return KeyedDecodingContainer(AvroRecordDecodingContainer<Key>(decoder: self, fields: fields, record: record))
        case (.map(let entries), .map(let valueType)):
            return KeyedDecodingContainer(AvroMapDecodingContainer<Key>(decoder: self, entries: entries, valueType: valueType))
        default:
            throw mismatch("a keyed value (a struct or a dictionary)")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value, case .array(let itemType) = plan.kind else {
            throw mismatch("an unkeyed value (an array)")
        }
        return AvroArrayDecodingContainer(decoder: self, items: items, itemType: itemType)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        AvroSingleValueDecodingContainer(decoder: self)
    }
}
