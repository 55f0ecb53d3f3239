import OrderedJSON

extension AvroSchema {
    /// Parses a schema document.
    /// - Parameters:
    ///   - text: the schema's JSON text.
    ///   - references: named types defined by other schemas that this one may use by name (the
    ///     registry's `references`), in dependency order.
    /// - Throws: ``AvroSchemaError`` naming the JSON path and the rule broken.
    public init(parsing text: String, references: [AvroSchema] = []) throws(AvroSchemaError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw AvroSchemaError(path: "", "not valid JSON: \(error)")
        }
        try self.init(json: json, references: references)
    }

    public init(json: JSONValue, references: [AvroSchema] = []) throws(AvroSchemaError) {
        var parser = AvroSchemaParser()
        for reference in references {
            for (name, definition) in reference.namedTypes { parser.named[name] = definition }
        }
        // Types defined by a reference appear in this schema as `.named`, so they are printed
        // by name, never redefined.
        let root = try parser.parse(json, path: "", namespace: nil)
        self.init(root: root, namedTypes: parser.named)
    }
}

/// Walks the JSON of a schema, building ``AvroType``s and the table of named types.
struct AvroSchemaParser {
    var named: [String: AvroType] = [:]

    private static let primitiveNames = Set(AvroPrimitive.allCases.map(\.rawValue))
    private static let recordKeys: Set<String> = ["type", "name", "namespace", "doc", "aliases", "fields"]
    private static let enumKeys: Set<String> = ["type", "name", "namespace", "doc", "aliases", "symbols", "default"]
    private static let fixedKeys: Set<String> = ["type", "name", "namespace", "doc", "aliases", "size"]
    private static let fieldKeys: Set<String> = ["name", "type", "doc", "default", "order", "aliases"]

    mutating func parse(_ json: JSONValue, path: String, namespace: String?) throws(AvroSchemaError) -> AvroType {
        switch json {
        case .string(let name):
            return try reference(name, path: path, namespace: namespace)
        case .array(let branches):
            return try parseUnion(branches, path: path, namespace: namespace)
        case .object(let members):
            guard let typeValue = json["type"] else {
                throw AvroSchemaError(path: path, "a schema object needs a \"type\"")
            }
            guard case .string(let type) = typeValue else {
                // `{"type": {...}}` or `{"type": [...]}`: the nested schema is the type.
                return try parse(typeValue, path: path + "/type", namespace: namespace)
            }
            switch type {
            case "record", "error":
                return try parseRecord(json, members: members, isError: type == "error", path: path, namespace: namespace)
            case "enum":
                return try parseEnum(json, members: members, path: path, namespace: namespace)
            case "fixed":
                return try parseFixed(json, members: members, path: path, namespace: namespace)
            case "array":
                guard let items = json["items"] else { throw AvroSchemaError(path: path, "an array needs \"items\"") }
                let itemType = try parse(items, path: path + "/items", namespace: namespace)
                return .array(items: itemType, members.filter { $0.key != "type" && $0.key != "items" })
            case "map":
                guard let values = json["values"] else { throw AvroSchemaError(path: path, "a map needs \"values\"") }
                let valueType = try parse(values, path: path + "/values", namespace: namespace)
                return .map(values: valueType, members.filter { $0.key != "type" && $0.key != "values" })
            default:
                if let primitive = AvroPrimitive(rawValue: type) {
                    return .primitive(primitive, members.filter { $0.key != "type" })
                }
                // `{"type": "com.acme.Named"}`: a reference written as an object.
                return try reference(type, path: path + "/type", namespace: namespace)
            }
        default:
            throw AvroSchemaError(path: path, "a schema is a string, an object or an array, not \(json.kindName)")
        }
    }

    private func reference(_ name: String, path: String, namespace: String?) throws(AvroSchemaError) -> AvroType {
        if let primitive = AvroPrimitive(rawValue: name) { return .primitive(primitive, []) }
        if ["record", "error", "enum", "fixed", "array", "map"].contains(name) {
            throw AvroSchemaError(path: path, "\"\(name)\" is a complex type and must be written as an object with its attributes")
        }
        let candidates = name.contains(".") || namespace == nil ? [name] : [namespace! + "." + name, name]
        for candidate in candidates where named[candidate] != nil {
            return .named(candidate)
        }
        throw AvroSchemaError(path: path, "unknown type \"\(name)\" (not a primitive and not a named type defined before this point or in a reference)")
    }

