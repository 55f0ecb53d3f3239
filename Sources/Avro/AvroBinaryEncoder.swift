/// Avro's binary encoding of generic values, into a reusable buffer.
public struct AvroBinaryEncoder: Sendable {
    public let schema: AvroSchema
    /// The encoded bytes; ``reset()`` keeps the capacity for the next datum.
    public private(set) var bytes: [UInt8] = []

    public init(schema: AvroSchema) {
        self.schema = schema
        bytes.reserveCapacity(256)
    }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Encodes one datum of the schema's root type, appending to ``bytes``.
    public mutating func encode(_ value: AvroValue) throws(AvroCodingError) {
        try write(value, as: schema.root, path: "")
    }

    /// The encoding of one datum.
    public static func encode(_ value: AvroValue, schema: AvroSchema) throws(AvroCodingError) -> [UInt8] {
        var encoder = AvroBinaryEncoder(schema: schema)
        try encoder.encode(value)
        return encoder.bytes
    }

    mutating func writeLong(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        bytes.append(UInt8(zigzag))
    }

    private mutating func writeBytes<C: Collection>(_ data: C) where C.Element == UInt8 {
        writeLong(Int64(data.count))
        bytes.append(contentsOf: data)
    }

    private func mismatch(_ value: AvroValue, _ type: String, _ path: String) -> AvroCodingError {
        AvroCodingError("the value at \(path.isEmpty ? "/" : path) is \(value), which is not a \(type)")
    }

    private mutating func write(_ value: AvroValue, as type: AvroType, path: String) throws(AvroCodingError) {
        let resolved = schema.resolve(type)
        switch (resolved, value) {
        case (.primitive(.null, _), .null): break
        case (.primitive(.boolean, _), .boolean(let flag)): bytes.append(flag ? 1 : 0)
        case (.primitive(.int, _), .int(let number)): writeLong(Int64(number))
        case (.primitive(.long, _), .long(let number)): writeLong(number)
        case (.primitive(.long, _), .int(let number)): writeLong(Int64(number))
        case (.primitive(.float, _), .float(let number)):
            withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case (.primitive(.double, _), .double(let number)):
            withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case (.primitive(.bytes, _), .bytes(let data)): writeBytes(data)
        case (.primitive(.string, _), .string(let text)): writeBytes(text.utf8)
        case (.fixed(let fixed), .fixed(let data)):
            guard data.count == fixed.size else {
                throw AvroCodingError("the fixed value at \(path.isEmpty ? "/" : path) has \(data.count) bytes; \(fixed.fullName) has \(fixed.size)")
            }
            bytes.append(contentsOf: data)
        case (.enumeration(let enumeration), .enumeration(let index, _)):
            guard enumeration.symbols.indices.contains(index) else {
                throw AvroCodingError("symbol index \(index) at \(path) is outside \(enumeration.fullName)")
            }
            writeLong(Int64(index))
        case (.array(let items, _), .array(let elements)):
            if !elements.isEmpty {
                writeLong(Int64(elements.count))
                for (index, element) in elements.enumerated() { try write(element, as: items, path: "\(path)/\(index)") }
            }
            bytes.append(0)
        case (.map(let values, _), .map(let entries)):
            if !entries.isEmpty {
                writeLong(Int64(entries.count))
                for entry in entries {
                    writeBytes(entry.key.utf8)
                    try write(entry.value, as: values, path: "\(path)/\(entry.key)")
                }
            }
            bytes.append(0)
        case (.union(let branches), .union(let index, let branchValue)):
            guard branches.indices.contains(index) else {
                throw AvroCodingError("union branch \(index) at \(path) does not exist (the union has \(branches.count))")
            }
            writeLong(Int64(index))
            try write(branchValue, as: branches[index], path: path)
        case (.record(let record), .record(let fields)):
            guard fields.count == record.fields.count else {
                throw AvroCodingError("the record at \(path.isEmpty ? "/" : path) has \(fields.count) values; \(record.fullName) has \(record.fields.count) fields")
            }
            for (field, fieldValue) in zip(record.fields, fields) {
                try write(fieldValue, as: field.type, path: "\(path)/\(field.name)")
            }
        default:
            throw mismatch(value, AvroBinaryEncoder.typeName(resolved), path)
        }
    }

    static func typeName(_ type: AvroType) -> String {
        switch type {
        case .primitive(let primitive, _): primitive.rawValue
        case .record(let record): "record \(record.fullName)"
        case .enumeration(let enumeration): "enum \(enumeration.fullName)"
        case .fixed(let fixed): "fixed \(fixed.fullName)"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .named(let name): name
        }
    }
}
