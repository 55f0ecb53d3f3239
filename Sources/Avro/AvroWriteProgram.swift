/// The encoder's compiled form of a schema: a flat table of steps, one per schema node, that
/// refer to each other by index. A step is a trivial value (integers only), so encoding a datum
/// reads the table through a pointer with no reference counting, no dictionary lookups and no
/// walk over `AvroType` nodes. Recursive named types compile to steps that point back at
/// themselves.
final class WriteProgram: @unchecked Sendable {
    // Immutable after init; the buffers are owned and freed here.
    let ops: UnsafeMutableBufferPointer<WriteOp>
    /// The children of unions and records: `children[first ..< first + count]`.
    let children: UnsafeMutableBufferPointer<Int>
    /// Per step, the name of its type, for error messages.
    let typeNames: [String]
    /// Per record child, the field's name; per fixed or enum, its full name (`names[index]`).
    let names: [String]
    let root: Int

    init(schema: AvroSchema) {
        var compiler = WriteProgramCompiler(schema: schema)
        root = compiler.compile(schema.root)
        ops = .allocate(capacity: max(compiler.ops.count, 1))
        _ = ops.initialize(from: compiler.ops)
        children = .allocate(capacity: max(compiler.children.count, 1))
        _ = children.initialize(from: compiler.children)
        typeNames = compiler.typeNames
        names = compiler.names
    }

    deinit {
        ops.deallocate()
        children.deallocate()
    }
}

/// One step of writing a value of one schema node. Indices point into ``WriteProgram``'s tables.
enum WriteOp {
    case null, boolean, int, long, float, double, bytes, string
    case fixed(size: Int, name: Int)
    case enumeration(symbols: Int, name: Int)
    case array(items: Int)
    case map(values: Int)
    case union(first: Int, count: Int)
    /// Field steps are `children[first ..< first + count]`, field names `names[first ..< first + count]`
    /// (the two tables grow together), the record's full name `names[name]`.
    case record(first: Int, count: Int, name: Int)
}

struct WriteProgramCompiler {
    let schema: AvroSchema
    var ops: [WriteOp] = []
    var typeNames: [String] = []
    var children: [Int] = []
    var names: [String] = []
    var named: [String: Int] = [:]

    init(schema: AvroSchema) { self.schema = schema }

    private mutating func name(_ text: String) -> Int {
        names.append(text)
        children.append(-1)  // keeps children and names aligned
        return names.count - 1
    }

    mutating func compile(_ type: AvroType) -> Int {
        let resolved = schema.resolve(type)
        if let name = resolved.fullName, let existing = named[name] { return existing }
        let index = ops.count
        ops.append(.null)
        typeNames.append(AvroBinaryEncoder.typeName(resolved))
        if let name = resolved.fullName { named[name] = index }
        let op: WriteOp
        switch resolved {
        case .primitive(let primitive, _):
            switch primitive {
            case .null: op = .null
            case .boolean: op = .boolean
            case .int: op = .int
            case .long: op = .long
            case .float: op = .float
            case .double: op = .double
            case .bytes: op = .bytes
            case .string: op = .string
            }
        case .fixed(let fixed): op = .fixed(size: fixed.size, name: name(fixed.fullName))
        case .enumeration(let enumeration): op = .enumeration(symbols: enumeration.symbols.count, name: name(enumeration.fullName))
        case .array(let items, _): op = .array(items: compile(items))
        case .map(let values, _): op = .map(values: compile(values))
        case .union(let branches):
            let steps = branches.map { compile($0) }
            op = .union(first: children.count, count: steps.count)
            children.append(contentsOf: steps)
            names.append(contentsOf: repeatElement("", count: steps.count))
        case .record(let record):
            let steps = record.fields.map { compile($0.type) }
            let recordName = name(record.fullName)
            op = .record(first: children.count, count: steps.count, name: recordName)
            children.append(contentsOf: steps)
            names.append(contentsOf: record.fields.map(\.name))
        case .named(let name):
            // An undefined reference (the parser refuses these): accepts only null, as before.
            typeNames[index] = "undefined type \(name)"
            op = .null
        }
        ops[index] = op
        return index
    }
}

/// Why a write stopped: the buffer was too small (the caller grows it and writes the datum
/// again), or the value does not fit the schema (the path is collected while unwinding, so the
/// successful path never builds strings).
enum WriteFailure: Error {
    case overflow
    /// `describe(path)` makes the message; `reversedPath` holds the components innermost first.
    case invalid(reversedPath: [String], describe: @Sendable (String) -> String)

    func within(_ component: String) -> WriteFailure {
        guard case .invalid(var path, let describe) = self else { return self }
        path.append(component)
        return .invalid(reversedPath: path, describe: describe)
    }
}

/// Writes one datum into preallocated memory. Each write checks the room left once and then
/// stores through the raw pointer.
struct AvroByteWriter {
    let base: UnsafeMutableRawPointer
    var position: Int
    let end: Int
    unowned(unsafe) let program: WriteProgram

    @inline(__always)
    private func ensure(_ count: Int) throws(WriteFailure) {
        guard end - position >= count else { throw .overflow }
    }

    @inline(__always)
    mutating func writeLong(_ value: Int64) throws(WriteFailure) {
        try ensure(10)
        putLong(value)
    }

