import Avro

// Names, declarations order and literals of the generated source.
extension AvroSwiftGenerator {
    /// Every named type's definition, in the order the schema defines them.
    static func definitions(in type: AvroType, schema: AvroSchema) -> [AvroType] {
        var found: [AvroType] = []
        var seen = Set<String>()
        func visit(_ type: AvroType) {
            let resolved = schema.resolve(type)
            if let name = resolved.fullName {
                guard seen.insert(name).inserted else { return }
                found.append(resolved)
            }
            switch resolved {
            case .record(let record): record.fields.forEach { visit($0.type) }
            case .array(let items, _), .map(let items, _): visit(items)
            case .union(let branches): branches.forEach(visit)
            default: break
            }
        }
        visit(type)
        return found
    }

    static func isFixed(_ type: AvroType) -> Bool { if case .fixed = type { true } else { false } }

    static func simpleName(_ fullName: String) -> String {
        fullName.split(separator: ".").last.map(String.init) ?? fullName
    }

    /// Types the generated code names, which a generated type must not hide.
    static let reservedTypeNames: Set<String> = ["Bool", "Int32", "Int64", "Float", "Double", "String", "UInt8",
                                                 "Array", "Dictionary", "Optional", "Self", "Type", "Protocol",
                                                 "AvroReader", "AvroWriter", "AvroSchema", "AvroCodingError"]

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "async", "some", "any", "consume", "copy", "borrowing", "consuming",
    ]

    static func identifier(_ name: String) -> String { keywords.contains(name) ? "`\(name)`" : name }

    static func docLines(_ doc: String?, indent: String) -> [String] {
        guard let doc, !doc.isEmpty else { return [] }
        return doc.split(separator: "\n", omittingEmptySubsequences: false).map { "\(indent)/// \($0)" }
    }

    static func stringLiteral(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            default:
                if scalar.value < 0x20 { literal += "\\u{\(String(scalar.value, radix: 16))}" } else { literal.unicodeScalars.append(scalar) }
            }
        }
        return literal + "\""
    }

    /// A raw string literal with enough `#` that the text cannot close it.
    static func rawLiteral(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        return "\(hashes)\"\(text)\"\(hashes)"
    }
}
