/// Decodes binary data written with a writer schema into values of a reader schema, following
/// the specification's resolution rules (promotions, unions, enum defaults, reader fields filled
/// from defaults, writer-only fields skipped, aliases). The plan is compiled once per
/// (writer, reader) pair, so decoding does not walk the schemas per datum. With the same schema
/// on both sides it is the plain decoder.
public struct AvroDatumReader: Sendable {
    public let writer: AvroSchema
    public let reader: AvroSchema
    let program: ReadProgram

    /// - Throws: ``AvroCodingError`` when the reader cannot read the writer at all (a branch that
    ///   only some data reaches fails when such data is read instead).
    public init(writer: AvroSchema, reader: AvroSchema? = nil) throws(AvroCodingError) {
        self.writer = writer
        self.reader = reader ?? writer
        let builder = ReadProgramBuilder()
        var compiler = ReadProgramCompiler(writer: writer, reader: reader ?? writer, builder: builder)
        let root = try compiler.compile(writer.root, self.reader.root, path: "")
        program = ReadProgram(builder, root: root)
    }

    /// Decodes one datum; the whole input must be consumed.
    public func read(_ bytes: [UInt8]) throws(AvroCodingError) -> AvroValue {
        // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
        try bytes.withUnsafeBytes { raw in result(raw) }.get()
    }

    /// Decodes one datum from a slice (for example one of many datums in a shared buffer); the
    /// whole slice must be consumed.
    public func read(_ bytes: ArraySlice<UInt8>) throws(AvroCodingError) -> AvroValue {
        try bytes.withUnsafeBytes { raw in result(raw) }.get()
    }

    /// Decodes one datum from raw memory; all of it must be consumed.
    public func read(_ bytes: UnsafeRawBufferPointer) throws(AvroCodingError) -> AvroValue {
        try result(bytes).get()
    }

    /// Decodes one datum from raw memory into `value`, reusing the storage of the value it
    /// holds (a record's fields, an array's elements) where the shapes agree: for reading many
    /// datums into one value, as avro-c reads into a reused generic value. All of `bytes` must be
    /// consumed. When it throws, `value` holds some valid value, not necessarily a whole datum.
    public func read(_ bytes: UnsafeRawBufferPointer, into value: inout AvroValue) throws(AvroCodingError) {
        var input = AvroBinaryReader(bytes: bytes)
        try program.read(program.root, &input, into: &value)
        guard input.remaining == 0 else {
            throw AvroCodingError("\(input.remaining) bytes left after the datum (at byte \(input.position))")
        }
    }

