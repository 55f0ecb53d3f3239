/// One reason a reader schema cannot read a writer schema's data.
public struct AvroIncompatibility: Sendable, Equatable, CustomStringConvertible {
    /// Java's `SchemaIncompatibilityType` names.
    public enum Kind: String, Sendable {
        case nameMismatch = "NAME_MISMATCH"
        case fixedSizeMismatch = "FIXED_SIZE_MISMATCH"
        case missingEnumSymbols = "MISSING_ENUM_SYMBOLS"
        case readerFieldMissingDefaultValue = "READER_FIELD_MISSING_DEFAULT_VALUE"
        case typeMismatch = "TYPE_MISMATCH"
        case missingUnionBranch = "MISSING_UNION_BRANCH"
    }

    public var kind: Kind
    /// A JSON Pointer into the reader schema (`/fields/1/type`).
    public var path: String
    /// Java's detail: the field name, the missing symbols, `reader type: INT not compatible
    /// with writer type: LONG`, `expected: com.acme.Old`.
    public var detail: String

    public var description: String { "\(kind.rawValue) at \(path.isEmpty ? "/" : path): \(detail)" }
}

/// Java Avro's `SchemaCompatibility.checkReaderWriterCompatibility`, the checker Confluent
/// Schema Registry runs: whether data written with `writer` can be read with `reader`, with
/// every incompatibility found (not only the first). Pure and deterministic.
public struct AvroCompatibilityChecker {
    private let reader: AvroSchema
    private let writer: AvroSchema
    /// Pairs of named types being compared further up the recursion: met again, they count as
    /// compatible (that is how recursive types terminate, as in Java).
    private var inProgress = Set<String>()

    public static func incompatibilities(reader: AvroSchema, writer: AvroSchema) -> [AvroIncompatibility] {
        var checker = AvroCompatibilityChecker(reader: reader, writer: writer)
        return checker.check(reader.root, writer.root, path: "")
    }

    private init(reader: AvroSchema, writer: AvroSchema) {
        self.reader = reader
        self.writer = writer
    }

    private mutating func check(_ readerType: AvroType, _ writerType: AvroType, path: String) -> [AvroIncompatibility] {
        let readerType = reader.resolve(readerType)
        let writerType = writer.resolve(writerType)
        var key: String?
        if let readerName = readerType.fullName, let writerName = writerType.fullName {
            key = readerName + "\u{0}" + writerName
            guard inProgress.insert(key!).inserted else { return [] }
        }
        defer { if let key { inProgress.remove(key) } }
        return calculate(readerType, writerType, path: path)
    }

    private func typeName(_ type: AvroType) -> String {
        switch type {
        case .primitive(let primitive, _): primitive.rawValue.uppercased()
        case .record: "RECORD"
        case .enumeration: "ENUM"
        case .fixed: "FIXED"
        case .array: "ARRAY"
        case .map: "MAP"
        case .union: "UNION"
        case .named: "NAMED"
        }
    }

    private func mismatch(_ readerType: AvroType, _ writerType: AvroType, path: String) -> AvroIncompatibility {
        AvroIncompatibility(kind: .typeMismatch, path: path,
                            detail: "reader type: \(typeName(readerType)) not compatible with writer type: \(typeName(writerType))")
    }

    private func namesMatch(reader readerName: String, aliases: [String], writer writerName: String) -> Bool {
        simpleName(readerName) == simpleName(writerName) || aliases.contains(writerName)
    }

    private mutating func calculate(_ readerType: AvroType, _ writerType: AvroType, path: String) -> [AvroIncompatibility] {
        switch (readerType, writerType) {
        case (.primitive(let r, _), .primitive(let w, _)) where r == w:
            return []
        case (.array(let readerItems, _), .array(let writerItems, _)):
            return check(readerItems, writerItems, path: path + "/items")
        case (.map(let readerValues, _), .map(let writerValues, _)):
            return check(readerValues, writerValues, path: path + "/values")
        case (.fixed(let r), .fixed(let w)):
            var result: [AvroIncompatibility] = []
            if !namesMatch(reader: r.fullName, aliases: r.aliases, writer: w.fullName) {
                result.append(AvroIncompatibility(kind: .nameMismatch, path: path + "/name", detail: "expected: \(w.fullName)"))
            }
            if r.size != w.size {
                result.append(AvroIncompatibility(kind: .fixedSizeMismatch, path: path + "/size",
                                                  detail: "expected: \(w.size), found: \(r.size)"))
            }
            return result
        case (.enumeration(let r), .enumeration(let w)):
            var result: [AvroIncompatibility] = []
            if !namesMatch(reader: r.fullName, aliases: r.aliases, writer: w.fullName) {
                result.append(AvroIncompatibility(kind: .nameMismatch, path: path + "/name", detail: "expected: \(w.fullName)"))
            }
            let missing = Set(w.symbols).subtracting(r.symbols).sorted()
            if !missing.isEmpty && r.defaultSymbol == nil {
                result.append(AvroIncompatibility(kind: .missingEnumSymbols, path: path + "/symbols",
                                                  detail: "[" + missing.joined(separator: ", ") + "]"))
            }
            return result
        case (.record(let r), .record(let w)):
            var result: [AvroIncompatibility] = []
            if !namesMatch(reader: r.fullName, aliases: r.aliases, writer: w.fullName) {
                result.append(AvroIncompatibility(kind: .nameMismatch, path: path + "/name", detail: "expected: \(w.fullName)"))
            }
            for (index, field) in r.fields.enumerated() {
                let fieldPath = "\(path)/fields/\(index)"
                let writerField = w.fields.first { $0.name == field.name }
                    ?? field.aliases.lazy.compactMap { alias in w.fields.first { $0.name == alias } }.first
                if let writerField {
                    result += check(field.type, writerField.type, path: fieldPath + "/type")
                } else if field.defaultValue == nil {
                    if case .enumeration(let enumeration) = reader.resolve(field.type), enumeration.defaultSymbol != nil {
                        // Java compares the enum with the whole writer record here.
                        result += check(field.type, writerType, path: fieldPath + "/type")
                    } else {
                        result.append(AvroIncompatibility(kind: .readerFieldMissingDefaultValue, path: fieldPath, detail: field.name))
                    }
                }
            }
            return result
        case (.union, .union(let writerBranches)):
            var result: [AvroIncompatibility] = []
            for (index, branch) in writerBranches.enumerated() where !check(readerType, branch, path: path).isEmpty {
                result.append(AvroIncompatibility(kind: .missingUnionBranch, path: "\(path)/\(index)",
                                                  detail: "reader union lacking writer type: \(typeName(writer.resolve(branch)))"))
            }
            return result
        case (_, .union(let writerBranches)):
            var result: [AvroIncompatibility] = []
            for (index, branch) in writerBranches.enumerated() {
                result += check(readerType, branch, path: "\(path)/\(index)")
            }
            return result
        case (.union(let readerBranches), _):
            for branch in readerBranches where check(branch, writerType, path: path).isEmpty {
                return []
            }
            return [AvroIncompatibility(kind: .missingUnionBranch, path: path,
                                        detail: "reader union lacking writer type: \(typeName(writerType))")]
        case (.primitive(let r, _), .primitive(let w, _)):
            switch (r, w) {
            case (.long, .int), (.float, .int), (.float, .long), (.double, .int), (.double, .long), (.double, .float),
                 (.bytes, .string), (.string, .bytes):
                return []
            default:
                return [mismatch(readerType, writerType, path: path)]
            }
        default:
            return [mismatch(readerType, writerType, path: path)]
        }
    }
}