    /// A varint; the caller has checked that 10 bytes are left.
    @inline(__always)
    private mutating func putLong(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: zigzag) | 0x80, toByteOffset: position, as: UInt8.self)
            position += 1
            zigzag >>= 7
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: zigzag), toByteOffset: position, as: UInt8.self)
        position += 1
    }

    /// Raw bytes; the caller has checked the room.
    @inline(__always)
    private mutating func putRaw(_ raw: UnsafeRawBufferPointer) {
        if let source = raw.baseAddress, raw.count > 0 { (base + position).copyMemory(from: source, byteCount: raw.count) }
        position += raw.count
    }

    @inline(__always)
    mutating func writeByte(_ byte: UInt8) throws(WriteFailure) {
        try ensure(1)
        base.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
        position += 1
    }

    @inline(__always)
    mutating func writeWord<T: FixedWidthInteger>(_ word: T) throws(WriteFailure) {
        try ensure(MemoryLayout<T>.size)
        base.storeBytes(of: word.littleEndian, toByteOffset: position, as: T.self)
        position += MemoryLayout<T>.size
    }

    mutating func writeString(_ text: String) throws(WriteFailure) {
        let count = text.utf8.count
        try ensure(10 + count)
        putLong(Int64(count))
        // Native and small strings expose their UTF-8 in place; only a bridged one is copied.
        let done: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            putRaw(UnsafeRawBufferPointer(utf8))
            return true
        }
        if done == nil {
            var copy = text
            copy.withUTF8 { putRaw(UnsafeRawBufferPointer($0)) }
        }
    }

    mutating func writeBytes(_ data: [UInt8]) throws(WriteFailure) {
        try ensure(10 + data.count)
        putLong(Int64(data.count))
        data.withUnsafeBytes { putRaw($0) }
    }

    mutating func writeFixed(_ data: [UInt8]) throws(WriteFailure) {
        try ensure(data.count)
        data.withUnsafeBytes { putRaw($0) }
    }

    private func mismatch(_ value: AvroValue, _ op: Int) -> WriteFailure {
        let typeName = program.typeNames[op]
        return .invalid(reversedPath: []) { path in
            "the value at \(path.isEmpty ? "/" : path) is \(value), which is not a \(typeName)"
        }
    }

    mutating func write(_ value: AvroValue, _ op: Int) throws(WriteFailure) {
        switch program.ops[op] {
        case .null:
            guard case .null = value else { throw mismatch(value, op) }
        case .boolean:
            guard case .boolean(let flag) = value else { throw mismatch(value, op) }
            try writeByte(flag ? 1 : 0)
        case .int:
            guard case .int(let number) = value else { throw mismatch(value, op) }
            try writeLong(Int64(number))
        case .long:
            switch value {
            case .long(let number): try writeLong(number)
            case .int(let number): try writeLong(Int64(number))
            default: throw mismatch(value, op)
            }
        case .float:
            guard case .float(let number) = value else { throw mismatch(value, op) }
            try writeWord(number.bitPattern)
        case .double:
            guard case .double(let number) = value else { throw mismatch(value, op) }
            try writeWord(number.bitPattern)
        case .bytes:
            guard case .bytes(let data) = value else { throw mismatch(value, op) }
            try writeBytes(data)
        case .string:
            guard case .string(let text) = value else { throw mismatch(value, op) }
            try writeString(text)
        case .fixed(let size, let name):
            guard case .fixed(let data) = value else { throw mismatch(value, op) }
            guard data.count == size else {
                let fullName = program.names[name]
                throw .invalid(reversedPath: []) { path in
                    "the fixed value at \(path.isEmpty ? "/" : path) has \(data.count) bytes; \(fullName) has \(size)"
                }
            }
            try writeFixed(data)
        case .enumeration(let symbols, let name):
            guard case .enumeration(let index, _) = value else { throw mismatch(value, op) }
            guard index >= 0, index < symbols else {
                let fullName = program.names[name]
                throw .invalid(reversedPath: []) { path in "symbol index \(index) at \(path) is outside \(fullName)" }
            }
            try writeLong(Int64(index))
        case .array(let items):
            guard case .array(let elements) = value else { throw mismatch(value, op) }
            if !elements.isEmpty {
                try writeLong(Int64(elements.count))
                // Through the buffer, the elements are borrowed rather than copied (retained).
                try elements.withUnsafeBufferPointer { elements throws(WriteFailure) in
                    var index = 0
                    do throws(WriteFailure) {
                        while index < elements.count {
                            try write(elements[index], items)
                            index += 1
                        }
                    } catch {
                        throw error.within("\(index)")
                    }
                }
            }
            try writeByte(0)
        case .map(let values):
            guard case .map(let entries) = value else { throw mismatch(value, op) }
            if !entries.isEmpty {
                try writeLong(Int64(entries.count))
                for entry in entries {
                    try writeString(entry.key)
                    do throws(WriteFailure) { try write(entry.value, values) } catch { throw error.within(entry.key) }
                }
            }
            try writeByte(0)
        case .union(let first, let count):
            guard case .union(let index, let branchValue) = value else { throw mismatch(value, op) }
            guard index >= 0, index < count else {
                throw .invalid(reversedPath: []) { path in
                    "union branch \(index) at \(path) does not exist (the union has \(count))"
                }
            }
            try writeLong(Int64(index))
            try write(branchValue, program.children[first + index])
        case .record(let first, let count, let name):
            guard case .record(let fields) = value else { throw mismatch(value, op) }
            guard fields.count == count else {
                let fullName = program.names[name]
                let given = fields.count
                throw .invalid(reversedPath: []) { path in
                    "the record at \(path.isEmpty ? "/" : path) has \(given) values; \(fullName) has \(count) fields"
                }
            }
            let program = program
            try fields.withUnsafeBufferPointer { fields throws(WriteFailure) in
                var index = 0
                do throws(WriteFailure) {
                    while index < count {
                        try write(fields[index], program.children[first + index])
                        index += 1
                    }
                } catch {
                    throw error.within(program.names[first + index])
                }
            }
        }
    }
}
