import OrderedJSON

/// Avro's JSON encoding of data (the specification's "JSON Encoding"), and field defaults, which
/// use the same mapping except that a union's default is the bare value of its first branch.
public enum AvroJSON {
    /// A field default as a value of `type`.
    public static func value(fromDefault json: JSONValue, type: AvroType, schema: AvroSchema) throws(AvroCodingError) -> AvroValue {
        if case .union(let branches) = schema.resolve(type) {
            guard let first = branches.first else { throw AvroCodingError("an empty union has no default") }
            return .union(0, try decode(json, as: first, schema: schema, path: "", defaultForm: true))
        }
        return try decode(json, as: type, schema: schema, path: "", defaultForm: true)
    }

    /// A datum in Avro's JSON encoding as a value of `schema`.
    public static func decode(_ json: JSONValue, schema: AvroSchema) throws(AvroCodingError) -> AvroValue {
        try decode(json, as: schema.root, schema: schema, path: "", defaultForm: false)
    }

    /// A datum in Avro's JSON encoding.
    public static func encode(_ value: AvroValue, schema: AvroSchema) throws(AvroCodingError) -> JSONValue {
        try encode(value, as: schema.root, schema: schema, path: "")
    }

    /// The name a union branch goes by in the JSON encoding.
    static func branchName(_ type: AvroType) -> String {
        switch type {
        case .primitive(let primitive, _): primitive.rawValue
        case .array: "array"
        case .map: "map"
        default: type.fullName ?? ""
        }
    }

