import OrderedJSON

extension AvroSchema {
    /// The schema printed compactly the way Java Avro's `Schema.toString()` prints it: every
    /// attribute kept (doc, defaults, aliases, order, properties), namespaces written only where
    /// they change, whitespace and key order of the original dropped. The registry compares and
    /// stores schemas in this form, so reformatting a schema never makes a new version.
    public var text: String {
        var printer = JavaStylePrinter(schema: self)
        var output = ""
        printer.write(root, namespace: nil, to: &output)
        return output
    }

    /// The Parsing Canonical Form of the Avro specification: full names, only the attributes
    /// that affect the binary encoding, in a fixed order, no whitespace.
    public var canonicalForm: String {
        var printer = CanonicalFormPrinter(schema: self)
        var output = ""
        printer.write(root, to: &output)
        return output
    }
}

private struct CanonicalFormPrinter {
    let schema: AvroSchema
    var printed = Set<String>()

    mutating func write(_ type: AvroType, to output: inout String) {
        switch type {
        case .primitive(let primitive, _):
            output += "\"\(primitive.rawValue)\""
        case .named(let name):
            if printed.contains(name) || schema.namedTypes[name] == nil {
                JSONValue.writeQuoted(name, to: &output)
            } else {
                write(schema.namedTypes[name]!, to: &output)
            }
        case .record(let record):
            guard printed.insert(record.fullName).inserted else { return JSONValue.writeQuoted(record.fullName, to: &output) }
            output += "{\"name\":"
            JSONValue.writeQuoted(record.fullName, to: &output)
            output += ",\"type\":\"record\",\"fields\":["
            for (index, field) in record.fields.enumerated() {
                if index > 0 { output += "," }
                output += "{\"name\":"
                JSONValue.writeQuoted(field.name, to: &output)
                output += ",\"type\":"
                write(field.type, to: &output)
                output += "}"
            }
            output += "]}"
        case .enumeration(let enumeration):
            guard printed.insert(enumeration.fullName).inserted else { return JSONValue.writeQuoted(enumeration.fullName, to: &output) }
            output += "{\"name\":"
            JSONValue.writeQuoted(enumeration.fullName, to: &output)
            output += ",\"type\":\"enum\",\"symbols\":["
            output += enumeration.symbols.map { JSONValue.quoted($0) }.joined(separator: ",")
            output += "]}"
        case .fixed(let fixed):
            guard printed.insert(fixed.fullName).inserted else { return JSONValue.writeQuoted(fixed.fullName, to: &output) }
            output += "{\"name\":"
            JSONValue.writeQuoted(fixed.fullName, to: &output)
            output += ",\"type\":\"fixed\",\"size\":\(fixed.size)}"
        case .array(let items, _):
            output += "{\"type\":\"array\",\"items\":"
            write(items, to: &output)
            output += "}"
        case .map(let values, _):
            output += "{\"type\":\"map\",\"values\":"
            write(values, to: &output)
            output += "}"
        case .union(let branches):
            output += "["
            for (index, branch) in branches.enumerated() {
                if index > 0 { output += "," }
                write(branch, to: &output)
            }
            output += "]"
        }
    }
}

/// Java's `Schema.toJson` order: type, name, namespace (when it differs from the enclosing
/// one), doc, the type's own attributes, properties, aliases.
private struct JavaStylePrinter {
    let schema: AvroSchema
    var printed = Set<String>()

