/// Avro's binary encoding of generic values, into a reusable buffer. The schema is compiled
/// once into a plan, so encoding does not walk (or copy) schema nodes per datum.
public struct AvroBinaryEncoder: Sendable {
    public let schema: AvroSchema
    /// The encoded bytes; ``reset()`` keeps the capacity for the next datum.
    public private(set) var bytes: [UInt8] = []
    private let plan: WritePlan

    public init(schema: AvroSchema) {
        self.schema = schema
        var compiler = WritePlanCompiler(schema: schema)
        plan = compiler.compile(schema.root)
        bytes.reserveCapacity(256)
    }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Encodes one datum of the schema's root type, appending to ``bytes``.
    public mutating func encode(_ value: AvroValue) throws(AvroCodingError) {
        try write(value, plan, path: "")
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

    private func mismatch(_ value: AvroValue, _ plan: WritePlan, _ path: String) -> AvroCodingError {
        AvroCodingError("the value at \(path.isEmpty ? "/" : path) is \(value), which is not a \(plan.typeName)")
    }

    private mutating func write(_ value: AvroValue, _ plan: WritePlan, path: @autoclosure () -> String) throws(AvroCodingError) {
        switch plan.kind {
        case .null:
            guard case .null = value else { throw mismatch(value, plan, path()) }
        case .boolean:
            guard case .boolean(let flag) = value else { throw mismatch(value, plan, path()) }
            bytes.append(flag ? 1 : 0)
        case .int:
            guard case .int(let number) = value else { throw mismatch(value, plan, path()) }
            writeLong(Int64(number))
        case .long:
            switch value {
            case .long(let number): writeLong(number)
            case .int(let number): writeLong(Int64(number))
            default: throw mismatch(value, plan, path())
            }
        case .float:
            guard case .float(let number) = value else { throw mismatch(value, plan, path()) }
            withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case .double:
            guard case .double(let number) = value else { throw mismatch(value, plan, path()) }
            withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case .bytes:
            guard case .bytes(let data) = value else { throw mismatch(value, plan, path()) }
            writeBytes(data)
        case .string:
            guard case .string(var text) = value else { throw mismatch(value, plan, path()) }
            text.withUTF8 { utf8 in
                writeLong(Int64(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        case .fixed(let size, let name):
            guard case .fixed(let data) = value else { throw mismatch(value, plan, path()) }
            guard data.count == size else {
                throw AvroCodingError("the fixed value at \(path().isEmpty ? "/" : path()) has \(data.count) bytes; \(name) has \(size)")
            }
            bytes.append(contentsOf: data)
        case .enumeration(let symbols, let name):
            guard case .enumeration(let index, _) = value else { throw mismatch(value, plan, path()) }
            guard index >= 0, index < symbols else {
                throw AvroCodingError("symbol index \(index) at \(path()) is outside \(name)")
            }
            writeLong(Int64(index))
        case .array(let items):
            guard case .array(let elements) = value else { throw mismatch(value, plan, path()) }
            if !elements.isEmpty {
                writeLong(Int64(elements.count))
                for index in elements.indices { try write(elements[index], items, path: "\(path())/\(index)") }
            }
            bytes.append(0)
        case .map(let values):
            guard case .map(let entries) = value else { throw mismatch(value, plan, path()) }
            if !entries.isEmpty {
                writeLong(Int64(entries.count))
                for entry in entries {
                    writeBytes(entry.key.utf8)
                    try write(entry.value, values, path: "\(path())/\(entry.key)")
                }
            }
            bytes.append(0)
        case .union(let branches):
            guard case .union(let index, let branchValue) = value else { throw mismatch(value, plan, path()) }
            guard index >= 0, index < branches.count else {
                throw AvroCodingError("union branch \(index) at \(path()) does not exist (the union has \(branches.count))")
            }
            writeLong(Int64(index))
            try write(branchValue, branches[index], path: path())
        case .record(let fieldPlans, let names, let name):
            guard case .record(let fields) = value else { throw mismatch(value, plan, path()) }
            guard fields.count == fieldPlans.count else {
                throw AvroCodingError("the record at \(path().isEmpty ? "/" : path()) has \(fields.count) values; \(name) has \(fieldPlans.count) fields")
            }
            for index in fields.indices {
                try write(fields[index], fieldPlans[index], path: "\(path())/\(names[index])")
            }
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

/// One compiled step of writing a value of one schema node.
final class WritePlan: @unchecked Sendable {
    // Set once while compiling (recursive types point back at a plan being built), then only read.
    var kind: Kind = .null
    var typeName = ""

    indirect enum Kind {
        case null, boolean, int, long, float, double, bytes, string
        case fixed(Int, String)
        case enumeration(Int, String)
        case array(WritePlan)
        case map(WritePlan)
        case union([WritePlan])
        case record([WritePlan], [String], String)
    }
}

struct WritePlanCompiler {
    let schema: AvroSchema
    var named: [String: WritePlan] = [:]

    mutating func compile(_ type: AvroType) -> WritePlan {
        let resolved = schema.resolve(type)
        if let name = resolved.fullName, let existing = named[name] { return existing }
        let plan = WritePlan()
        plan.typeName = AvroBinaryEncoder.typeName(resolved)
        if let name = resolved.fullName { named[name] = plan }
        switch resolved {
        case .primitive(let primitive, _):
            switch primitive {
            case .null: plan.kind = .null
            case .boolean: plan.kind = .boolean
            case .int: plan.kind = .int
            case .long: plan.kind = .long
            case .float: plan.kind = .float
            case .double: plan.kind = .double
            case .bytes: plan.kind = .bytes
            case .string: plan.kind = .string
            }
        case .fixed(let fixed): plan.kind = .fixed(fixed.size, fixed.fullName)
        case .enumeration(let enumeration): plan.kind = .enumeration(enumeration.symbols.count, enumeration.fullName)
        case .array(let items, _): plan.kind = .array(compile(items))
        case .map(let values, _): plan.kind = .map(compile(values))
        case .union(let branches): plan.kind = .union(branches.map { compile($0) })
        case .record(let record):
            plan.kind = .record(record.fields.map { compile($0.type) }, record.fields.map(\.name), record.fullName)
        case .named(let name): plan.typeName = "undefined type \(name)"
        }
        return plan
    }
}