    private mutating func parseUnion(_ branches: [JSONValue], path: String, namespace: String?) throws(AvroSchemaError) -> AvroType {
        var types: [AvroType] = []
        var seen = Set<String>()
        for (index, branch) in branches.enumerated() {
            let branchPath = "\(path)/\(index)"
            let type = try parse(branch, path: branchPath, namespace: namespace)
            let key: String
            switch type {
            case .union: throw AvroSchemaError(path: branchPath, "a union may not directly contain another union")
            case .primitive(let primitive, _): key = primitive.rawValue
            case .array: key = "array"
            case .map: key = "map"
            default: key = type.fullName ?? ""
            }
            guard seen.insert(key).inserted else {
                throw AvroSchemaError(path: branchPath, "the union already has a branch of type \(key)")
            }
            types.append(type)
        }
        return .union(types)
    }

    /// Resolves the `name` and `namespace` attributes into a full name and registers nothing yet.
    private func fullName(of json: JSONValue, path: String, namespace: String?) throws(AvroSchemaError) -> String {
        guard let name = json["name"]?.stringValue else {
            throw AvroSchemaError(path: path, "a named type needs a string \"name\"")
        }
        var space = namespace
        if let declared = json["namespace"] {
            guard case .string(let text) = declared else {
                throw AvroSchemaError(path: path + "/namespace", "a namespace is a string")
            }
            space = text.isEmpty ? nil : text
        }
        let full = name.contains(".") || space == nil ? name : space! + "." + name
        try Self.validateFullName(full, path: path + "/name")
        if Self.primitiveNames.contains(simpleName(full)) && !full.contains(".") {
            throw AvroSchemaError(path: path + "/name", "\"\(full)\" is a primitive type name and cannot name a type")
        }
        guard named[full] == nil else {
            throw AvroSchemaError(path: path + "/name", "the type \(full) is defined twice")
        }
        return full
    }

    static func validateFullName(_ full: String, path: String) throws(AvroSchemaError) {
        for part in full.split(separator: ".", omittingEmptySubsequences: false) {
            try validateName(String(part), path: path)
        }
    }

    /// A name matches `[A-Za-z_][A-Za-z0-9_]*`.
    static func validateName(_ name: String, path: String) throws(AvroSchemaError) {
        let bytes = Array(name.utf8)
        func isStart(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        guard let first = bytes.first, isStart(first),
              bytes.dropFirst().allSatisfy({ isStart($0) || ($0 >= 0x30 && $0 <= 0x39) }) else {
            throw AvroSchemaError(path: path, "\"\(name)\" is not a valid Avro name (letters, digits and _, not starting with a digit)")
        }
    }

    private func aliases(of json: JSONValue, path: String, namespace: String?) throws(AvroSchemaError) -> [String] {
        guard let value = json["aliases"] else { return [] }
        guard case .array(let items) = value else { throw AvroSchemaError(path: path + "/aliases", "aliases are an array of names") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let alias) = item else {
                throw AvroSchemaError(path: "\(path)/aliases/\(index)", "an alias is a string")
            }
            try Self.validateFullName(alias, path: "\(path)/aliases/\(index)")
            result.append(alias.contains(".") || namespace == nil ? alias : namespace! + "." + alias)
        }
        return result
    }

    private func doc(of json: JSONValue, path: String) throws(AvroSchemaError) -> String? {
        guard let value = json["doc"] else { return nil }
        guard case .string(let doc) = value else { throw AvroSchemaError(path: path + "/doc", "doc is a string") }
        return doc
    }

