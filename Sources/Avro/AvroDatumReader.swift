/// Decodes binary data written with a writer schema into values of a reader schema, following
/// the specification's resolution rules (promotions, unions, enum defaults, reader fields filled
/// from defaults, writer-only fields skipped, aliases). The plan is compiled once per
/// (writer, reader) pair, so decoding does not walk the schemas per datum. With the same schema
/// on both sides it is the plain decoder.
public struct AvroDatumReader: Sendable {
    public let writer: AvroSchema
    public let reader: AvroSchema
    let plan: ReadPlan

    /// - Throws: ``AvroCodingError`` when the reader cannot read the writer at all (a branch that
    ///   only some data reaches fails when such data is read instead).
    public init(writer: AvroSchema, reader: AvroSchema? = nil) throws(AvroCodingError) {
        self.writer = writer
        self.reader = reader ?? writer
        var compiler = ReadPlanCompiler(writer: writer, reader: reader ?? writer)
        plan = try compiler.compile(writer.root, self.reader.root, path: "")
    }

    /// Decodes one datum; the whole input must be consumed.
    public func read(_ bytes: [UInt8]) throws(AvroCodingError) -> AvroValue {
        // withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
        let result = bytes.withUnsafeBytes { raw -> Result<AvroValue, AvroCodingError> in
            var input = AvroBinaryReader(bytes: raw)
            do throws(AvroCodingError) {
                let value = try plan.read(&input)
                guard input.remaining == 0 else {
                    throw AvroCodingError("\(input.remaining) bytes left after the datum (at byte \(input.position))")
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// One compiled step of reading: what to read from the writer's data and what to make of it.
final class ReadPlan: @unchecked Sendable {
    // Set once while compiling (recursive types point back at a plan being built), then only read.
    var kind: Kind = .fail("incomplete plan")

    indirect enum Kind {
        case null, boolean, int, long, float, double, bytes, string
        case intAsLong, intAsFloat, intAsDouble, longAsFloat, longAsDouble, floatAsDouble, stringAsBytes, bytesAsString
        case fixed(Int)
        /// Writer symbol index → reader symbol (nil: not in the reader, and no default).
        case enumeration([(Int, String)?], writerSymbols: [String])
        case array(ReadPlan, itemsMayBeEmpty: Bool)
        case map(ReadPlan, valuesMayBeEmpty: Bool)
        /// The writer's union: one plan per writer branch.
        case writerUnion([ReadPlan])
        /// A non-union writer read into a reader union's branch.
        case readerBranch(Int, ReadPlan)
        case record([FieldStep], fieldCount: Int, defaults: [(Int, AvroValue)])
        /// Reached only by data the reader cannot read.
        case fail(String)
    }

    enum FieldStep {
        case read(Int, ReadPlan)
        case skip(ReadPlan)
    }

    init() {}
    init(_ kind: Kind) { self.kind = kind }

    func read(_ input: inout AvroBinaryReader) throws(AvroCodingError) -> AvroValue {
        switch kind {
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
        case .enumeration(let mapping, let writerSymbols):
            let index = Int(try input.readInt())
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
                for _ in 0..<count { elements.append(try items.read(&input)) }
            }
            return .array(elements)
        case .map(let values, let mayBeEmpty):
            var entries: [(key: String, value: AvroValue)] = []
            while true {
                let count = try input.readBlockCount(itemsMayBeEmpty: mayBeEmpty)
                if count == 0 { break }
                for _ in 0..<count {
                    let key = try input.readString()
                    entries.append((key, try values.read(&input)))
                }
            }
            return .map(entries)
        case .writerUnion(let branches):
            let index = try input.readLong()
            guard index >= 0, index < Int64(branches.count) else {
                throw input.error("union branch \(index) outside 0..<\(branches.count)")
            }
            return try branches[Int(index)].read(&input)
        case .readerBranch(let index, let plan):
            return .union(index, try plan.read(&input))
        case .record(let steps, let fieldCount, let defaults):
            var fields = [AvroValue](repeating: .null, count: fieldCount)
            for step in steps {
                switch step {
                case .read(let index, let plan): fields[index] = try plan.read(&input)
                case .skip(let plan): _ = try plan.read(&input)
                }
            }
            for (index, value) in defaults { fields[index] = value }
            return .record(fields)
        case .fail(let message):
            throw input.error(message)
        }
    }
}

/// Builds read plans, memoizing named pairs so recursive types compile to cyclic plans.
struct ReadPlanCompiler {
    let writer: AvroSchema
    let reader: AvroSchema
    var named: [String: ReadPlan] = [:]

    mutating func compile(_ writerType: AvroType, _ readerType: AvroType, path: String) throws(AvroCodingError) -> ReadPlan {
        let w = writer.resolve(writerType)
        let r = reader.resolve(readerType)
        var key: String?
        if let writerName = w.fullName, let readerName = r.fullName {
            key = writerName + "\u{0}" + readerName
            if let existing = named[key!] { return existing }
        }
        let plan = ReadPlan()
        if let key { named[key] = plan }
        plan.kind = try kind(w, r, path: path)
        return plan
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

    private mutating func kind(_ w: AvroType, _ r: AvroType, path: String) throws(AvroCodingError) -> ReadPlan.Kind {
        switch (w, r) {
        case (.union(let writerBranches), _):
            var plans: [ReadPlan] = []
            for (index, branch) in writerBranches.enumerated() {
                do {
                    plans.append(try compile(branch, r, path: "\(path)/\(index)"))
                } catch {
                    plans.append(ReadPlan(.fail(error.message)))
                }
            }
            return .writerUnion(plans)
        case (_, .union(let readerBranches)):
            // The first reader branch of the same kind, else the first the writer promotes to.
            let exact = readerBranches.firstIndex { sameKind(w, reader.resolve($0)) }
            for index in (exact.map { [$0] } ?? []) + Array(readerBranches.indices) {
                if let plan = try? compile(w, readerBranches[index], path: "\(path)/\(index)") {
                    return .readerBranch(index, plan)
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
            return .fixed(a.size)
        case (.enumeration(let a), .enumeration(let b)):
            guard namesMatch(b.fullName, aliases: b.aliases, a.fullName) else { throw fail(w, r, path) }
            let mapping: [(Int, String)?] = a.symbols.map { symbol in
                if let index = b.symbols.firstIndex(of: symbol) { return (index, symbol) }
                if let fallback = b.defaultSymbol, let index = b.symbols.firstIndex(of: fallback) { return (index, fallback) }
                return nil
            }
            return .enumeration(mapping, writerSymbols: a.symbols)
        case (.array(let a, _), .array(let b, _)):
            return .array(try compile(a, b, path: path + "/items"), itemsMayBeEmpty: isZeroSize(a))
        case (.map(let a, _), .map(let b, _)):
            return .map(try compile(a, b, path: path + "/values"), valuesMayBeEmpty: isZeroSize(a))
        case (.record(let a), .record(let b)):
            guard namesMatch(b.fullName, aliases: b.aliases, a.fullName) else { throw fail(w, r, path) }
            var steps: [ReadPlan.FieldStep] = []
            var filled = Set<Int>()
            for field in a.fields {
                let target = b.fields.firstIndex { $0.name == field.name }
                    ?? b.fields.firstIndex { $0.aliases.contains(field.name) }
                if let target, !filled.contains(target) {
                    steps.append(.read(target, try compile(field.type, b.fields[target].type, path: "\(path)/\(b.fields[target].name)")))
                    filled.insert(target)
                } else {
                    steps.append(.skip(try compile(field.type, field.type, writerOnly: true, path: path)))
                }
            }
            var defaults: [(Int, AvroValue)] = []
            for (index, field) in b.fields.enumerated() where !filled.contains(index) {
                guard let json = field.defaultValue else {
                    throw AvroCodingError("at \(path.isEmpty ? "/" : path) the reader's field \"\(field.name)\" is not in the writer's data and has no default")
                }
                defaults.append((index, try AvroJSON.value(fromDefault: json, type: field.type, schema: reader)))
            }
            return .record(steps, fieldCount: b.fields.count, defaults: defaults)
        default:
            throw fail(w, r, path)
        }
    }

    /// A plan that reads (to skip) a writer-only type.
    private mutating func compile(_ type: AvroType, _ same: AvroType, writerOnly: Bool, path: String) throws(AvroCodingError) -> ReadPlan {
        var writerCompiler = ReadPlanCompiler(writer: writer, reader: writer)
        writerCompiler.named = [:]
        return try writerCompiler.compile(type, same, path: path)
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
