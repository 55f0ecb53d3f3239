/// The datum reader's compiled form of a (writer, reader) pair: a flat table of steps that refer
/// to each other by index. A step is a trivial value (integers only), so reading a datum walks
/// the table through a pointer with no reference counting, no dictionary lookups and no
/// re-dispatch over `AvroType` nodes. Recursive named types compile to cyclic steps.
final class ReadProgram: @unchecked Sendable {
    // Immutable after init; the buffers are owned and freed here.
    let ops: UnsafeMutableBufferPointer<ReadOp>
    let fieldSteps: UnsafeMutableBufferPointer<FieldStep>
    /// The step of each writer union branch: `branches[first ..< first + count]`.
    let branches: UnsafeMutableBufferPointer<Int>
    /// Per enumeration step: writer symbol index → reader symbol (nil: not in the reader, and no default).
    let enumerations: [(mapping: [(Int, String)?], writerSymbols: [String])]
    /// Reader fields the writer lacks take these values (from the reader's defaults).
    let defaults: [AvroValue]
    /// Why a step cannot read: reached only by data the reader cannot read.
    let failures: [String]
    let root: Int

    init(_ builder: ReadProgramBuilder, root: Int) {
        self.root = root
        ops = .allocate(capacity: max(builder.ops.count, 1))
        _ = ops.initialize(from: builder.ops)
        fieldSteps = .allocate(capacity: max(builder.fieldSteps.count, 1))
        _ = fieldSteps.initialize(from: builder.fieldSteps)
        branches = .allocate(capacity: max(builder.branches.count, 1))
        _ = branches.initialize(from: builder.branches)
        enumerations = builder.enumerations
        defaults = builder.defaults
        failures = builder.failures
    }

    deinit {
        ops.deallocate()
        fieldSteps.deallocate()
        branches.deallocate()
    }

    /// Reads one value of step `op`.
    func read(_ op: Int, _ input: inout AvroBinaryReader) throws(AvroCodingError) -> AvroValue {
        switch ops[op] {
        case .null: return .null
        case .boolean: return .boolean(try input.readBoolean())
        case .int: return .int(try input.readInt())
        case .long: return .long(try input.readLong())
        case .float: return .float(try input.readFloat())
        case .double: return .double(try input.readDouble())
        case .bytes: return .bytes(try input.readBytes())
        case .string: return .string(try input.readString())
        case .intAsLong: return .long(Int64(try input.readInt()))
        case .intAsFloat: return .float(Float(try input.readInt()))
        case .intAsDouble: return .double(Double(try input.readInt()))
        case .longAsFloat: return .float(Float(try input.readLong()))
        case .longAsDouble: return .double(Double(try input.readLong()))
        case .floatAsDouble: return .double(Double(try input.readFloat()))
        case .stringAsBytes: return .bytes(try input.readBytes())
        case .bytesAsString:
            // As Java: the bytes become the string's UTF-8, invalid sequences replaced (U+FFFD).
            return .string(String(decoding: try input.readBytes(), as: UTF8.self))
        case .fixed(let size): return .fixed(try input.readRaw(size))
        case .enumeration(let table):
            let index = Int(try input.readInt())
            let (mapping, writerSymbols) = enumerations[table]
            guard mapping.indices.contains(index) else { throw input.error("enum index \(index) outside 0..<\(mapping.count)") }
            guard let (readerIndex, symbol) = mapping[index] else {
                throw input.error("the writer's symbol \(writerSymbols[index]) is not in the reader's enum, which has no default")
            }
            return .enumeration(readerIndex, symbol)
        case .array(let items, let mayBeEmpty):
            var elements: [AvroValue] = []
            while true {
                let count = try input.readBlockCount(itemsMayBeEmpty: mayBeEmpty)
                if count == 0 { break }
                elements.reserveCapacity(elements.count + min(count, input.remaining + 1))
                for _ in 0..<count { elements.append(try read(items, &input)) }
            }
            return .array(elements)
        case .map(let values, let mayBeEmpty):
            var entries: [(key: String, value: AvroValue)] = []
            while true {
                let count = try input.readBlockCount(itemsMayBeEmpty: mayBeEmpty)
                if count == 0 { break }
                entries.reserveCapacity(entries.count + min(count, input.remaining + 1))
                for _ in 0..<count {
                    let key = try input.readString()
                    entries.append((key, try read(values, &input)))
                }
            }
            return .map(entries)
        case .writerUnion(let first, let count):
            let index = try input.readLong()
            guard index >= 0, index < Int64(count) else {
                throw input.error("union branch \(index) outside 0..<\(count)")
            }
            return try read(branches[first + Int(index)], &input)
        case .readerBranch(let index, let step):
            return .union(index, try read(step, &input))
        case .record(let first, let count, let fieldCount, let inOrder):
            return .record(try inOrder
                ? readInOrder(fieldSteps[first ..< first + count], fieldCount: fieldCount, &input)
                : readScattered(fieldSteps[first ..< first + count], fieldCount: fieldCount, &input))
        case .fail(let failure):
            throw input.error(failures[failure])
        }
    }