    private func result(_ raw: UnsafeRawBufferPointer) -> Result<AvroValue, AvroCodingError> {
        var input = AvroBinaryReader(bytes: raw)
        do throws(AvroCodingError) {
            let value = try program.read(program.root, &input)
            guard input.remaining == 0 else {
                throw AvroCodingError("\(input.remaining) bytes left after the datum (at byte \(input.position))")
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// Compiles a (writer, reader) pair into a ``ReadProgram``, memoizing named pairs so recursive
/// types compile to cyclic steps.
struct ReadProgramCompiler {
    let writer: AvroSchema
    let reader: AvroSchema
    let builder: ReadProgramBuilder
    var named: [String: Int] = [:]

    /// The index of the step that reads `writerType` data as `readerType`.
    mutating func compile(_ writerType: AvroType, _ readerType: AvroType, path: String) throws(AvroCodingError) -> Int {
        let w = writer.resolve(writerType)
        let r = reader.resolve(readerType)
        var key: String?
        if let writerName = w.fullName, let readerName = r.fullName {
            key = writerName + "\u{0}" + readerName
            if let existing = named[key!] { return existing }
        }
        // Placed before its children, so that a recursive reference finds it.
        let index = builder.add(builder.failure("incomplete plan"))
        if let key { named[key] = index }
        builder.ops[index] = try op(w, r, path: path)
        return index
    }

    private func fail(_ w: AvroType, _ r: AvroType, _ path: String) -> AvroCodingError {
        AvroCodingError("at \(path.isEmpty ? "/" : path) the reader's \(AvroBinaryEncoder.typeName(r)) cannot read the writer's \(AvroBinaryEncoder.typeName(w))")
    }

    private func namesMatch(_ readerName: String, aliases: [String], _ writerName: String) -> Bool {
        simpleName(readerName) == simpleName(writerName) || readerName == writerName || aliases.contains(writerName)
            || aliases.map(simpleName).contains(simpleName(writerName))
    }

    private func isZeroSize(_ type: AvroType) -> Bool {
        switch writer.resolve(type) {
        case .primitive(.null, _): true
        case .record(let record): record.fields.allSatisfy { isZeroSize($0.type) }
        default: false
        }
    }

    private mutating func op(_ w: AvroType, _ r: AvroType, path: String) throws(AvroCodingError) -> ReadOp {
        switch (w, r) {
        case (.union(let writerBranches), _):
            var steps: [Int] = []
            for (index, branch) in writerBranches.enumerated() {
                do {
                    steps.append(try compile(branch, r, path: "\(path)/\(index)"))
                } catch {
                    steps.append(builder.add(builder.failure(error.message)))
                }
            }
            let first = builder.branches.count
            builder.branches.append(contentsOf: steps)
            return .writerUnion(first: first, count: steps.count)
        case (_, .union(let readerBranches)):
            // The first reader branch of the same kind, else the first the writer promotes to.
            let exact = readerBranches.firstIndex { sameKind(w, reader.resolve($0)) }
            for index in (exact.map { [$0] } ?? []) + Array(readerBranches.indices) {
                if let step = try? compile(w, readerBranches[index], path: "\(path)/\(index)") {
                    return .readerBranch(index: index, step: step)
                }
            }
            throw fail(w, r, path)
        case (.primitive(let a, _), .primitive(let b, _)):
            switch (a, b) {
            case _ where a == b:
                switch a {
                case .null: return .null
                case .boolean: return .boolean
                case .int: return .int
                case .long: return .long
                case .float: return .float
                case .double: return .double
                case .bytes: return .bytes
                case .string: return .string
                }
            case (.int, .long): return .intAsLong
            case (.int, .float): return .intAsFloat
            case (.int, .double): return .intAsDouble
            case (.long, .float): return .longAsFloat
            case (.long, .double): return .longAsDouble
            case (.float, .double): return .floatAsDouble
            case (.string, .bytes): return .stringAsBytes
            case (.bytes, .string): return .bytesAsString
            default: throw fail(w, r, path)
            }
        case (.fixed(let a), .fixed(let b)):
            guard namesMatch(b.fullName, aliases: b.aliases, a.fullName), a.size == b.size else { throw fail(w, r, path) }
            return .fixed(size: a.size)
        case (.enumeration(let a), .enumeration(let b)):
            guard namesMatch(b.fullName, aliases: b.aliases, a.fullName) else { throw fail(w, r, path) }
            let mapping: [(Int, String)?] = a.symbols.map { symbol in
                if let index = b.symbols.firstIndex(of: symbol) { return (index, symbol) }
                if let fallback = b.defaultSymbol, let index = b.symbols.firstIndex(of: fallback) { return (index, fallback) }
                return nil
            }
            builder.enumerations.append((mapping, a.symbols))
            return .enumeration(table: builder.enumerations.count - 1)
        case (.array(let a, _), .array(let b, _)):
            return .array(items: try compile(a, b, path: path + "/items"), itemsMayBeEmpty: isZeroSize(a))
        case (.map(let a, _), .map(let b, _)):
            return .map(values: try compile(a, b, path: path + "/values"), valuesMayBeEmpty: isZeroSize(a))
        case (.record(let a), .record(let b)):
            guard namesMatch(b.fullName, aliases: b.aliases, a.fullName) else { throw fail(w, r, path) }
            var steps: [FieldStep] = []
            var filled = Set<Int>()
            for field in a.fields {
                let target = b.fields.firstIndex { $0.name == field.name }
                    ?? b.fields.firstIndex { $0.aliases.contains(field.name) }
                if let target, !filled.contains(target) {
                    let source = try compile(field.type, b.fields[target].type, path: "\(path)/\(b.fields[target].name)")
                    steps.append(FieldStep(action: .read, source: source, target: target))
                    filled.insert(target)
                } else {
                    let source = try compile(field.type, field.type, writerOnly: true, path: path)
                    steps.append(FieldStep(action: .skip, source: source, target: -1))
                }
            }
            for (index, field) in b.fields.enumerated() where !filled.contains(index) {
                guard let json = field.defaultValue else {
                    throw AvroCodingError("at \(path.isEmpty ? "/" : path) the reader's field \"\(field.name)\" is not in the writer's data and has no default")
                }
                builder.defaults.append(try AvroJSON.value(fromDefault: json, type: field.type, schema: reader))
                steps.append(FieldStep(action: .fill, source: builder.defaults.count - 1, target: index))
            }
            let first = builder.fieldSteps.count
            builder.fieldSteps.append(contentsOf: Self.ordered(steps))
            return .record(first: first, count: steps.count, fieldCount: b.fields.count, inOrder: Self.isInOrder(Self.ordered(steps)))
        default:
            throw fail(w, r, path)
        }
    }

    /// A step that reads (to skip) a writer-only type.
    private mutating func compile(_ type: AvroType, _ same: AvroType, writerOnly: Bool, path: String) throws(AvroCodingError) -> Int {
        var writerCompiler = ReadProgramCompiler(writer: writer, reader: writer, builder: builder)
        return try writerCompiler.compile(type, same, path: path)
    }

    /// The steps in the order they run: the writer's fields in its order, each reader-only
    /// field's default placed after the writer fields that precede it in the reader (so that a
    /// field added at any position keeps the record in order).
    static func ordered(_ steps: [FieldStep]) -> [FieldStep] {
        var result = steps.filter { $0.action != .fill }
        for fill in steps where fill.action == .fill {
            // Before the first read step whose target comes after the filled field.
            let position = result.firstIndex { $0.action != .skip && $0.target > fill.target } ?? result.count
            result.insert(fill, at: position)
        }
        return result
    }

    /// Whether the steps fill the fields 0, 1, 2... in turn.
    static func isInOrder(_ steps: [FieldStep]) -> Bool {
        var next = 0
        for step in steps where step.action != .skip {
            guard step.target == next else { return false }
            next += 1
        }
        return true
    }

    private func sameKind(_ w: AvroType, _ r: AvroType) -> Bool {
        switch (w, r) {
        case (.primitive(let a, _), .primitive(let b, _)): a == b
        case (.array, .array), (.map, .map): true
        case (.record(let a), .record(let b)): simpleName(a.fullName) == simpleName(b.fullName)
        case (.enumeration(let a), .enumeration(let b)): simpleName(a.fullName) == simpleName(b.fullName)
        case (.fixed(let a), .fixed(let b)): simpleName(a.fullName) == simpleName(b.fullName)
        default: false
        }
    }
}