    mutating func write(_ type: AvroType, namespace: String?, to output: inout String) {
        switch type {
        case .primitive(let primitive, let properties):
            guard !properties.isEmpty else { return output += "\"\(primitive.rawValue)\"" }
            output += "{\"type\":\"\(primitive.rawValue)\""
            writeProperties(properties, to: &output)
            output += "}"
        case .named(let name):
            // Defined earlier in this schema or in a reference: printed by name.
            JSONValue.writeQuoted(qualified(name, in: namespace), to: &output)
        case .record(let record):
            writeNamed(record.isError ? "error" : "record", record.fullName, doc: record.doc, aliases: record.aliases,
                       properties: record.properties, namespace: namespace, to: &output) { printer, space, output in
                output += ",\"fields\":["
                for (index, field) in record.fields.enumerated() {
                    if index > 0 { output += "," }
                    output += "{\"name\":"
                    JSONValue.writeQuoted(field.name, to: &output)
                    output += ",\"type\":"
                    printer.write(field.type, namespace: space, to: &output)
                    printer.writeDoc(field.doc, to: &output)
                    if let defaultValue = field.defaultValue {
                        output += ",\"default\":"
                        defaultValue.write(to: &output)
                    }
                    if let order = field.order, order != "ascending" { output += ",\"order\":\"\(order)\"" }
                    if !field.aliases.isEmpty {
                        output += ",\"aliases\":[" + field.aliases.map { JSONValue.quoted($0) }.joined(separator: ",") + "]"
                    }
                    printer.writeProperties(field.properties, to: &output)
                    output += "}"
                }
                output += "]"
            }
        case .enumeration(let enumeration):
            writeNamed("enum", enumeration.fullName, doc: enumeration.doc, aliases: enumeration.aliases,
                       properties: enumeration.properties, namespace: namespace, to: &output) { _, _, output in
                output += ",\"symbols\":[" + enumeration.symbols.map { JSONValue.quoted($0) }.joined(separator: ",") + "]"
                if let symbol = enumeration.defaultSymbol { output += ",\"default\":" + JSONValue.quoted(symbol) }
            }
        case .fixed(let fixed):
            writeNamed("fixed", fixed.fullName, doc: fixed.doc, aliases: fixed.aliases,
                       properties: fixed.properties, namespace: namespace, to: &output) { _, _, output in
                output += ",\"size\":\(fixed.size)"
            }
        case .array(let items, let properties):
            output += "{\"type\":\"array\",\"items\":"
            write(items, namespace: namespace, to: &output)
            writeProperties(properties, to: &output)
            output += "}"
        case .map(let values, let properties):
            output += "{\"type\":\"map\",\"values\":"
            write(values, namespace: namespace, to: &output)
            writeProperties(properties, to: &output)
            output += "}"
        case .union(let branches):
            output += "["
            for (index, branch) in branches.enumerated() {
                if index > 0 { output += "," }
                write(branch, namespace: namespace, to: &output)
            }
            output += "]"
        }
    }

    /// A named type: by name when printed before, else in full, its own attributes written by
    /// `body` between the doc and the properties.
    private mutating func writeNamed(_ kind: String, _ fullName: String, doc: String?, aliases: [String],
                                     properties: AvroProperties, namespace: String?, to output: inout String,
                                     body: (inout JavaStylePrinter, String?, inout String) -> Void) {
        guard printed.insert(fullName).inserted else {
            return JSONValue.writeQuoted(qualified(fullName, in: namespace), to: &output)
        }
        output += "{\"type\":\"\(kind)\""
        let space = writeName(fullName, namespace: namespace, to: &output)
        writeDoc(doc, to: &output)
        body(&self, space, &output)
        writeProperties(properties, to: &output)
        writeAliases(aliases, namespace: space, to: &output)
        output += "}"
    }

    /// Writes `"name"` and, when it differs from the enclosing namespace, `"namespace"`;
    /// returns the type's namespace.
    private func writeName(_ fullName: String, namespace: String?, to output: inout String) -> String? {
        let space = Avro.namespace(of: fullName)
        output += ",\"name\":"
        JSONValue.writeQuoted(simpleName(fullName), to: &output)
        if space != namespace {
            output += ",\"namespace\":"
            JSONValue.writeQuoted(space ?? "", to: &output)
        }
        return space
    }

    private func qualified(_ fullName: String, in namespace: String?) -> String {
        Avro.namespace(of: fullName) == namespace && namespace != nil ? simpleName(fullName) : fullName
    }

    func writeDoc(_ doc: String?, to output: inout String) {
        guard let doc else { return }
        output += ",\"doc\":"
        JSONValue.writeQuoted(doc, to: &output)
    }

    func writeProperties(_ properties: AvroProperties, to output: inout String) {
        for property in properties {
            output += ","
            JSONValue.writeQuoted(property.key, to: &output)
            output += ":"
            property.value.write(to: &output)
        }
    }

    private func writeAliases(_ aliases: [String], namespace: String?, to output: inout String) {
        guard !aliases.isEmpty else { return }
        output += ",\"aliases\":[" + aliases.map { JSONValue.quoted(qualified($0, in: namespace)) }.joined(separator: ",") + "]"
    }
}