    /// Bytes and fixed values are strings whose code points 0-255 are the bytes.
    static func latin1(_ text: String, path: String) throws(AvroCodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { throw AvroCodingError("at \(path.isEmpty ? "/" : path) the character U+\(String(scalar.value, radix: 16)) is not a byte (0-255)") }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    static func latin1String(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    private static func wrong(_ json: JSONValue, _ expected: String, _ path: String) -> AvroCodingError {
        AvroCodingError("at \(path.isEmpty ? "/" : path) expected \(expected), found \(json.compactText)")
    }

    private static func number(_ json: JSONValue, _ path: String) throws(AvroCodingError) -> Double {
        switch json {
        case .number(let text): if let value = Double(text) { return value }
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        default: break
        }
        throw wrong(json, "a number", path)
    }

    static func decode(_ json: JSONValue, as type: AvroType, schema: AvroSchema, path: String,
                       defaultForm: Bool) throws(AvroCodingError) -> AvroValue {
        let resolved = schema.resolve(type)
        switch resolved {
        case .primitive(let primitive, _):
            switch (primitive, json) {
            case (.null, .null): return .null
            case (.boolean, .bool(let flag)): return .boolean(flag)
            case (.int, .number(let text)):
                guard let value = Int32(text) else { throw wrong(json, "a 32-bit integer", path) }
                return .int(value)
            case (.long, .number(let text)):
                guard let value = Int64(text) else { throw wrong(json, "a 64-bit integer", path) }
                return .long(value)
            case (.float, _): return .float(Float(try number(json, path)))
            case (.double, _): return .double(try number(json, path))
            case (.bytes, .string(let text)): return .bytes(try latin1(text, path: path))
            case (.string, .string(let text)): return .string(text)
            default: throw wrong(json, primitive.rawValue, path)
            }
        case .fixed(let fixed):
            guard case .string(let text) = json else { throw wrong(json, "a string for \(fixed.fullName)", path) }
            let bytes = try latin1(text, path: path)
            guard bytes.count == fixed.size else { throw AvroCodingError("at \(path.isEmpty ? "/" : path) \(fixed.fullName) needs \(fixed.size) bytes, found \(bytes.count)") }
            return .fixed(bytes)
        case .enumeration(let enumeration):
            guard case .string(let symbol) = json, let index = enumeration.symbols.firstIndex(of: symbol) else {
                throw wrong(json, "a symbol of \(enumeration.fullName)", path)
            }
            return .enumeration(index, symbol)
        case .array(let items, _):
            guard case .array(let elements) = json else { throw wrong(json, "an array", path) }
            var values: [AvroValue] = []
            for (index, element) in elements.enumerated() {
                values.append(try decode(element, as: items, schema: schema, path: "\(path)/\(index)", defaultForm: defaultForm))
            }
            return .array(values)
        case .map(let valueType, _):
            guard case .object(let members) = json else { throw wrong(json, "an object (map)", path) }
            var entries: [(key: String, value: AvroValue)] = []
            for member in members {
                entries.append((member.key, try decode(member.value, as: valueType, schema: schema, path: "\(path)/\(member.key)", defaultForm: defaultForm)))
            }
            return .map(entries)
        case .union(let branches):
            if defaultForm {
                guard let first = branches.first else { throw wrong(json, "a value", path) }
                return .union(0, try decode(json, as: first, schema: schema, path: path, defaultForm: true))
            }
            if json == .null, let index = branches.firstIndex(where: { if case .primitive(.null, _) = schema.resolve($0) { return true }; return false }) {
                return .union(index, .null)
            }
            guard case .object(let members) = json, members.count == 1 else {
                throw wrong(json, "null or {\"<branch type>\": value} for a union", path)
            }
            let name = members[0].key
            guard let index = branches.firstIndex(where: { branchName(schema.resolve($0)) == name || branchName($0) == name }) else {
                throw AvroCodingError("at \(path.isEmpty ? "/" : path) the union has no branch named \(name)")
            }
            return .union(index, try decode(members[0].value, as: branches[index], schema: schema, path: path, defaultForm: false))
        case .record(let record):
            guard case .object = json else { throw wrong(json, "an object for \(record.fullName)", path) }
            var fields: [AvroValue] = []
            for field in record.fields {
                let fieldPath = "\(path)/\(field.name)"
                if let member = json[field.name] {
                    fields.append(try decode(member, as: field.type, schema: schema, path: fieldPath, defaultForm: defaultForm))
                } else if let fallback = field.defaultValue {
                    fields.append(try value(fromDefault: fallback, type: field.type, schema: schema))
                } else {
                    throw AvroCodingError("at \(fieldPath) the field is missing and has no default")
                }
            }
            return .record(fields)
        case .named(let name):
            throw AvroCodingError("at \(path.isEmpty ? "/" : path) the type \(name) is not defined")
        }
    }

    static func encode(_ value: AvroValue, as type: AvroType, schema: AvroSchema, path: String) throws(AvroCodingError) -> JSONValue {
        let resolved = schema.resolve(type)
        switch (resolved, value) {
        case (.primitive(.null, _), .null): return .null
        case (.primitive(.boolean, _), .boolean(let flag)): return .bool(flag)
        case (.primitive(.int, _), .int(let number)): return .number(String(number))
        case (.primitive(.long, _), .long(let number)): return .number(String(number))
        case (.primitive(.float, _), .float(let number)): return floating(Double(number), text: "\(number)")
        case (.primitive(.double, _), .double(let number)): return floating(number, text: "\(number)")
        case (.primitive(.bytes, _), .bytes(let bytes)), (.fixed, .fixed(let bytes)): return .string(latin1String(bytes))
        case (.primitive(.string, _), .string(let text)): return .string(text)
        case (.enumeration, .enumeration(_, let symbol)): return .string(symbol)
        case (.array(let items, _), .array(let elements)):
            var out: [JSONValue] = []
            for (index, element) in elements.enumerated() { out.append(try encode(element, as: items, schema: schema, path: "\(path)/\(index)")) }
            return .array(out)
        case (.map(let values, _), .map(let entries)):
            var out: [(key: String, value: JSONValue)] = []
            for entry in entries { out.append((entry.key, try encode(entry.value, as: values, schema: schema, path: "\(path)/\(entry.key)"))) }
            return .object(out)
        case (.union(let branches), .union(let index, let inner)):
            guard branches.indices.contains(index) else { throw AvroCodingError("union branch \(index) at \(path) does not exist") }
            let branch = schema.resolve(branches[index])
            if case .primitive(.null, _) = branch { return .null }
            return .object([(branchName(branch), try encode(inner, as: branches[index], schema: schema, path: path))])
        case (.record(let record), .record(let fields)):
            guard fields.count == record.fields.count else { throw AvroCodingError("the record at \(path) has \(fields.count) values for \(record.fields.count) fields") }
            var out: [(key: String, value: JSONValue)] = []
            for (field, fieldValue) in zip(record.fields, fields) {
                out.append((field.name, try encode(fieldValue, as: field.type, schema: schema, path: "\(path)/\(field.name)")))
            }
            return .object(out)
        default:
            throw AvroCodingError("the value at \(path.isEmpty ? "/" : path) is \(value), not a \(AvroBinaryEncoder.typeName(resolved))")
        }
    }

    private static func floating(_ number: Double, text: String) -> JSONValue {
        if number.isNaN { return .string("NaN") }
        if number.isInfinite { return .string(number > 0 ? "Infinity" : "-Infinity") }
        return .number(text)
    }
}