    private mutating func parseRecord(_ json: JSONValue, members: [(key: String, value: JSONValue)], isError: Bool,
                                      path: String, namespace: String?) throws(AvroSchemaError) -> AvroType {
        let full = try fullName(of: json, path: path, namespace: namespace)
        let space = avroNamespace(of: full)
        var record = AvroRecord(fullName: full, doc: try doc(of: json, path: path),
                                aliases: try aliases(of: json, path: path, namespace: space),
                                fields: [], isError: isError,
                                properties: members.filter { !Self.recordKeys.contains($0.key) })
        // Registered before the fields so they can refer to the record itself.
        named[full] = .record(record)
        guard case .array(let fieldValues) = json["fields"] ?? .null else {
            throw AvroSchemaError(path: path + "/fields", "a record needs a \"fields\" array")
        }
        var names = Set<String>()
        for (index, fieldValue) in fieldValues.enumerated() {
            let fieldPath = "\(path)/fields/\(index)"
            guard case .object(let fieldMembers) = fieldValue else {
                throw AvroSchemaError(path: fieldPath, "a field is an object")
            }
            guard let name = fieldValue["name"]?.stringValue else {
                throw AvroSchemaError(path: fieldPath, "a field needs a string \"name\"")
            }
            try Self.validateName(name, path: fieldPath + "/name")
            guard names.insert(name).inserted else {
                throw AvroSchemaError(path: fieldPath + "/name", "the record \(full) has two fields named \"\(name)\"")
            }
            guard let typeValue = fieldValue["type"] else {
                throw AvroSchemaError(path: fieldPath, "the field \"\(name)\" needs a \"type\"")
            }
            let type = try parse(typeValue, path: fieldPath + "/type", namespace: space)
            var order: String?
            if let orderValue = fieldValue["order"] {
                guard let text = orderValue.stringValue, ["ascending", "descending", "ignore"].contains(text) else {
                    throw AvroSchemaError(path: fieldPath + "/order", "order is \"ascending\", \"descending\" or \"ignore\"")
                }
                order = text
            }
            var fieldAliases: [String] = []
            if let aliasValue = fieldValue["aliases"] {
                guard case .array(let items) = aliasValue else {
                    throw AvroSchemaError(path: fieldPath + "/aliases", "aliases are an array of names")
                }
                for (aliasIndex, item) in items.enumerated() {
                    guard let alias = item.stringValue else {
                        throw AvroSchemaError(path: "\(fieldPath)/aliases/\(aliasIndex)", "an alias is a string")
                    }
                    fieldAliases.append(alias)
                }
            }
            let field = AvroField(name: name, type: type, doc: try doc(of: fieldValue, path: fieldPath),
                                  defaultValue: fieldValue["default"], order: order, aliases: fieldAliases,
                                  properties: fieldMembers.filter { !Self.fieldKeys.contains($0.key) })
            if let defaultValue = field.defaultValue {
                let schema = AvroSchema(root: type, namedTypes: named)
                if let problem = schema.defaultProblem(defaultValue, for: type) {
                    throw AvroSchemaError(path: fieldPath + "/default", "invalid default for the field \"\(name)\": \(problem)")
                }
            }
            record.fields.append(field)
        }
        named[full] = .record(record)
        return .record(record)
    }

    private mutating func parseEnum(_ json: JSONValue, members: [(key: String, value: JSONValue)],
                                    path: String, namespace: String?) throws(AvroSchemaError) -> AvroType {
        let full = try fullName(of: json, path: path, namespace: namespace)
        guard case .array(let symbolValues) = json["symbols"] ?? .null else {
            throw AvroSchemaError(path: path + "/symbols", "an enum needs a \"symbols\" array")
        }
        var symbols: [String] = []
        for (index, value) in symbolValues.enumerated() {
            guard let symbol = value.stringValue else {
                throw AvroSchemaError(path: "\(path)/symbols/\(index)", "a symbol is a string")
            }
            try Self.validateName(symbol, path: "\(path)/symbols/\(index)")
            guard !symbols.contains(symbol) else {
                throw AvroSchemaError(path: "\(path)/symbols/\(index)", "the enum \(full) has the symbol \(symbol) twice")
            }
            symbols.append(symbol)
        }
        var defaultSymbol: String?
        if let value = json["default"] {
            guard let symbol = value.stringValue, symbols.contains(symbol) else {
                throw AvroSchemaError(path: path + "/default", "the enum default \(value.compactText) is not one of the symbols of \(full)")
            }
            defaultSymbol = symbol
        }
        let enumeration = AvroEnum(fullName: full, doc: try doc(of: json, path: path),
                                   aliases: try aliases(of: json, path: path, namespace: avroNamespace(of: full)),
                                   symbols: symbols, defaultSymbol: defaultSymbol,
                                   properties: members.filter { !Self.enumKeys.contains($0.key) })
        named[full] = .enumeration(enumeration)
        return .enumeration(enumeration)
    }

    private mutating func parseFixed(_ json: JSONValue, members: [(key: String, value: JSONValue)],
                                     path: String, namespace: String?) throws(AvroSchemaError) -> AvroType {
        let full = try fullName(of: json, path: path, namespace: namespace)
        guard let size = json["size"]?.integerValue, size >= 0, size <= Int64(Int32.max) else {
            throw AvroSchemaError(path: path + "/size", "a fixed type needs a non-negative integer \"size\"")
        }
        let fixed = AvroFixed(fullName: full, doc: try doc(of: json, path: path),
                              aliases: try aliases(of: json, path: path, namespace: avroNamespace(of: full)),
                              size: Int(size), properties: members.filter { !Self.fixedKeys.contains($0.key) })
        named[full] = .fixed(fixed)
        return .fixed(fixed)
    }

    private func avroNamespace(of full: String) -> String? { Avro.namespace(of: full) }
}