    /// Reads one value of step `op` into `value`, reusing its storage where the shapes agree:
    /// a record's field array and an array's element array are overwritten in place (when not
    /// shared) instead of being allocated anew, as avro-c reads into a reused generic value.
    func read(_ op: Int, _ input: inout AvroBinaryReader, into value: inout AvroValue) throws(AvroCodingError) {
        switch ops[op] {
        case .record(let first, let count, let fieldCount, true):
            guard case .record(var fields) = value, fields.count == fieldCount else {
                value = try read(op, &input)
                return
            }
            value = .null  // so that `fields` is the only reference to the storage
            defer { value = .record(fields) }
            var index = 0
            for step in fieldSteps[first ..< first + count] {
                switch step.action {
                case .read:
                    try read(step.source, &input, into: &fields[index])
                    index += 1
                case .skip:
                    _ = try read(step.source, &input)
                case .fill:
                    fields[index] = defaults[step.source]
                    index += 1
                }
            }
        case .array(let items, let mayBeEmpty):
            guard case .array(var elements) = value else {
                value = try read(op, &input)
                return
            }
            value = .null
            defer { value = .array(elements) }
            var used = 0
            while true {
                let count = try input.readBlockCount(itemsMayBeEmpty: mayBeEmpty)
                if count == 0 { break }
                for _ in 0..<count {
                    if used < elements.count {
                        try read(items, &input, into: &elements[used])
                    } else {
                        if used == elements.count { elements.reserveCapacity(used + min(count, input.remaining + 1)) }
                        elements.append(try read(items, &input))
                    }
                    used += 1
                }
            }
            if used < elements.count { elements.removeSubrange(used...) }
        case .writerUnion(let first, let count):
            let index = try input.readLong()
            guard index >= 0, index < Int64(count) else {
                throw input.error("union branch \(index) outside 0..<\(count)")
            }
            try read(branches[first + Int(index)], &input, into: &value)
        case .readerBranch(let index, let step):
            // A null branch read over the same null branch leaves the value (and its box) as it is.
            if case .null = ops[step], case .union(index, .null) = value { return }
            value = try read(op, &input)
        default:
            value = try read(op, &input)
        }
    }

    /// A record whose steps produce the reader's fields in order (the same schema on both sides,
    /// or fields added, removed or promoted without reordering): the values are appended to
    /// storage reserved at the record's size.
    private func readInOrder(_ steps: Slice<UnsafeMutableBufferPointer<FieldStep>>, fieldCount: Int,
                             _ input: inout AvroBinaryReader) throws(AvroCodingError) -> [AvroValue] {
        var fields: [AvroValue] = []
        fields.reserveCapacity(fieldCount)
        for step in steps {
            switch step.action {
            case .read: fields.append(try read(step.source, &input))
            case .skip: _ = try read(step.source, &input)
            case .fill: fields.append(defaults[step.source])
            }
        }
        return fields
    }

    /// A record whose writer order differs from the reader's.
    private func readScattered(_ steps: Slice<UnsafeMutableBufferPointer<FieldStep>>, fieldCount: Int,
                               _ input: inout AvroBinaryReader) throws(AvroCodingError) -> [AvroValue] {
        var fields = [AvroValue](repeating: .null, count: fieldCount)
        for step in steps {
            switch step.action {
            case .read: fields[step.target] = try read(step.source, &input)
            case .skip: _ = try read(step.source, &input)
            case .fill: fields[step.target] = defaults[step.source]
            }
        }
        return fields
    }
}

/// One step of reading: what to read from the writer's data and what to make of it. Indices
/// point into ``ReadProgram``'s tables.
enum ReadOp {
    case null, boolean, int, long, float, double, bytes, string
    case intAsLong, intAsFloat, intAsDouble, longAsFloat, longAsDouble, floatAsDouble, stringAsBytes, bytesAsString
    case fixed(size: Int)
    case enumeration(table: Int)
    case array(items: Int, itemsMayBeEmpty: Bool)
    case map(values: Int, valuesMayBeEmpty: Bool)
    /// The writer's union: one step per writer branch, `branches[first ..< first + count]`.
    case writerUnion(first: Int, count: Int)
    /// A non-union writer read into a reader union's branch.
    case readerBranch(index: Int, step: Int)
    /// `fieldSteps[first ..< first + count]`; `inOrder` when they fill the fields 0, 1, 2... in turn.
    case record(first: Int, count: Int, fieldCount: Int, inOrder: Bool)
    case fail(failure: Int)
}

/// One writer field read into a reader field, one writer-only field skipped, or one reader-only
/// field filled from its default (`source` is a step, or a default's index for `.fill`).
struct FieldStep {
    enum Action { case read, skip, fill }
    let action: Action
    let source: Int
    let target: Int
}

/// The tables of a program while it is compiled (shared by the compilers of one pair).
final class ReadProgramBuilder {
    var ops: [ReadOp] = []
    var fieldSteps: [FieldStep] = []
    var branches: [Int] = []
    var enumerations: [(mapping: [(Int, String)?], writerSymbols: [String])] = []
    var defaults: [AvroValue] = []
    var failures: [String] = []

    func add(_ op: ReadOp) -> Int {
        ops.append(op)
        return ops.count - 1
    }

    func failure(_ message: String) -> ReadOp {
        failures.append(message)
        return .fail(failure: failures.count - 1)
    }
}
